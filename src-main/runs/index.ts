/**
 * Host-side orchestration of a run: a HiTMicTools config → the model plan → the movies it
 * selects (HiTMicTools' glob and skip rule) → one job per movie on a pool of worker processes →
 * the run's report. What runs inside each job is src-main/pipeline/.
 */
export { runConfig, type MovieOutcome, type RunOptions, type RunReport } from './run-config';
export { cpuBudget } from './job-params';
export { prepareRun, type PreparedRun, type PrepareOptions } from './prepare';
export { globToRegExp, selectMovies, type MovieSelection } from './select-movies';
export { movieJobParams } from './job-params';
export { RunHistory, RUN_HISTORY_FILE, RUN_HISTORY_MAX, type RememberedRun } from './history';

/**
 * Beyond one machine: a run config's movies as a Slurm array job, one movie per task, each task
 * running `hitmic run` of this installation (so it books its stage memory on its node as a local
 * run does); the job followed movie by movie from Slurm and from the results on disk; failed and
 * missing movies resubmitted; the batch summarised. Slurm schedules; nothing here does.
 */
export { BATCH_SUMMARY_FILES, collectBatch } from './collect';
export {
  arrayScript,
  shellQuote,
  SUBMISSION_FILES,
  type SlurmResources,
  type TaskRunOptions,
} from './script';
export { findCommand } from './slurm';
export { jobStatus, movieVerdict, type TaskFacts } from './status';
export { defaultJobsDir, SUBMISSIONS_FOLDER, type SubmissionRecord } from './submission';
export { retryJob, submitToSlurm, type SubmitOptions, type SubmitResult } from './submit';
export { expandArrayIndices, parseScontrolRecord, tasksFromSacct, tasksFromScontrol } from './slurm-parse';

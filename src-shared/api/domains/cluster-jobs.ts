/**
 * The Cluster domain: a run config's movies as a Slurm array job (one movie per task), followed
 * movie by movie from Slurm and from the results on disk, failed ones resubmitted, the batch
 * summarised. The same calls back `hitmic submit`, `hitmic status`, `hitmic collect` and the Runs
 * view.
 */

/**
 * A movie of a submitted job:
 * - `pending` / `running`: as Slurm says;
 * - `complete`: its results are on disk (HiTMicTools' rule: `_summary.csv` and `_fl.csv`);
 * - `failed`: its task ended without them (an error, a lost node, a time or memory limit);
 * - `missing`: Slurm no longer knows the task and it left nothing: it never ran, or was cancelled;
 * - `unknown`: Slurm cannot be asked from here, and the disk does not tell.
 */
export type ClusterMovieState = 'pending' | 'running' | 'complete' | 'failed' | 'missing' | 'unknown';

export const CLUSTER_MOVIE_STATES: readonly ClusterMovieState[] = [
  'pending',
  'running',
  'complete',
  'failed',
  'missing',
  'unknown',
];

/** What Slurm says of one array task. */
export interface SlurmTaskState {
  /** Slurm's word: PENDING, RUNNING, COMPLETED, FAILED, NODE_FAIL, TIMEOUT, CANCELLED, … */
  state: string;
  /** Slurm's id of the task itself (each array task has a job id of its own). */
  jobId?: string;
  reason?: string;
  /** `exit:signal`, e.g. `1:0`. */
  exitCode?: string;
  node?: string;
  /** `scontrol` while slurmctld remembers the job, `sacct` after, where accounting is on. */
  source: 'scontrol' | 'sacct';
}

export interface ClusterMovieStatus {
  /** The array task index (line task+1 of the worklist). */
  task: number;
  /** The name of its results (`{movie}_fl.csv`). */
  movie: string;
  /** The movie file (or per-frame pattern) as submitted. */
  file: string;
  state: ClusterMovieState;
  slurm: SlurmTaskState | null;
  /** Whether its results are complete on disk. */
  outputsComplete: boolean;
  frames?: number;
  objects?: number;
  tracks?: number;
  /** Why it failed: the task's own error, or what Slurm says. */
  error?: string;
}

export interface ClusterJobStatus {
  jobId: string;
  /** The submission folder: script, worklist, logs/, reports/. */
  folder: string;
  config: string;
  outputDir: string;
  submittedAt: string;
  /** The job this one resubmitted movies of (`hitmic submit --retry`). */
  retryOf?: string;
  /**
   * Where the Slurm states came from: `scontrol`; `sacct` (slurmctld forgot the job, accounting
   * remembers it); `forgotten` (neither knows it any more); `unreachable` (no Slurm here).
   */
  slurm: 'scontrol' | 'sacct' | 'forgotten' | 'unreachable';
  /** Why Slurm could not be asked, when it could not. */
  slurmNote?: string;
  movies: ClusterMovieStatus[];
  counts: Record<ClusterMovieState, number>;
  /** No movie is pending or running. */
  finished: boolean;
}

/** Slurm resources of each task; flags win over the config's `cluster:` section. */
export interface ClusterResources {
  partition?: string;
  time?: string;
  mem?: string;
  gpus?: number;
  cpusPerTask?: number;
  account?: string;
  qos?: string;
  arrayMax?: number;
}

export interface ClusterSubmitRequest extends ClusterResources {
  configPath: string;
  /** Movies to analyse instead of the config's selection. */
  inputs?: string[];
  outputDir?: string;
  /** Frames [start, end) only. */
  frames?: [number, number];
  force?: boolean;
}

export interface ClusterSubmission {
  jobId: string;
  folder: string;
  /** Task N analyses movies[N]. */
  movies: string[];
  /** Movies already analysed, not submitted (the skip rule). */
  skipped: string[];
  /** The sbatch command line and script that were submitted. */
  sbatch: string[];
  script: string;
  retryOf?: string;
  warnings: string[];
}

export interface ClusterAvailability {
  /** The sbatch found on the backend's PATH, or null. */
  sbatch: string | null;
  /** Why submitting is not possible here, when it is not. */
  reason?: string;
}

/** `hitmic collect`: every movie of an output folder, from its results and its Slurm submissions. */
export interface BatchSummary {
  outputDir: string;
  writtenAt: string;
  /** The summary files written in the output folder. */
  files: { json: string; csv: string };
  counts: Record<ClusterMovieState, number> & { movies: number };
  /** Objects of all complete movies. */
  objects: number;
  movies: {
    movie: string;
    file?: string;
    state: ClusterMovieState;
    frames?: number;
    objects?: number;
    tracks?: number;
    /** The Slurm job and task of its latest submission, when it was submitted. */
    job?: string;
    task?: number;
    error?: string;
  }[];
  failures: {
    movie: string;
    file?: string;
    job?: string;
    task?: number;
    slurmState?: string;
    error: string;
  }[];
}

export interface ClusterApi {
  /** Whether this backend can submit: sbatch on its PATH. */
  available(): Promise<ClusterAvailability>;
  /** Submits the config's movies (as `hitmic run` selects them) as a Slurm array job. */
  submit(request: ClusterSubmitRequest): Promise<ClusterSubmission>;
  /** Per-movie state of a job this backend's user submitted. */
  status(jobId: string): Promise<ClusterJobStatus>;
  /** Resubmits the failed and missing movies of a job. */
  retry(jobId: string): Promise<ClusterSubmission>;
  /** Writes the output folder's batch summary. */
  collect(outputDir: string): Promise<BatchSummary>;
}

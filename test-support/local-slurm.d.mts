/** Types of local-slurm.mjs: a real single-node Slurm on localhost for tests and benchmarks. */
export interface LocalSlurm {
  ok: true;
  /** Its temporary folder: slurm.conf, state, logs, munge key and socket. */
  dir: string;
  conf: string;
  /** process.env plus SLURM_CONF: what Slurm's commands (and hitmic submit) need. */
  env: NodeJS.ProcessEnv;
  node: string;
  partition: string;
  /** Cancels every job, stops the daemons, removes the folder (kept when HITMIC_KEEP_SLURM is set). */
  stop(): Promise<void>;
}

export interface NoLocalSlurm {
  ok: false;
  /** Why the daemons cannot start here, for the test's skip note. */
  reason: string;
}

export function localSlurmProblem(): string | null;

export function startLocalSlurm(options?: {
  cpus?: number;
  memoryMb?: number;
  minJobAgeS?: number;
}): Promise<LocalSlurm | NoLocalSlurm>;

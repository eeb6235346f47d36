/**
 * The sbatch array script of `hitmic submit`, as pure text: `#SBATCH` lines from the flags and the
 * config's `cluster:` section, then a body in which array task N analyses line N+1 of the
 * worklist with `hitmic run CONFIG --input MOVIE` of this very installation (this Node or Electron
 * binary, this bin/hitmic.js), and leaves `hitmic run --json`'s report where `hitmic status`
 * reads it. Every path is single-quoted for bash, so spaces, quotes and `$` in folder names are
 * taken literally; `#SBATCH` lines carry only checked Slurm values and no path.
 */
import path from 'node:path';

/** Folders and files of a submission, relative to its folder (the job's working directory). */
export const SUBMISSION_FILES = {
  script: 'job.sh',
  worklist: 'movies.txt',
  record: 'submission.json',
  /** Slurm's output of task N: `logs/task-N.out` (stdout and stderr). */
  logs: 'logs',
  /** `hitmic run --json`'s report of task N: `reports/task-N.json`, renamed into place when complete. */
  reports: 'reports',
} as const;

export function taskLogName(task: number): string {
  return `${SUBMISSION_FILES.logs}/task-${task}.out`;
}

export function taskReportName(task: number): string {
  return `${SUBMISSION_FILES.reports}/task-${task}.json`;
}

/**
 * `s` as one bash word that means exactly `s`: single quotes around it, each `'` written as
 * `'\''`. A NUL cannot be passed to a program at all, so it is refused.
 */
export function shellQuote(s: string): string {
  if (s.includes('\0'))
    throw new Error(`a NUL character cannot be passed to a command: ${JSON.stringify(s)}`);
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The Slurm resources of one array task (each value already checked against Slurm's formats). */
export interface SlurmResources {
  partition?: string;
  /** `--time` as Slurm reads it: minutes or `D-HH:MM:SS` forms. */
  time?: string;
  /** `--mem`: MB, or with a K/M/G/T unit. */
  mem?: string;
  gpus?: number;
  cpusPerTask?: number;
  account?: string;
  qos?: string;
  /** At most this many tasks at once (`--array=…%K`). */
  arrayMax?: number;
  /** More sbatch options, `--name=value` each, from `cluster.sbatch_options`. */
  extra?: string[];
}

/** `hitmic run` options each task passes on (checked by the caller, as `hitmic run` checks them). */
export interface TaskRunOptions {
  frames?: [number, number];
  device?: string;
  restored?: boolean;
  /** `segmentation=2,classification=4`, as `--stage-gb` takes it. */
  stageGb?: string;
  waitTimeoutS?: number;
  capacityGb?: number;
}

/** The `hitmic run` options of every task. A GPU job runs its models on the GPU Slurm gave it. */
export function taskRunArgs(
  run: TaskRunOptions,
  r: SlurmResources,
  extra: { force?: boolean; libraryDir?: string },
): string[] {
  const args: string[] = [];
  if (run.frames) args.push('--frames', `${run.frames[0]}:${run.frames[1]}`);
  // Slurm shows a task only the GPUs it allocated, as device 0 onwards: 'cuda' is the first of them.
  const device = run.device ?? (r.gpus ? 'cuda' : undefined);
  if (device) args.push('--device', device);
  if (run.restored) args.push('--restored');
  if (run.stageGb) args.push('--stage-gb', run.stageGb);
  if (run.waitTimeoutS !== undefined) args.push('--wait-timeout', String(run.waitTimeoutS));
  if (run.capacityGb !== undefined) args.push('--capacity-gb', String(run.capacityGb));
  if (extra.force) args.push('--force');
  if (extra.libraryDir) args.push('--library', path.resolve(extra.libraryDir));
  return args;
}

export interface ArrayScriptInput {
  appVersion: string;
  /** The program that runs bin/hitmic.js: process.execPath (Node, or Electron run as Node). */
  nodePath: string;
  /** True when nodePath is Electron's binary, which acts as Node only with ELECTRON_RUN_AS_NODE=1. */
  electron: boolean;
  cliPath: string;
  config: string;
  outputDir: string;
  /** The worklist, absolute: one movie per line, task N reads line N+1. */
  worklist: string;
  /** The submission folder, absolute: logs/ and reports/ are in it. */
  folder: string;
  movies: number;
  jobName: string;
  resources: SlurmResources;
  /** `hitmic run` options after `--input MOVIE --output DIR`, e.g. ['--frames', '0:5', '--device', 'cuda']. */
  runArgs: string[];
  /** Export TMPDIR to this folder so that tasks sharing a node share its booking files. */
  bookingDir?: string;
}

/** A job name Slurm shows in squeue: the config's name reduced to letters, digits and `_.-`. */
export function jobNameFor(configFile: string): string {
  const stem = configFile.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return `hitmic-${stem.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'run'}`;
}

/** The `#SBATCH` options, in the order they are written: ours first, then the resources, then the extra ones. */
export function sbatchOptions(input: Pick<ArrayScriptInput, 'movies' | 'jobName' | 'resources'>): string[] {
  const r = input.resources;
  const array = `--array=0-${input.movies - 1}${r.arrayMax ? `%${r.arrayMax}` : ''}`;
  const out = [
    `--job-name=${input.jobName}`,
    array,
    // Relative to the job's working directory, the submission folder: no path in these lines.
    `--output=${SUBMISSION_FILES.logs}/task-%a.out`,
    // A task whose node is lost must show as failed and wait for `--retry`, not rerun unseen.
    '--no-requeue',
  ];
  if (r.partition) out.push(`--partition=${r.partition}`);
  if (r.time) out.push(`--time=${r.time}`);
  if (r.mem) out.push(`--mem=${r.mem}`);
  if (r.cpusPerTask) out.push(`--cpus-per-task=${r.cpusPerTask}`);
  if (r.gpus) out.push(`--gres=gpu:${r.gpus}`);
  if (r.account) out.push(`--account=${r.account}`);
  if (r.qos) out.push(`--qos=${r.qos}`);
  out.push(...(r.extra ?? []));
  return out;
}

/** The whole array script. */
export function arrayScript(input: ArrayScriptInput): string {
  const q = shellQuote;
  const reports = `${input.folder}/${SUBMISSION_FILES.reports}`;
  const run = [
    q(input.nodePath),
    q(input.cliPath),
    'run',
    q(input.config),
    '--input',
    '"$movie"',
    '--output',
    q(input.outputDir),
    '--json',
    ...input.runArgs.map(q),
  ].join(' ');
  return `#!/bin/bash
# HiTMic Studio ${input.appVersion}: a Slurm array job written by 'hitmic submit', one movie per task.
# Task N analyses line N+1 of ${SUBMISSION_FILES.worklist} with 'hitmic run'; follow it with 'hitmic status JOB'.
${sbatchOptions(input)
  .map((o) => `#SBATCH ${o}`)
  .join('\n')}

set -u
task="\${SLURM_ARRAY_TASK_ID:?this script runs as a task of a Slurm array job: submit it with sbatch}"
mapfile -t movies < ${q(input.worklist)}
movie="\${movies[$task]:-}"
if [ -z "$movie" ]; then
  echo "hitmic: array task $task has no movie: ${SUBMISSION_FILES.worklist} has \${#movies[@]} lines" >&2
  exit 2
fi
echo "hitmic: task $task analyses $movie on $(hostname) (Slurm job \${SLURM_JOB_ID:-?})"
${input.bookingDir ? `# Tasks on one node share its booking files only when they share a TMPDIR.\nexport TMPDIR=${q(input.bookingDir)}\n` : ''}${input.electron ? "# The desktop app's binary runs hitmic as plain Node.\nexport ELECTRON_RUN_AS_NODE=1\n" : ''}report=${q(reports)}/"task-$task.json"
# The report appears complete or not at all: 'hitmic status' reads a missing one as "did not finish".
${run} > "$report.partial"
status=$?
mv -f "$report.partial" "$report"
exit $status
`;
}

/**
 * A submission on disk: its folder in the output folder (`hitmic-slurm/<time>-<id>/`: script,
 * worklist, logs/, reports/, submission.json) and a per-user index from job id to that folder,
 * so that `hitmic status 1234` finds the job from anywhere (and without it, scontrol's WorkDir).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError, type ClusterResources } from '../../src-shared/api';
import { writeJsonAtomic } from '../io';
import { SUBMISSION_FILES } from './script';
import type { SlurmResources, TaskRunOptions } from './script';

/** The folder of the output folder that holds one folder per submission. */
export const SUBMISSIONS_FOLDER = 'hitmic-slurm';

export const SUBMISSION_FORMAT = 'hitmic-slurm-submission/1';

/** What `hitmic submit` recorded: enough to follow the job and to resubmit its failed movies. */
export interface SubmissionRecord {
  format: typeof SUBMISSION_FORMAT;
  jobId: string;
  cluster: string | null;
  submittedAt: string;
  appVersion: string;
  config: string;
  outputDir: string;
  folder: string;
  /** Task N analyses movies[N]. */
  movies: string[];
  skipped: string[];
  resources: SlurmResources;
  /** The `hitmic run` options each task adds (frames, device, force, …). */
  runArgs: string[];
  bookingDir: string | null;
  /** The sbatch command line. */
  sbatch: string[];
  /** What was asked on the command line (or by the Runs view), for `--retry` to ask again. */
  request: {
    resources: ClusterResources;
    run: TaskRunOptions;
    force: boolean;
    libraryDir?: string;
  };
  retryOf: string | null;
}

/** Where the index of submitted jobs lives: `$HITMIC_JOBS_DIR`, else beside the collection library. */
export function defaultJobsDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.HITMIC_JOBS_DIR) return path.resolve(env.HITMIC_JOBS_DIR);
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
          ? env.XDG_DATA_HOME
          : path.join(home, '.local', 'share');
  return path.join(base, 'hitmic-studio', 'slurm-jobs');
}

/** A new, empty submission folder in the output folder, with logs/ and reports/. */
export function createSubmissionFolder(outputDir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const folder = path.join(
    outputDir,
    SUBMISSIONS_FOLDER,
    `${stamp}-${crypto.randomBytes(3).toString('hex')}`,
  );
  fs.mkdirSync(path.join(folder, SUBMISSION_FILES.logs), { recursive: true });
  fs.mkdirSync(path.join(folder, SUBMISSION_FILES.reports), { recursive: true });
  return folder;
}

/** Writes the record in its folder and the job's entry in the index (both atomically). */
export function saveSubmission(record: SubmissionRecord, env: NodeJS.ProcessEnv): void {
  writeJsonAtomic(path.join(record.folder, SUBMISSION_FILES.record), record);
  const index = defaultJobsDir(env);
  fs.mkdirSync(index, { recursive: true });
  writeJsonAtomic(path.join(index, `${record.jobId}.json`), {
    jobId: record.jobId,
    folder: record.folder,
    submittedAt: record.submittedAt,
  });
}

/** Reads a submission.json; null when it is absent or not one of ours. */
export function readSubmission(folderOrFile: string): SubmissionRecord | null {
  const file = folderOrFile.endsWith('.json')
    ? folderOrFile
    : path.join(folderOrFile, SUBMISSION_FILES.record);
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SubmissionRecord>;
    if (r.format !== SUBMISSION_FORMAT || typeof r.jobId !== 'string' || !Array.isArray(r.movies))
      return null;
    return r as SubmissionRecord;
  } catch {
    return null;
  }
}

/** Every submission recorded in an output folder, oldest first. */
export function submissionsIn(outputDir: string): SubmissionRecord[] {
  const dir = path.join(outputDir, SUBMISSIONS_FOLDER);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => readSubmission(path.join(dir, f)))
    .filter((r): r is SubmissionRecord => r !== null)
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
}

/**
 * The submission of `job`: a job id (through the index), or the path of a submission folder or
 * its submission.json. `workDir` is scontrol's WorkDir for the job, the fallback when the index
 * has no entry (another machine's home, a cleared index).
 */
export function findSubmission(job: string, env: NodeJS.ProcessEnv, workDir?: string): SubmissionRecord {
  if (!/^\d+$/.test(job)) {
    const r = readSubmission(path.resolve(job));
    if (r) return r;
    throw new ApiError(
      'NOT_FOUND',
      `'${job}' is neither a Slurm job id nor a submission folder of hitmic submit (with ${SUBMISSION_FILES.record})`,
      { job, fix: 'Give the job id hitmic submit printed, or its folder under <output>/hitmic-slurm/' },
    );
  }
  const entry = path.join(defaultJobsDir(env), `${job}.json`);
  let folder: string | undefined;
  try {
    folder = (JSON.parse(fs.readFileSync(entry, 'utf8')) as { folder?: string }).folder;
  } catch {
    folder = workDir;
  }
  const r = folder ? readSubmission(folder) : null;
  if (r && r.jobId === job) return r;
  throw new ApiError(
    'NOT_FOUND',
    `No submission of hitmic submit is known for Slurm job ${job} (looked in ${defaultJobsDir(env)}${workDir ? ` and ${workDir}` : ''})`,
    {
      job,
      index: defaultJobsDir(env),
      fix: 'Give the submission folder instead: hitmic status <output>/hitmic-slurm/<folder>',
    },
  );
}

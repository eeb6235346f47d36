/**
 * `hitmic status JOB`: the state of each movie of a submitted array job, from what Slurm says of
 * its task (scontrol, else sacct) and what is on disk — the movie's results (HiTMicTools' rule),
 * the task's `hitmic run --json` report and its Slurm log. Slurm's word wins while the task waits
 * or runs; after that the disk decides, so a lost node, a time limit or a crash all read as
 * `failed`, and a task Slurm never ran as `missing`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  CLUSTER_MOVIE_STATES,
  type ClusterJobStatus,
  type ClusterMovieState,
  type ClusterMovieStatus,
  type SlurmTaskState,
} from '../../src-shared/api';
import { movieName, RunFolder } from '../results';
import { taskLogName, taskReportName } from './script';
import { readSlurmJob, type SlurmView } from './slurm';
import { slurmEndWords, slurmPhase } from './slurm-parse';
import { findSubmission, type SubmissionRecord } from './submission';

/** What a task's report (`hitmic run --json`) says of its movie. */
export interface TaskReport {
  ok: boolean;
  error?: string;
  frames?: number;
  objects?: number;
  tracks?: number;
}

/** Reads `reports/task-N.json`; null when the task wrote none (not finished, or killed). */
export function readTaskReport(folder: string, task: number): TaskReport | null {
  let j: {
    ok?: boolean;
    errors?: unknown;
    skipped?: unknown;
    movies?: { ok?: boolean; error?: string; frames?: number; objects?: number; tracks?: number }[];
  };
  try {
    j = JSON.parse(fs.readFileSync(path.join(folder, taskReportName(task)), 'utf8')) as typeof j;
  } catch {
    return null;
  }
  const m = j.movies?.[0];
  if (m) return { ok: m.ok === true, error: m.error, frames: m.frames, objects: m.objects, tracks: m.tracks };
  // The config did not validate: `{config, ok: false, errors: [...]}`.
  if (j.ok === false && Array.isArray(j.errors)) return { ok: false, error: j.errors.map(String).join('; ') };
  // Skipped because its results appeared meanwhile: the disk tells the rest.
  return Array.isArray(j.skipped) && j.skipped.length ? { ok: true } : null;
}

/**
 * The last line of a task's Slurm log that says why it stopped (`hitmic: …`, `✗ movie: …`,
 * `slurmstepd: error: …`), or null. Reads the last 16 KB only.
 */
export function lastErrorLine(logFile: string): string | null {
  let text: string;
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const n = Math.min(size, 16_384);
      const buf = Buffer.alloc(n);
      fs.readSync(fd, buf, 0, n, size - n);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  const lines = text
    .split(/\r?\n/)
    .filter((l) => /^(hitmic: (?!task \d+ analyses)|✗ |slurmstepd: error|error: )/.test(l));
  return lines.length ? lines[lines.length - 1].trim() : null;
}

/** The facts about one movie's task that decide its state. */
export interface TaskFacts {
  slurm: SlurmTaskState | null;
  slurmSource: SlurmView['source'];
  outputsComplete: boolean;
  report: TaskReport | null;
  /** The task's Slurm log exists: it started. */
  started: boolean;
  logError: string | null;
}

/** One movie's state and, when it failed, why. Pure: the rules of the module comment. */
export function movieVerdict(f: TaskFacts): { state: ClusterMovieState; error?: string } {
  const phase = f.slurm ? slurmPhase(f.slurm.state) : null;
  if (phase === 'waiting') return { state: 'pending' };
  if (phase === 'running') return { state: 'running' };
  if (f.outputsComplete) return { state: 'complete' };
  const ownError = f.report && !f.report.ok ? f.report.error : undefined;
  if (f.slurm) {
    // Slurm ended the task and the results are not there.
    const slurmWords = slurmEndWords(f.slurm);
    const error =
      ownError ??
      (f.slurm.state === 'FAILED' || f.slurm.state === 'COMPLETED' ? (f.logError ?? slurmWords) : slurmWords);
    return { state: 'failed', error };
  }
  if (ownError) return { state: 'failed', error: ownError };
  if (f.slurmSource === 'unreachable') return { state: 'unknown' };
  // Slurm has forgotten the task.
  if (f.started)
    return {
      state: 'failed',
      error:
        f.logError ??
        'the task started but left no results and no report (killed, or its node was lost); see its log',
    };
  return { state: 'missing' };
}

function emptyCounts(): Record<ClusterMovieState, number> {
  return Object.fromEntries(CLUSTER_MOVIE_STATES.map((s) => [s, 0])) as Record<ClusterMovieState, number>;
}

/** The per-movie state of a submission, asking Slurm once. */
export async function submissionStatus(
  record: SubmissionRecord,
  env: NodeJS.ProcessEnv,
  view?: SlurmView,
): Promise<ClusterJobStatus> {
  let slurm = view ?? (await readSlurmJob(record.jobId, env));
  if (slurm.workDir && !sameFolder(slurm.workDir, record.folder))
    // Job ids start again at 1 on a reinstalled cluster: this id now names someone else's job.
    slurm = {
      source: 'forgotten',
      tasks: new Map(),
      note: `Slurm's job ${record.jobId} is now another job (working directory ${slurm.workDir}); this submission's job is no longer known`,
    };
  const folder = new RunFolder(record.outputDir);
  const counts = emptyCounts();
  const movies: ClusterMovieStatus[] = record.movies.map((file, task) => {
    const movie = movieName(file);
    const report = readTaskReport(record.folder, task);
    const logFile = path.join(record.folder, taskLogName(task));
    const started = fs.existsSync(logFile);
    const facts: TaskFacts = {
      slurm: slurm.tasks.get(task) ?? null,
      slurmSource: slurm.source,
      outputsComplete: folder.isAnalysed(movie),
      report,
      started,
      logError: started ? lastErrorLine(logFile) : null,
    };
    const v = movieVerdict(facts);
    counts[v.state]++;
    return {
      task,
      movie,
      file,
      state: v.state,
      slurm: facts.slurm,
      outputsComplete: facts.outputsComplete,
      ...(v.state === 'complete' ? resultFigures(folder, movie, report) : {}),
      ...(v.error ? { error: v.error } : {}),
    };
  });
  return {
    jobId: record.jobId,
    folder: record.folder,
    config: record.config,
    outputDir: record.outputDir,
    submittedAt: record.submittedAt,
    ...(record.retryOf ? { retryOf: record.retryOf } : {}),
    slurm: slurm.source,
    ...(slurm.note ? { slurmNote: slurm.note } : {}),
    movies,
    counts,
    finished: counts.pending + counts.running === 0,
  };
}

/** Whether two paths name one folder (Slurm prints the physical path, links resolved). */
function sameFolder(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Frames, objects and tracks of a complete movie: its report, else its `_run.json`. */
export function resultFigures(
  folder: RunFolder,
  movie: string,
  report: TaskReport | null,
): Pick<ClusterMovieStatus, 'frames' | 'objects' | 'tracks'> {
  if (report?.ok && report.objects !== undefined)
    return { frames: report.frames, objects: report.objects, tracks: report.tracks };
  try {
    const j = JSON.parse(fs.readFileSync(folder.file(movie, 'run'), 'utf8')) as {
      frames?: unknown;
      objects?: unknown;
      tracks?: unknown;
    };
    return {
      ...(Array.isArray(j.frames) ? { frames: j.frames.length } : {}),
      ...(typeof j.objects === 'number' ? { objects: j.objects } : {}),
      ...(typeof j.tracks === 'number' ? { tracks: j.tracks } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * `hitmic status JOB`: JOB is the id hitmic submit printed (found through the per-user index,
 * else scontrol's WorkDir) or a submission folder.
 */
export async function jobStatus(job: string, env: NodeJS.ProcessEnv): Promise<ClusterJobStatus> {
  let record: SubmissionRecord;
  let view: SlurmView | undefined;
  try {
    record = findSubmission(job, env);
  } catch (err) {
    if (!(err instanceof ApiError) || !/^\d+$/.test(job)) throw err;
    view = await readSlurmJob(job, env);
    record = findSubmission(job, env, view.workDir);
  }
  return submissionStatus(record, env, view);
}

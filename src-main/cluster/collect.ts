/**
 * `hitmic collect OUTPUT_DIR`: one summary of a batch — every movie with results in the folder
 * and every movie of its Slurm submissions (the latest submission of a movie decides: a retry
 * supersedes the failure it retried), with objects counted and failures listed with their errors.
 * Written as `batch_summary.json` and `batch_summary.csv`, each complete or not at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  CLUSTER_MOVIE_STATES,
  type BatchSummary,
  type ClusterMovieState,
} from '../../src-shared/api';
import { writeCsvAtomic, writeJsonAtomic } from '../io';
import { RunFolder } from '../results';
import { resultFigures, submissionStatus } from './status';
import { submissionsIn } from './submission';

export const BATCH_SUMMARY_FILES = { json: 'batch_summary.json', csv: 'batch_summary.csv' } as const;

const CSV_COLUMNS = ['movie', 'state', 'frames', 'objects', 'tracks', 'job', 'task', 'file', 'error'];

type MovieRow = BatchSummary['movies'][number];

/** Summarises the batch in `outputDir` (asking Slurm about each submission once) and writes the files. */
export async function collectBatch(outputDir: string, env: NodeJS.ProcessEnv): Promise<BatchSummary> {
  const dir = path.resolve(outputDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new ApiError('NOT_FOUND', `No output folder at ${dir}`, {
      file: dir,
      fix: 'Give the output_folder of the run config (or the --output of hitmic submit)',
    });
  const folder = new RunFolder(dir);
  const byMovie = new Map<string, MovieRow>();
  const slurmStates = new Map<string, string>();
  for (const record of submissionsIn(dir)) {
    const status = await submissionStatus(record, env);
    for (const m of status.movies) {
      byMovie.set(m.movie, {
        movie: m.movie,
        file: m.file,
        state: m.state,
        ...(m.frames !== undefined ? { frames: m.frames } : {}),
        ...(m.objects !== undefined ? { objects: m.objects } : {}),
        ...(m.tracks !== undefined ? { tracks: m.tracks } : {}),
        job: record.jobId,
        task: m.task,
        ...(m.error ? { error: m.error } : {}),
      });
      if (m.slurm) slurmStates.set(m.movie, m.slurm.state);
      else slurmStates.delete(m.movie);
    }
  }
  // Movies analysed here without Slurm (hitmic run, HiTMicTools): complete, with their figures.
  for (const movie of folder.movies()) {
    if (byMovie.has(movie) || !folder.isAnalysed(movie)) continue;
    byMovie.set(movie, { movie, state: 'complete', ...resultFigures(folder, movie, null) });
  }
  const movies = [...byMovie.values()].sort((a, b) => a.movie.localeCompare(b.movie));
  const counts = Object.fromEntries(CLUSTER_MOVIE_STATES.map((s) => [s, 0])) as Record<
    ClusterMovieState,
    number
  >;
  for (const m of movies) counts[m.state]++;
  const failures = movies
    .filter((m) => m.state === 'failed' || m.state === 'missing')
    .map((m) => ({
      movie: m.movie,
      ...(m.file ? { file: m.file } : {}),
      ...(m.job ? { job: m.job, task: m.task } : {}),
      ...(slurmStates.has(m.movie) ? { slurmState: slurmStates.get(m.movie) } : {}),
      error:
        m.error ??
        (m.state === 'missing'
          ? 'never ran: Slurm no longer knows its task and it left no log (cancelled before it started?)'
          : 'failed without a message'),
    }));
  const summary: BatchSummary = {
    outputDir: dir,
    writtenAt: new Date().toISOString(),
    files: { json: path.join(dir, BATCH_SUMMARY_FILES.json), csv: path.join(dir, BATCH_SUMMARY_FILES.csv) },
    counts: { movies: movies.length, ...counts },
    objects: movies.reduce((n, m) => n + (m.state === 'complete' ? (m.objects ?? 0) : 0), 0),
    movies,
    failures,
  };
  writeJsonAtomic(summary.files.json, summary);
  // Movie names and error texts come from files and folders: neutralised for spreadsheets.
  await writeCsvAtomic(
    summary.files.csv,
    CSV_COLUMNS,
    movies.map((m) => ({
      movie: m.movie,
      state: m.state,
      frames: m.frames ?? null,
      objects: m.objects ?? null,
      tracks: m.tracks ?? null,
      job: m.job ?? null,
      task: m.task ?? null,
      file: m.file ?? null,
      error: m.error ?? null,
    })),
    { spreadsheetSafe: true },
  );
  return summary;
}

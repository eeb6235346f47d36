import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { MODEL_KEY_TABLE, MODEL_KEYS } from '../../src-shared/collections';
import { WorkerPool, type WorkerLauncher } from '../jobs';
import { memoryRemedies, type MovieJobParams, type MovieJobResult, type MovieProgress } from '../pipeline';
import { currentRamFigures, formatMemorySuffix, type Stage } from '../resources';
import { movieJobParams, runProvenance, workerShares } from './job-params';
import { prepareRun } from './prepare';

export interface RunOptions {
  configPath: string;
  /** Movies to analyse instead of input_folder + file_pattern. */
  inputs?: string[];
  outputDir?: string;
  frames?: [number, number];
  force?: boolean;
  /** Also write {movie}_restored.tif. */
  exportRestored?: boolean;
  libraryDir?: string;
  /** A HiTMicTools worklist (.txt, one movie per line), as `hitmictools run -w`. */
  worklist?: string;
  numWorkers?: number;
  device?: string;
  capacityGb?: number;
  /** GB per memory stage, over the config's `stage_memory_gb` and HiTMicTools' figures. */
  stageGb?: Partial<Record<Stage, number>>;
  /** How long a stage may wait for its memory, seconds (over the config's `memory_wait_s`). */
  waitTimeoutS?: number;
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  onProgress?(p: MovieProgress): void;
  onLog?(level: string, message: string): void;
  /** Once the movies are chosen, before any job starts: where the run writes and what it does. */
  onPlan?(plan: { outputDir: string; movies: string[]; skipped: string[] }): void;
}

export interface MovieOutcome extends Partial<MovieJobResult> {
  file: string;
  ok: boolean;
  error?: string;
}

export interface RunReport {
  config: string;
  pipeline: string;
  outputDir: string;
  movies: MovieOutcome[];
  skipped: string[];
  warnings: string[];
}

/**
 * Runs a HiTMicTools run config: validates it, finds the models (collection or individual
 * sections), selects the movies as HiTMicTools does, and analyses one movie per job across
 * `num_workers` worker processes. A failed movie is reported and the batch goes on.
 */
export async function runConfig(opts: RunOptions): Promise<RunReport> {
  const { file, cfg, pipeline, outputDir, plan, selection, warnings } = await prepareRun(opts);
  for (const set of selection.fileSets)
    opts.onLog?.('info', `${set.files} files ${path.basename(set.pattern)} are the frames of one movie.`);
  for (const s of selection.skipped)
    opts.onLog?.('info', `File ${path.basename(s)} already analysed. Skipping (use --force to redo it).`);
  opts.onPlan?.({ outputDir, movies: selection.files, skipped: selection.skipped });
  const { workers, threads } = workerShares(cfg.pipeline_setup, selection.files.length, opts.numWorkers);
  // A warning every movie repeats (a GPU that could not be used) is said once for the run.
  const said = new Set<string>();
  const onLog = (level: string, message: string) => {
    if (level === 'warn' && said.has(message)) return;
    if (level === 'warn') said.add(message);
    opts.onLog?.(level, message);
  };
  const pool = new WorkerPool(workers, { launcher: opts.launcher, onLog });
  const provenance = runProvenance(file, cfg, plan, warnings);
  try {
    const outcomes = await Promise.all(
      selection.files.map(async (movie): Promise<MovieOutcome> => {
        const params = movieJobParams(movie, {
          cfg,
          pipeline,
          plan,
          outputDir,
          options: opts,
          threads,
          workers,
          provenance,
        });
        const t0 = Date.now();
        let last: MovieProgress | undefined;
        try {
          const r = await pool.submit({
            method: 'analyse-movie',
            params,
            signal: opts.signal,
            label: path.basename(movie),
            onProgress: (p) => {
              // A job waiting for its memory reports that instead of a stage (shown by the Runs view's log).
              if (!('movie' in p)) return;
              if (p.stage !== 'frames') last = p;
              opts.onProgress?.(p);
            },
          });
          // HiTMicTools' line, with its MemoryLogger suffix (RAM used / free after the movie).
          opts.onLog?.(
            'info',
            `Job ${path.basename(movie)} has finished in time ${((Date.now() - t0) / 1000).toFixed(2)} seconds.${formatMemorySuffix(currentRamFigures())}`,
          );
          return { ...r, ok: true };
        } catch (err) {
          const message =
            killedWorkerHint(err, last, params) ?? (err instanceof Error ? err.message : String(err));
          // Cancelling is the user's choice, not an error of the movie.
          if (opts.signal?.aborted) opts.onLog?.('info', `Cancelled ${path.basename(movie)}.`);
          else opts.onLog?.('error', `Error processing file ${path.basename(movie)}: ${message}`);
          return { file: movie, ok: false, error: message };
        }
      }),
    );
    return { config: file, pipeline, outputDir, movies: outcomes, skipped: selection.skipped, warnings };
  } finally {
    await pool.dispose();
  }
}

/**
 * A worker killed by SIGKILL or SIGABRT in the middle of a model stage most often ran out of
 * memory (the kernel's OOM killer sends SIGKILL; a failed allocation in native code aborts): say
 * so, with the stage and frame it was in and the guide's remedies with this run's numbers.
 */
function killedWorkerHint(
  err: unknown,
  last: MovieProgress | undefined,
  params: MovieJobParams,
): string | null {
  if (!(err instanceof ApiError) || err.code !== 'WORKER_CRASHED') return null;
  const signal = err.details?.signal;
  if (signal !== 'SIGKILL' && signal !== 'SIGABRT') return null;
  const model = last ? MODEL_KEYS.find((k) => MODEL_KEY_TABLE[k].memoryStage === last.stage) : undefined;
  const remedies = model
    ? memoryRemedies(model, { plan: params.models[model], workers: params.workers })
    : [];
  const where = last ? ` during ${last.stage} (frame ${last.done + 1} of ${last.total})` : '';
  return (
    `${err.message}. A worker killed by ${signal}${where} has most often run out of memory ` +
    `(the system's out-of-memory killer sends SIGKILL)` +
    (remedies.length ? `. Remedies: ${remedies.join('; ')}.` : '; use fewer workers or smaller patches.')
  );
}

import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { planModels } from '../collections';
import { loadValidRunConfig } from '../config';
import { WorkerPool, type WorkerLauncher } from '../jobs';
import { isRunnablePipeline, RUNNABLE_PIPELINES, type MovieJobResult, type MovieProgress } from '../pipeline';
import { currentRamFigures, formatMemorySuffix } from '../resources';
import { movieJobParams, outputFolder, runProvenance, workerShares } from './job-params';
import { selectMovies, selectNamedMovies } from './select-movies';

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
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  onProgress?(p: MovieProgress): void;
  onLog?(level: string, message: string): void;
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

/** The canonical pipeline a config names, refused clearly when HiTMic Studio does not run it (yet). */
function runnablePipeline(name: string): string {
  const canonical = findPipeline(name);
  if (!canonical)
    throw new ApiError(
      'BAD_INPUT',
      `Invalid pipeline name: '${name}'. Available pipelines: ${Object.keys(PIPELINE_REQUIRED_MODELS).join(', ')}`,
    );
  if (!isRunnablePipeline(canonical))
    throw new ApiError(
      'NOT_AVAILABLE',
      `Pipeline ${canonical} is recognised but not available in HiTMic Studio yet (${RUNNABLE_PIPELINES.join(', ')} are); run it with HiTMicTools meanwhile.`,
    );
  return canonical;
}

/**
 * Runs a HiTMicTools run config: validates it, finds the models (collection or individual
 * sections), selects the movies as HiTMicTools does, and analyses one movie per job across
 * `num_workers` worker processes. A failed movie is reported and the batch goes on.
 */
export async function runConfig(opts: RunOptions): Promise<RunReport> {
  const { file, config: cfg, warnings, resolved } = await loadValidRunConfig(opts.configPath);
  const pipeline = runnablePipeline(cfg.pipeline ?? String(cfg.pipeline_setup.name));
  const configDir = path.dirname(file);
  const inputData = cfg.input_data;
  const outputDir = outputFolder(cfg, file, opts.outputDir);
  const plan = await planModels(cfg, resolved, {
    libraryDir: opts.libraryDir,
    pipeline,
    baseDir: configDir,
  });
  warnings.push(...plan.warnings);
  const selection = opts.inputs?.length
    ? selectNamedMovies(
        opts.inputs.map((f) => path.resolve(f)),
        { outputFolder: outputDir, force: opts.force },
      )
    : await selectMovies({
        inputFolder: path.resolve(configDir, String(inputData.input_folder)),
        fileType: String(inputData.file_type),
        filePattern: (inputData.file_pattern as string | null) ?? '',
        outputFolder: outputDir,
        worklist: opts.worklist,
        force: opts.force,
      });
  for (const set of selection.fileSets)
    opts.onLog?.('info', `${set.files} files ${path.basename(set.pattern)} are the frames of one movie.`);
  for (const s of selection.skipped)
    opts.onLog?.('info', `File ${path.basename(s)} already analysed. Skipping (use --force to redo it).`);
  const { workers, threads } = workerShares(cfg.pipeline_setup, selection.files.length, opts.numWorkers);
  const pool = new WorkerPool(workers, { launcher: opts.launcher, onLog: opts.onLog });
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
        try {
          const r = await pool.submit({
            method: 'analyse-movie',
            params,
            signal: opts.signal,
            label: path.basename(movie),
            onProgress: (p) => {
              // A job waiting for its memory reports that instead of a stage (shown by the Runs view's log).
              if ('movie' in p) opts.onProgress?.(p);
            },
          });
          // HiTMicTools' line, with its MemoryLogger suffix (RAM used / free after the movie).
          opts.onLog?.(
            'info',
            `Job ${path.basename(movie)} has finished in time ${((Date.now() - t0) / 1000).toFixed(2)} seconds.${formatMemorySuffix(currentRamFigures())}`,
          );
          return { ...r, ok: true };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          opts.onLog?.('error', `Error processing file ${path.basename(movie)}: ${message}`);
          return { file: movie, ok: false, error: message };
        }
      }),
    );
    return { config: file, pipeline, outputDir, movies: outcomes, skipped: selection.skipped, warnings };
  } finally {
    await pool.dispose();
  }
}

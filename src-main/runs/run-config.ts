import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { formatDiagnostic } from '../../src-shared/config/diagnostics';
import { loadRunConfig } from '../config/load';
import type { WorkerLauncher } from '../jobs/launcher';
import { WorkerPool } from '../jobs/worker-pool';
import { currentRamFigures, formatMemorySuffix } from '../resources';
import { appVersion } from '../version';
import type { MovieJobParams, MovieJobResult, MovieProgress } from '../pipeline/job-types';
import { selectMovies } from './select-movies';
import { planModels } from '../collections/model-plan';
import { findPipeline } from './pipelines';

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

/** A config that does not validate, with every diagnostic formatted as file:line:column. */
export class ConfigInvalidError extends Error {
  constructor(
    readonly file: string,
    readonly lines: string[],
  ) {
    super(`the config ${file} has errors:\n${lines.join('\n')}`);
    this.name = 'ConfigInvalidError';
  }
}

/**
 * Runs a HiTMicTools run config: validates it, finds the models (collection or individual
 * sections), selects the movies as HiTMicTools does, and analyses one movie per job across
 * `num_workers` worker processes. A failed movie is reported and the batch goes on.
 */
export async function runConfig(opts: RunOptions): Promise<RunReport> {
  const loaded = await loadRunConfig(opts.configPath);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.ok || !loaded.config)
    throw new ConfigInvalidError(
      loaded.file,
      errors.map((d) => formatDiagnostic(loaded.file, d)),
    );
  const cfg = loaded.config;
  const warnings = loaded.diagnostics
    .filter((d) => d.severity === 'warning')
    .map((d) => formatDiagnostic(loaded.file, d));
  const pipeline = findPipeline(cfg.pipeline ?? String(cfg.pipeline_setup.name));
  if (!pipeline.implemented) {
    throw new ApiError(
      'NOT_AVAILABLE',
      `Pipeline ${pipeline.name} is recognised but not available in HiTMic Studio yet (ASCT_focusrestore, ASCT_scsegm and oof_detection are); run it with HiTMicTools meanwhile.`,
    );
  }
  const configDir = path.dirname(loaded.file);
  const inputData = cfg.input_data;
  const outputDir = path.resolve(configDir, opts.outputDir ?? String(inputData.output_folder));
  const plan = await planModels(cfg, loaded.resolved, {
    libraryDir: opts.libraryDir,
    pipeline: pipeline.name,
    baseDir: configDir,
  });
  warnings.push(...plan.warnings);
  const selection = opts.inputs?.length
    ? { files: opts.inputs.map((f) => path.resolve(f)), skipped: [] as string[] }
    : selectMovies({
        inputFolder: path.resolve(configDir, String(inputData.input_folder)),
        fileType: String(inputData.file_type),
        filePattern: (inputData.file_pattern as string | null) ?? '',
        outputFolder: outputDir,
        worklist: opts.worklist,
        force: opts.force,
      });
  for (const s of selection.skipped)
    opts.onLog?.('info', `File ${path.basename(s)} already analysed. Skipping (use --force to redo it).`);
  const setup = cfg.pipeline_setup;
  const workers = Math.max(
    1,
    opts.numWorkers ??
      (setup.parallel_processing
        ? Number(setup.num_workers) || Math.max(1, Math.floor(os.cpus().length / 2))
        : 1),
  );
  const size = Math.min(workers, Math.max(1, selection.files.length));
  const threads = Math.max(1, Math.floor(os.cpus().length / size));
  const pool = new WorkerPool(size, { launcher: opts.launcher, onLog: opts.onLog });
  const provenance = {
    app: 'hitmic-studio',
    app_version: appVersion(),
    config_file: loaded.file,
    config: cfg,
    collection: plan.collectionDir,
    models: Object.fromEntries(
      Object.entries(plan.models).map(([k, m]) => [
        k,
        { weights: m.weights, infererArgs: m.infererArgs, modelArgs: m.modelArgs },
      ]),
    ),
    config_warnings: warnings,
  };
  try {
    const outcomes = await Promise.all(
      selection.files.map(async (movie): Promise<MovieOutcome> => {
        const params: MovieJobParams = {
          movie,
          outputDir,
          pipeline: pipeline.name,
          setup: {
            referenceChannel: Number(setup.reference_channel),
            piChannel: Number(setup.pi_channel ?? 1),
            alignFrames: Boolean(setup.align_frames),
            method: String(setup.method),
            focusCorrection: setup.focus_correction !== false,
            tracking: Boolean(setup.tracking),
            exportLabelledMasks: Boolean(inputData.export_labelled_masks),
            exportRestored: Boolean(opts.exportRestored),
            scBatchSize:
              typeof setup.sc_segmenter_batch_size === 'number' ? setup.sc_segmenter_batch_size : undefined,
          },
          models: plan.models,
          tracking: setup.tracking ? { section: cfg.tracking, trackerConfig: plan.trackerConfig } : null,
          frames: opts.frames,
          device: opts.device ?? (typeof setup.device === 'string' ? setup.device : 'cpu'),
          capacityGb:
            opts.capacityGb ?? (typeof setup.capacity_gb === 'number' ? setup.capacity_gb : undefined),
          threads,
          spinning: size === 1,
          provenance,
        };
        const t0 = Date.now();
        try {
          const r = await pool.submit<MovieJobResult>({
            method: 'analyse-movie',
            params,
            signal: opts.signal,
            label: path.basename(movie),
            onProgress: (p) => opts.onProgress?.(p as MovieProgress),
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
    return {
      config: loaded.file,
      pipeline: pipeline.name,
      outputDir,
      movies: outcomes,
      skipped: selection.skipped,
      warnings,
    };
  } finally {
    await pool.dispose();
  }
}

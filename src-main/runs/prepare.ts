import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import type { RunConfig } from '../../src-shared/config';
import { planModels, type ModelsPlan } from '../collections';
import { loadValidRunConfig } from '../config';
import { isRunnablePipeline, RUNNABLE_PIPELINES } from '../pipeline';
import { outputFolder } from './job-params';
import { selectMovies, selectNamedMovies, type MovieSelection } from './select-movies';

/** What a run needs before its first movie: the checked config, its models, its movies. */
export interface PreparedRun {
  /** The config file, absolute. */
  file: string;
  cfg: RunConfig;
  /** Canonical pipeline name, one HiTMic Studio runs. */
  pipeline: string;
  outputDir: string;
  plan: ModelsPlan;
  selection: Omit<MovieSelection, 'pattern'>;
  /** The config's warnings (file:line:column) and the model plan's. */
  warnings: string[];
}

export interface PrepareOptions {
  configPath: string;
  /** Movies to analyse instead of input_folder + file_pattern. */
  inputs?: string[];
  outputDir?: string;
  /** A HiTMicTools worklist (.txt, one movie per line), as `hitmictools run -w`. */
  worklist?: string;
  force?: boolean;
  libraryDir?: string;
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
 * Everything of a run up to its movies, shared by `hitmic run` (which then analyses them here)
 * and `hitmic submit` (which hands them to Slurm): validates the config, finds the models
 * (collection or individual sections), and selects the movies as HiTMicTools does — the
 * `--input` files, or input_folder + file_pattern + file_type, or a worklist — with its skip rule.
 */
export async function prepareRun(opts: PrepareOptions): Promise<PreparedRun> {
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
  return { file, cfg, pipeline, outputDir, plan, selection, warnings };
}

import type { ModelKey } from '../../src-shared/collections';
import type { ModelPrecision, ModelRunner } from '../inference';
import { isProviderFallback } from './compute';
import { chainRestorer, type ChainRestorer } from './frame-chain';
import { MovieJobError, type MovieJobDeps, type MovieJobParams } from './job-types';
import { scSegmenter, unetSegmenter, type FrameSegmenter, type LoadedModel } from './segmenters';

/**
 * What differs between the movie pipelines that share the frame loop of analyse-movie.ts:
 * how a frame's objects are found, how labels are numbered, and whether PI status locks in.
 */
export interface MoviePipeline {
  /** Loads the models that find a frame's objects. */
  segmenter(load: ModelLoader, p: MovieJobParams): Promise<FrameSegmenter>;
  /** Objects numbered 1..N per frame (HiTMicTools' key is (frame, label)) instead of per movie. */
  perFrameLabels: boolean;
  /** Once a tracked cell is PI-positive it stays so (HiTMicTools' sc pipelines: dead cells stay dead). */
  piposLockin: boolean;
}

export type ModelLoader = (key: ModelKey) => Promise<LoadedModel>;

/** ASCT_focusrestore: U-Net objects, FlexResNet classes, labels unique in the movie. */
export const FOCUSRESTORE: MoviePipeline = {
  segmenter: async (load) =>
    unetSegmenter(await load('segmentation'), { classifier: await load('cell_classifier') }),
  perFrameLabels: false,
  piposLockin: false,
};

/** ASCT_scsegm: one instance segmenter gives objects and classes; labels restart every frame. */
export const SCSEGM: MoviePipeline = {
  segmenter: async (load, p) => scSegmenter(await load('sc_segmenter'), p.setup.scBatchSize),
  perFrameLabels: true,
  piposLockin: true,
};

export interface MovieModels {
  restorers: { bfFocus?: ChainRestorer; flFocus?: ChainRestorer };
  segmenter: FrameSegmenter;
  pi: ModelRunner;
  /** Execution provider of the first model loaded (the segmenter's). */
  provider: string;
  /** What the session host said while loading (provider fallbacks), for computeUsed. */
  hostWarnings: string[];
  /** Per model loaded: the precision asked for and the one that runs (half_precision). */
  precision: Partial<Record<ModelKey, ModelPrecision>>;
}

/** Loads a movie pipeline's models through the worker's session host, in the order they are first needed. */
export async function loadMovieModels(
  pipeline: MoviePipeline,
  p: MovieJobParams,
  deps: MovieJobDeps,
  warn: (m: string) => void,
): Promise<MovieModels> {
  let provider: string | undefined;
  const hostWarnings: string[] = [];
  const precision: MovieModels['precision'] = {};
  const load: ModelLoader = async (key) => {
    const plan = p.models[key];
    if (!plan)
      throw new MovieJobError(`${p.pipeline} needs the '${key}' model, which the plan lacks`, p.movie);
    const r = await deps.loadRunner(plan);
    hostWarnings.push(...r.warnings);
    // Provider fallbacks are said once for the job (compute.ts); anything else as it comes.
    r.warnings.filter((w) => !isProviderFallback(w)).forEach(warn);
    provider ??= r.provider;
    if (r.precision) precision[key] = r.precision;
    return { plan, runner: r.runner };
  };
  const segmenter = await pipeline.segmenter(load, p);
  const pi = await load('pi_classification');
  const restorers: MovieModels['restorers'] = {};
  if (p.setup.focusCorrection) {
    restorers.bfFocus = chainRestorer(await load('bf_focus'));
    restorers.flFocus = chainRestorer(await load('fl_focus'));
  }
  return { restorers, segmenter, pi: pi.runner, provider: provider ?? 'cpu', hostWarnings, precision };
}

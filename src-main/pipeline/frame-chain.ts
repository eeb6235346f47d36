import {
  backgroundLevel,
  measureFrame,
  relativeIntensities,
  type ConvexAreaCounter,
  type FrameMeasurements,
  type RelativeIntensities,
} from '../analysis';
import { predictorFromRunner, restoreFrame, type WindowPredictor } from '../inference';
import { restoreOptions } from './model-settings';
import type { FrameSegmenter, FrameObjects, LoadedModel } from './segmenters';
import type { StageBooker } from './stage-booking';

/**
 * The per-frame chain, written once: restore bright field and fluorescence → find the objects
 * (segment, classify) → measure them → background level → relative intensities. The movie job
 * runs it on every frame, `hitmic infer` and the Viewer's previews on one frame up to the stage
 * asked for, the oof_detection pipeline on the first frame (measured on the bright field). Every
 * model step runs under its memory booking (`book`).
 *
 * Frames are row-major H×W float32, already prepared by the caller (alignment, flat field — see
 * frame-prep.ts; `hitmic infer` and the previews feed raw planes). A channel not given is not
 * restored; a model not given is not run, so the chain stops where the models stop.
 */
export interface ChainFrame {
  /** Movie frame index: measurements and messages carry it. */
  t: number;
  width: number;
  height: number;
  brightfield?: Float32Array;
  fluorescence?: Float32Array;
}

/** The models of the chain; any may be absent. Restorers are kept as window predictors. */
export interface ChainModels {
  bfFocus?: ChainRestorer;
  flFocus?: ChainRestorer;
  segmenter?: FrameSegmenter;
}

export interface ChainRestorer {
  model: LoadedModel;
  predictor: WindowPredictor;
}

/** A loaded restorer as the chain runs it (sliding windows over the model's runner). */
export function chainRestorer(model: LoadedModel): ChainRestorer {
  return { model, predictor: predictorFromRunner(model.runner) };
}

export interface MeasureStep {
  /** The channel intensities are measured on: the PI fluorescence (pipelines) or the bright field (OOF QC). */
  on: 'fluorescence' | 'brightfield';
  /** Channel index written in the table's `channel` column. */
  channel: number;
  /** Reusable scratch across frames (no allocation per frame in the movie job). */
  hull?: ConvexAreaCounter;
  scratch?: Float32Array;
}

export interface ChainContext {
  book: StageBooker;
  signal?: AbortSignal;
  /** Times a non-model step ('measure') into the job's timings. */
  timed?<T>(step: string, work: () => Promise<T>): Promise<T>;
}

export interface ChainResult {
  /** The bright field the objects were found on (restored when a restorer ran). */
  brightfield?: Float32Array;
  /** The fluorescence as measured (restored when a restorer ran). */
  fluorescence?: Float32Array;
  objects?: FrameObjects;
  measurements?: FrameMeasurements;
  /** Background level of the measured channel (pixels outside objects). */
  background?: number;
  rel?: RelativeIntensities;
}

export async function runFrameChain(
  frame: ChainFrame,
  models: ChainModels,
  steps: { measure?: MeasureStep },
  ctx: ChainContext,
): Promise<ChainResult> {
  const { width: W, height: H, t } = frame;
  const { book, signal } = ctx;
  const timed = ctx.timed ?? (<T>(_step: string, work: () => Promise<T>) => work());
  const restore = (
    stage: 'bf_focus' | 'fl_focus',
    restorer: ChainRestorer | undefined,
    data: Float32Array | undefined,
  ) => (data && restorer ? restoreChannel(stage, restorer, data, W, H, book, signal) : data);

  signal?.throwIfAborted();
  const result: ChainResult = {};
  result.brightfield = await restore('bf_focus', models.bfFocus, frame.brightfield);
  result.fluorescence = await restore('fl_focus', models.flFocus, frame.fluorescence);
  if (!models.segmenter || !result.brightfield) return result;
  const objects = await models.segmenter(result.brightfield, W, H, book, signal);
  result.objects = objects;
  const m = steps.measure;
  if (!m) return result;
  const image = m.on === 'fluorescence' ? result.fluorescence : result.brightfield;
  if (!image) throw new Error(`frame ${t}: no ${m.on} image to measure objects on`);
  Object.assign(result, await timed('measure', async () => measureObjects(objects.labels, image, frame, m)));
  return result;
}

/**
 * One restorer on one channel of a frame (row-major H×W float32), under its booking. HiTMicTools
 * rescales the fluorescence restorer's output back to the input's range; the bright field stays
 * in the model's range.
 */
export async function restoreChannel(
  stage: 'bf_focus' | 'fl_focus',
  restorer: ChainRestorer,
  data: Float32Array,
  width: number,
  height: number,
  book: StageBooker,
  signal?: AbortSignal,
): Promise<Float32Array> {
  return book(stage, async () => {
    const r = await restoreFrame(
      { data, height, width },
      restorer.predictor,
      restoreOptions(restorer.model.plan, stage === 'fl_focus', signal),
    );
    return r.restored.data;
  });
}

/** The chain's measure step: per-object measurements, the frame's background level, relative intensities. */
export function measureObjects(
  labels: FrameObjects['labels'],
  image: Float32Array,
  frame: { t: number; width: number; height: number },
  m: MeasureStep,
): Required<Pick<ChainResult, 'measurements' | 'background' | 'rel'>> {
  const { t, width: W, height: H } = frame;
  const measurements = measureFrame(labels, image, W, H, { frame: t, channel: m.channel, hull: m.hull });
  const background = backgroundLevel(image, labels, W, H, { scratch: m.scratch });
  return { measurements, background, rel: relativeIntensities(measurements, background, t) };
}

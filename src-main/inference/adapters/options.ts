import { InferenceOptionError, ModelOutputError } from '../errors';
import type { BlendMode } from '../tiling/importance-map';
import type { WindowPredictor } from '../tiling/predictor';
import { slidingWindowInference } from '../tiling/sliding-window';

/** HiTMicTools' inferer_args checks (FocusRestorer / Segmentator constructors). */
export function checkPatchAndOverlap(patchSize: number, overlap: number, modelKey: string): void {
  if (!Number.isInteger(patchSize) || patchSize <= 0)
    throw new InferenceOptionError('patch_size', 'a positive integer', String(patchSize), modelKey);
  if (!(typeof overlap === 'number' && overlap >= 0 && overlap < 1)) {
    throw new InferenceOptionError('overlap_ratio', 'a number in [0, 1)', String(overlap), modelKey);
  }
}

export interface StageTimings {
  /** Milliseconds per stage, in the order they ran. */
  [stage: string]: number;
}

/** The window settings restorer and segmenter share (HiTMicTools inferer_args). */
export interface FrameTilingOptions {
  patchSize: number;
  overlap: number;
  /** Windows per model call (fixed; the last call is padded). Default 4. */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Runs a one-channel image-to-image model over one scaled H×W frame with reflect padding and the
 * given blend, and insists on one output channel (`output` names it in the error). `average: false`
 * returns Σ(pred·w) and Σw instead of the blended output (see slidingWindowInference).
 */
export async function tileOneChannelFrame(
  data: Float32Array,
  height: number,
  width: number,
  predictor: WindowPredictor,
  opts: FrameTilingOptions,
  mode: BlendMode,
  output: { what: string; expected: string; fix: string },
  average = true,
): Promise<{ data: Float32Array; weights?: Float32Array; modelMs: number }> {
  const res = await slidingWindowInference({ data, channels: 1, height, width }, predictor, {
    roiSize: opts.patchSize,
    overlap: opts.overlap,
    mode,
    paddingMode: 'reflect',
    batchSize: opts.batchSize,
    signal: opts.signal,
    average,
  });
  if (res.output.channels !== 1) {
    throw new ModelOutputError(
      predictor.key,
      output.what,
      output.expected,
      `${res.output.channels} channels`,
      output.fix,
    );
  }
  return { data: res.output.data, weights: res.weights, modelMs: res.stats.modelMs };
}

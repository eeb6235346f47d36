import { assertFrame, type Frame } from '../frame';
import { labelComponents, labelRuns, RowRuns, type LabelResult } from '../labelling/connected-components';
import { scaleFrame, type ScaleMethod, type ScaleStats, type ScalerArgs } from '../scaling/scalers';
import type { WindowPredictor } from '../tiling/predictor';
import {
  checkPatchAndOverlap,
  tileOneChannelFrame,
  type FrameTilingOptions,
  type StageTimings,
} from './options';

/**
 * Semantic segmentation (`segmentation`; MONAI UNet) as HiTMicTools Segmentator.predict plus its
 * post-processing, one frame: optional scaling (default 'none': the input is the BF restorer output,
 * already normalised) → constant-blended sliding window (reflect padding) → sigmoid of the blended
 * logits (skip with `sigmoid: false` for models with the sigmoid inside) → prob > threshold (strict,
 * default 0.5) → 4-connected labelling → objects < minSize (default 20) px removed → labels 1..N in
 * raster order of their first pixel. The model must have one output channel.
 * Labels are per frame: offsetting them across frames is the caller's job.
 */
export interface SegmentOptions extends FrameTilingOptions {
  scaleMethod?: ScaleMethod;
  scalerArgs?: ScalerArgs;
  /** Apply sigmoid to the blended output; default true. */
  sigmoid?: boolean;
  /**
   * Also return the probability map (default true). The pipeline only needs the objects: then the
   * sigmoid is skipped and the mask is taken from the logits with the same float32 decision.
   */
  probability?: boolean;
  threshold?: number;
  minSize?: number;
  connectivity?: 4 | 8;
}

export interface SegmentResult {
  /** Sigmoid probabilities; absent when `probability: false` was asked. */
  probability?: Frame;
  labels: Uint16Array | Uint32Array;
  count: number;
  /** Pixel area per label (index 0 unused). */
  areas: Uint32Array;
  scale: ScaleStats;
  timings: StageTimings;
  modelMs: number;
}

export async function segmentFrame(
  frame: Frame,
  predictor: WindowPredictor,
  opts: SegmentOptions,
): Promise<SegmentResult> {
  assertFrame(frame, 'segmentation input frame', predictor.key);
  checkPatchAndOverlap(opts.patchSize, opts.overlap, predictor.key);
  const { height: H, width: W } = frame;
  const t0 = performance.now();
  const method = opts.scaleMethod ?? 'none';
  // 'none' (the default: the input is the BF restorer output) reads the frame as it is; no copy needed.
  const scaled =
    method === 'none'
      ? { data: frame.data, stats: { method } as const }
      : scaleFrame(frame.data, H, W, method, opts.scalerArgs);
  const t1 = performance.now();
  const threshold = opts.threshold ?? 0.5;
  const sigmoid = opts.sigmoid !== false;
  // Only the objects are wanted and float32(sigmoid(x)) > 0.5 ⇔ x > 0 (but for x so small that the
  // sigmoid rounds to 0.5): decide from the blended logits' sums Σ(logit·w), whose sign is that of
  // their average (Σw > 0), and divide only where the sum is that close to 0.
  const fromSums = sigmoid && opts.probability === false && threshold === 0.5;
  const tiled = await tileOneChannelFrame(
    scaled.data,
    H,
    W,
    predictor,
    opts,
    'constant',
    {
      what: 'segmentation output',
      expected: '1 channel (out_channels = 1)',
      fix: 'Export the segmentation model with a single foreground logit channel.',
    },
    !fromSums,
  );
  const t2 = performance.now();
  const prob = tiled.data;
  const labelOpts = { connectivity: opts.connectivity ?? 4, minSize: opts.minSize ?? 20 };
  let lab: LabelResult;
  let t3: number;
  if (fromSums && tiled.weights) {
    const runs = positiveLogitRuns(prob, tiled.weights, H, W);
    t3 = performance.now();
    lab = labelRuns(runs, labelOpts);
  } else {
    if (sigmoid) for (let i = 0; i < prob.length; i++) prob[i] = 1 / (1 + Math.exp(-prob[i]));
    const mask = new Uint8Array(H * W);
    for (let i = 0; i < mask.length; i++) mask[i] = prob[i] > threshold ? 1 : 0;
    t3 = performance.now();
    lab = labelComponents(mask, H, W, labelOpts);
  }
  const t4 = performance.now();
  return {
    ...(opts.probability === false && sigmoid ? {} : { probability: { data: prob, height: H, width: W } }),
    labels: lab.labels,
    count: lab.count,
    areas: lab.areas,
    scale: scaled.stats,
    timings: { scale: t1 - t0, tiles: t2 - t1, threshold: t3 - t2, label: t4 - t3 },
    modelMs: tiled.modelMs,
  };
}

/**
 * The runs of pixels where float32(sigmoid(float32(sum/weight))) > 0.5, found from the sums: a sum
 * ≤ 0 gives an average ≤ 0 (no object); an average above 1e-6 has a sigmoid above 0.5 in float32;
 * only the sliver between is divided and tested exactly.
 */
function positiveLogitRuns(sum: Float32Array, weights: Float32Array, height: number, width: number): RowRuns {
  const runs = new RowRuns(height, width);
  const inObject = (i: number): boolean => {
    const s = sum[i];
    if (!(s > 0)) return false;
    const w = weights[i];
    if (s > 2e-6 * w) return true;
    const x = Math.fround(s / w);
    return x > 1e-6 || Math.fround(1 / (1 + Math.exp(-x))) > 0.5;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    runs.beginRow(y);
    let x = 0;
    while (x < width) {
      while (x < width && !inObject(row + x)) x++;
      if (x === width) break;
      const s = x;
      while (x < width && inObject(row + x)) x++;
      runs.add(s, x);
    }
  }
  return runs.finish();
}

import { FrameError, InferenceOptionError, ModelInputError, ModelOutputError } from '../errors';
import type { ChannelStack } from '../frame';
import { importanceMap, type BlendMode } from './importance-map';
import { WeightedMerger } from './merger';
import { padAmounts, padStack, type PadMode } from './pad';
import type { WindowPredictor } from './predictor';
import { windowGrid } from './windows';

export interface SlidingWindowOptions {
  /** Window size (H, W) or one number for square windows. */
  roiSize: number | readonly [number, number];
  /** Fraction of overlap between windows in [0, 1); MONAI default 0.25. */
  overlap?: number;
  /** Blend mode: 'constant' (MONAI default; HiTMicTools segmenter) or 'gaussian' (restorers). */
  mode?: BlendMode;
  /** σ = sigmaScale·roi for gaussian blending; default 0.125. */
  sigmaScale?: number;
  /** Padding of images smaller than the roi; default 'reflect' as HiTMicTools passes (MONAI's own default is constant). */
  paddingMode?: PadMode;
  /** Value for constant padding; default 0. */
  cval?: number;
  /**
   * Windows per model call; default 4. The last call is filled up with copies of its last window so
   * the model always sees the same input shape. A model with a fixed batch dim overrides this.
   */
  batchSize?: number;
  /** Checked between model calls. */
  signal?: AbortSignal;
  /**
   * false: return the undivided sums Σ(pred·w) as `output` and Σw as `weights` (default true: the
   * average). For callers that only need the sign of the average, e.g. logits thresholded at 0.
   * `weights` may be shared with later calls: read it, never write it.
   */
  average?: boolean;
}

export interface SlidingWindowStats {
  windows: number;
  calls: number;
  /** Time spent in or waiting for predictor.predict (ms); blending done meanwhile is not counted. */
  modelMs: number;
  /** Total time (ms). */
  totalMs: number;
}

/**
 * MONAI 1.5 `sliding_window_inference` for 2-D NCHW models, on one C×H×W float32 image
 * (any size from 1×1): pad dims smaller than the roi (floor(diff/2) before, the rest after; see pad.ts),
 * place windows (see windows.ts), run them in batches, blend with the importance map
 * (Σ(pred·w)/Σ(w)) and crop the padding off. Returns outChannels×H×W float32.
 */
export async function slidingWindowInference(
  input: ChannelStack,
  predictor: WindowPredictor,
  opts: SlidingWindowOptions,
): Promise<{ output: ChannelStack; weights?: Float32Array; stats: SlidingWindowStats }> {
  const t0 = performance.now();
  const { channels: C, height: H, width: W } = input;
  if (!(H >= 1 && W >= 1) || input.data.length !== C * H * W) {
    throw new FrameError(
      'sliding window input',
      `C·H·W = ${C}·${H}·${W} values with H, W ≥ 1`,
      `${input.data.length} values`,
      'Skip empty frames before inference.',
      predictor.key,
    );
  }
  if (C !== predictor.inChannels) {
    throw new ModelInputError(
      predictor.key,
      'image',
      `${predictor.inChannels} channel(s)`,
      `${C} channel(s)`,
      'Select the channel(s) the model was trained on.',
    );
  }
  const [roiH, roiW] = typeof opts.roiSize === 'number' ? [opts.roiSize, opts.roiSize] : opts.roiSize;
  if (!Number.isInteger(roiH) || !Number.isInteger(roiW) || roiH < 1 || roiW < 1) {
    throw new InferenceOptionError('roi_size', 'positive integers', `${roiH}×${roiW}`, predictor.key);
  }
  if (predictor.fixedRoi && (predictor.fixedRoi[0] !== roiH || predictor.fixedRoi[1] !== roiW)) {
    throw new ModelInputError(
      predictor.key,
      'window',
      `${predictor.fixedRoi[0]}×${predictor.fixedRoi[1]} (the model's fixed input size)`,
      `${roiH}×${roiW}`,
      `Set patch_size to ${predictor.fixedRoi[0]}.`,
    );
  }
  const overlap = opts.overlap ?? 0.25;
  let batchSize = opts.batchSize ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InferenceOptionError('batch_size', 'a positive integer', String(batchSize), predictor.key);
  if (predictor.fixedBatch !== undefined) batchSize = predictor.fixedBatch;

  const [pt, pb] = padAmounts(H, roiH);
  const [pl, pr] = padAmounts(W, roiW);
  const padded = padStack(
    input.data,
    C,
    H,
    W,
    { top: pt, bottom: pb, left: pl, right: pr },
    opts.paddingMode ?? 'reflect',
    opts.cval ?? 0,
  );
  const PH = padded.height;
  const PW = padded.width;
  const grid = windowGrid(PH, PW, roiH, roiW, overlap);
  const mode = opts.mode ?? 'constant';
  const map = importanceMap(roiH, roiW, mode, opts.sigmaScale ?? 0.125);
  const geometry = { grid, roiH, roiW, map, constant: mode === 'constant' };

  const winSize = C * roiH * roiW;
  const dims = [batchSize, C, roiH, roiW] as const;
  // With a runner that works on several calls at once (sessions on their own threads), keep that many
  // batches in flight and blend finished ones meanwhile; results are still blended in window order.
  const depth = Math.max(1, Math.min(8, Math.floor(predictor.concurrency ?? 1)));
  const batches = Array.from({ length: depth }, () => new Float32Array(batchSize * winSize));
  const inFlight: { first: number; n: number; result: Promise<{ data: Float32Array; channels: number }> }[] =
    [];
  let merger: WeightedMerger | undefined;
  let modelMs = 0;
  let calls = 0;
  const nx = grid.xs.length;
  const blend = async (job: (typeof inFlight)[number]): Promise<void> => {
    const tw = performance.now();
    const res = await job.result;
    modelMs += performance.now() - tw;
    calls++;
    merger ??= new WeightedMerger(res.channels, PH, PW, geometry);
    if (res.channels !== merger.channels) {
      throw new ModelOutputError(
        predictor.key,
        'window output',
        `${merger.channels} channel(s) as in the first call`,
        `${res.channels} channel(s)`,
        'The model must return the same number of channels for every batch.',
      );
    }
    const outWin = res.channels * roiH * roiW;
    for (let b = 0; b < job.n; b++) merger.aggregate(res.data, b * outWin, job.first + b);
  };
  for (let first = 0, slot = 0; first < grid.count; first += batchSize, slot = (slot + 1) % depth) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    // This slot's previous batch was blended before it comes round again (at most depth in flight).
    const batch = batches[slot];
    const n = Math.min(batchSize, grid.count - first);
    for (let b = 0; b < n; b++) {
      const k = first + b;
      copyWindow(
        padded.data,
        C,
        PH,
        PW,
        grid.ys[Math.floor(k / nx)],
        grid.xs[k % nx],
        roiH,
        roiW,
        batch,
        b * winSize,
      );
    }
    for (let b = n; b < batchSize; b++) batch.copyWithin(b * winSize, (n - 1) * winSize, n * winSize);
    const tm = performance.now();
    const result = predictor.predict(batch, dims);
    modelMs += performance.now() - tm;
    // A later batch may fail while an earlier one is awaited: its rejection is handled when its turn comes.
    result.catch(() => undefined);
    inFlight.push({ first, n, result });
    if (inFlight.length >= depth) await blend(inFlight.shift()!);
  }
  while (inFlight.length > 0) await blend(inFlight.shift()!);
  if (!merger) throw new Error('sliding window produced no windows');
  const outC = merger.channels;
  const wasPadded = pt || pb || pl || pr;
  const crop = (data: Float32Array, channels: number) =>
    wasPadded ? cropStack(data, channels, PH, PW, pt, pl, H, W) : data;
  const stats = { windows: grid.count, calls, modelMs, totalMs: 0 };
  const output = { channels: outC, height: H, width: W };
  if (opts.average === false) {
    const sums = merger.sums();
    stats.totalMs = performance.now() - t0;
    // The cached weights are shared between frames: a cropped copy is fresh, the uncropped one is not.
    return { output: { ...output, data: crop(sums.sum, outC) }, weights: crop(sums.weights, 1), stats };
  }
  const data = crop(merger.finalize(), outC);
  stats.totalMs = performance.now() - t0;
  return { output: { ...output, data }, stats };
}

function copyWindow(
  src: Float32Array,
  C: number,
  H: number,
  W: number,
  y0: number,
  x0: number,
  rh: number,
  rw: number,
  dst: Float32Array,
  offset: number,
): void {
  let o = offset;
  for (let c = 0; c < C; c++) {
    const base = c * H * W;
    for (let y = 0; y < rh; y++) {
      const s = base + (y0 + y) * W + x0;
      dst.set(src.subarray(s, s + rw), o);
      o += rw;
    }
  }
}

function cropStack(
  src: Float32Array,
  C: number,
  H: number,
  W: number,
  top: number,
  left: number,
  h: number,
  w: number,
): Float32Array {
  const out = new Float32Array(C * h * w);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < h; y++) {
      const s = c * H * W + (top + y) * W + left;
      out.set(src.subarray(s, s + w), (c * h + y) * w);
    }
  }
  return out;
}

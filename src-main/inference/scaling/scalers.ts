import { InferenceOptionError } from '../errors';
import { columnQuantileOfQuantiles } from './quantile';

/**
 * HiTMicTools ImageScaler (model_components/image_scaler.py) on one H×W float32 frame (row-major).
 * Statistics are per frame, as HiTMicTools computes them per (batch, channel) image.
 *
 * - range01 (default): mi/ma = quantile of per-column quantiles at pmin/100 and pmax/100 (defaults
 *   1 and 99.8, linear interpolation); y = (x − mi)/(ma − mi + eps), eps = float32 machine epsilon;
 *   clipped to [0,1] unless clip = false.
 * - fixed_range: y = x/(2^bitDepth − 1), bitDepth 1..32, no clipping.
 * - zscore: y = (x − mean)/(std + 1e-6), std unbiased (N−1).
 * - combined: range01 (clipped) then zscore.
 * - none: y = x (a copy).
 * Arithmetic is rounded to float32 at each step as torch does.
 */
export type ScaleMethod = 'range01' | 'fixed_range' | 'zscore' | 'combined' | 'none';

export const SCALE_METHODS: readonly ScaleMethod[] = ['range01', 'fixed_range', 'zscore', 'combined', 'none'];

/** float32 machine epsilon (torch.finfo(torch.float32).eps). */
export const FLOAT32_EPS = 1.1920928955078125e-7;

export interface ScalerArgs {
  /** Lower percentile for range01/combined, 0 ≤ pmin < pmax; default 1. */
  pmin?: number;
  /** Upper percentile for range01/combined, pmax ≤ 100; default 99.8. */
  pmax?: number;
  /** Clamp range01 output to [0,1]; default true (combined always clips). */
  clip?: boolean;
  /** Bit depth for fixed_range, 1..32 (required). */
  bitDepth?: number;
}

export type ScaleStats =
  | { method: 'range01'; mi: number; ma: number }
  | { method: 'fixed_range'; bitDepth: number }
  | { method: 'zscore'; mean: number; std: number }
  | { method: 'combined'; mi: number; ma: number; mean: number; std: number }
  | { method: 'none' };

export interface Scaled {
  data: Float32Array;
  stats: ScaleStats;
}

const f = Math.fround;

function range01Params(args: ScalerArgs): { pmin: number; pmax: number } {
  let pmin = 1;
  let pmax = 99.8;
  if (args.pmin !== undefined && args.pmax !== undefined) {
    pmin = args.pmin;
    pmax = args.pmax;
  }
  if (!(pmin >= 0 && pmin < pmax && pmax <= 100)) {
    throw new InferenceOptionError(
      'pmin/pmax',
      '0 <= pmin < pmax <= 100',
      `pmin=${args.pmin}, pmax=${args.pmax}`,
    );
  }
  return { pmin, pmax };
}

function checkBitDepth(bitDepth: number | undefined): number {
  if (bitDepth === undefined)
    throw new InferenceOptionError(
      'bit_depth',
      'an integer 1..32 (required for fixed_range scaling)',
      'nothing',
    );
  if (!Number.isInteger(bitDepth) || bitDepth < 1 || bitDepth > 32) {
    throw new InferenceOptionError('bit_depth', 'an integer between 1 and 32', String(bitDepth));
  }
  return bitDepth;
}

/** Mean and unbiased std of the data, accumulated in float64 and returned as float32 values. */
export function meanStd(data: Float32Array): { mean: number; std: number } {
  const n = data.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += data[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    ss += d * d;
  }
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;
  return { mean: f(mean), std: f(std) };
}

function applyRange01(src: Float32Array, out: Float32Array, mi: number, ma: number, clip: boolean): void {
  const den = f(f(ma - mi) + FLOAT32_EPS);
  for (let i = 0; i < src.length; i++) {
    let v = f(src[i] - mi) / den;
    if (clip) v = v < 0 ? 0 : v > 1 ? 1 : v;
    out[i] = v;
  }
}

function applyZscore(src: Float32Array, out: Float32Array, mean: number, std: number): void {
  const den = f(std + 1e-6);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i] - mean) / den;
}

/**
 * Scales one frame. `out` (same length) is written if given, else a new array; `src` is unchanged.
 * `scratch` (length ≥ 16·H) is reused by the range01 quantiles.
 */
export function scaleFrame(
  src: Float32Array,
  height: number,
  width: number,
  method: ScaleMethod,
  args: ScalerArgs = {},
  out?: Float32Array,
  scratch?: Float32Array,
): Scaled {
  const dst = out ?? new Float32Array(src.length);
  switch (method) {
    case 'range01':
    case 'combined': {
      const { pmin, pmax } = range01Params(args);
      const [mi, ma] = columnQuantileOfQuantiles(src, height, width, [pmin / 100, pmax / 100], scratch);
      applyRange01(src, dst, mi, ma, method === 'combined' ? true : args.clip !== false);
      if (method === 'range01') return { data: dst, stats: { method, mi, ma } };
      const { mean, std } = meanStd(dst);
      applyZscore(dst, dst, mean, std);
      return { data: dst, stats: { method, mi, ma, mean, std } };
    }
    case 'fixed_range': {
      const bitDepth = checkBitDepth(args.bitDepth);
      const den = f(2 ** bitDepth - 1);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] / den;
      return { data: dst, stats: { method, bitDepth } };
    }
    case 'zscore': {
      const { mean, std } = meanStd(src);
      applyZscore(src, dst, mean, std);
      return { data: dst, stats: { method, mean, std } };
    }
    case 'none':
      dst.set(src);
      return { data: dst, stats: { method } };
    default:
      throw new InferenceOptionError('scale_method', SCALE_METHODS.join(', '), String(method));
  }
}

/**
 * Inverse scaling (HiTMicTools rescale_image): range01 y·(ma−mi)+mi (no eps), zscore y·std+mean,
 * combined = zscore inverse then range01 inverse, fixed_range y·(2^b−1), none = copy.
 * Works in place when `out` is `data`.
 */
export function rescaleFrame(data: Float32Array, stats: ScaleStats, out?: Float32Array): Float32Array {
  const dst = out ?? new Float32Array(data.length);
  switch (stats.method) {
    case 'range01': {
      const r = f(stats.ma - stats.mi);
      for (let i = 0; i < data.length; i++) dst[i] = f(data[i] * r) + stats.mi;
      break;
    }
    case 'zscore':
      for (let i = 0; i < data.length; i++) dst[i] = f(data[i] * stats.std) + stats.mean;
      break;
    case 'combined': {
      const r = f(stats.ma - stats.mi);
      for (let i = 0; i < data.length; i++) dst[i] = f(f(f(data[i] * stats.std) + stats.mean) * r) + stats.mi;
      break;
    }
    case 'fixed_range': {
      const m = f(2 ** stats.bitDepth - 1);
      for (let i = 0; i < data.length; i++) dst[i] = data[i] * m;
      break;
    }
    case 'none':
      if (dst !== data) dst.set(data);
      break;
  }
  return dst;
}

import { AnalysisError, AnalysisOptionError, checkFrame } from '../errors';
import { GaussianBlur } from './gaussian-blur';

/** Physical size of HiTMicTools' background blur ("sigma_r"), micrometres. */
export const BACKGROUND_BLUR_UM = 20;

/**
 * OpenCV kernel size HiTMicTools uses for `standard` background correction
 * (`img_ops.clear_background`): n = int(20 µm / pixel size) (truncated), then `round_to_odd(n)`
 * = n when n is odd, n + 1 otherwise (so 0 → 1). E.g. 0.65 µm/px → 30 → 31.
 */
export function backgroundKernelSize(pixelSizeUm: number, blurUm = BACKGROUND_BLUR_UM): number {
  if (!(pixelSizeUm > 0) || !Number.isFinite(pixelSizeUm)) {
    throw new AnalysisOptionError(
      'pixelSizeUm',
      'a positive pixel size in µm/px (OME PhysicalSizeX)',
      String(pixelSizeUm),
      'Give the pixel size from the movie metadata, or set it in the run config.',
    );
  }
  const n = Math.trunc(blurUm / pixelSizeUm);
  return n % 2 === 1 ? n : n + 1;
}

/**
 * HiTMicTools `standard` background (flat-field) correction of one float32 frame:
 * `clip(img / GaussianBlur(img, (k, k), 0), 0, None)` with k = backgroundKernelSize(pixel size)
 * and OpenCV's BORDER_REFLECT_101. The result is a ratio around 1. Where the blurred value is 0 the
 * result is 0 (OpenCV 4 would give ±Inf or NaN for float data). Negative ratios become 0; NaN stays
 * NaN. `out` may be `src` (in-place); pass a `GaussianBlur` of the right size to reuse its buffers.
 */
export function correctBackgroundStandard(
  src: Float32Array,
  width: number,
  height: number,
  pixelSizeUm: number,
  out?: Float32Array,
  blur?: GaussianBlur,
): Float32Array {
  checkFrame('src', src, width, height);
  const ksize = backgroundKernelSize(pixelSizeUm);
  const g = blur ?? new GaussianBlur(ksize);
  if (g.ksize !== ksize)
    throw new AnalysisOptionError('blur', `a GaussianBlur of kernel size ${ksize}`, `kernel size ${g.ksize}`);
  const blurred = g.apply(src, width, height);
  const dst = out ?? new Float32Array(src.length);
  checkFrame('out', dst, width, height);
  for (let i = 0; i < src.length; i++) {
    const b = blurred[i];
    const v = src[i] / b;
    dst[i] = b === 0 ? 0 : v < 0 ? 0 : v;
  }
  return dst;
}

export type BackgroundMethod = 'standard' | 'basicpy' | 'basicpy_fl';

/**
 * The correction a channel gets: `standard` (divide by a 20 µm Gaussian blur), `basic` (BaSiC flat
 * field and per-frame baseline fitted over the movie, basic.ts) or `none` (left in camera counts).
 */
export type ChannelCorrection = 'standard' | 'basic' | 'none';

/** What background correction runs on each channel for a configured `method`. */
export interface BackgroundPlan {
  requested: BackgroundMethod;
  /** Correction applied to the reference (bright-field) channel. */
  reference: Exclude<ChannelCorrection, 'none'>;
  /** Correction applied to the fluorescence (PI) channel. */
  fluorescence: Exclude<ChannelCorrection, 'standard'>;
  /** A visible log line when the run departs from HiTMicTools; null when it does not. */
  warning: string | null;
}

/** `method` is not one HiTMicTools accepts (it raises `ValueError("Invalid method")`). */
export class BackgroundMethodError extends AnalysisError {
  constructor(method: string) {
    super('unknown background method', {
      where: "pipeline_setup 'method'",
      expected: "'standard', 'basicpy' or 'basicpy_fl'",
      actual: `'${method}'`,
      hint: "Set method to 'basicpy_fl' (HiTMicTools' recommended: BaSiC on fluorescence) or 'standard'.",
    });
  }
}

/**
 * Resolves `pipeline_setup.method` per channel as HiTMicTools' movie pipelines do (their
 * `clear_background`): `basicpy_fl` → bright field `standard`, fluorescence BaSiC; `basicpy` →
 * BaSiC on both; `standard` → bright field `standard`, and the fluorescence left in counts with a
 * warning — HiTMicTools' own `standard` crashes on the PI channel (no pixel size is passed), and a
 * per-frame 20 µm blur is no substitute there: PI-positive cells are about that size, so dividing
 * by it erases them.
 */
export function planBackgroundCorrection(method: string): BackgroundPlan {
  if (method === 'basicpy_fl')
    return { requested: method, reference: 'standard', fluorescence: 'basic', warning: null };
  if (method === 'basicpy')
    return { requested: method, reference: 'basic', fluorescence: 'basic', warning: null };
  if (method === 'standard') {
    return {
      requested: 'standard',
      reference: 'standard',
      fluorescence: 'none',
      warning:
        "method 'standard' leaves the fluorescence (PI) channel uncorrected, in camera counts " +
        "(HiTMicTools' 'standard' fails on that channel); set method: basicpy_fl for HiTMicTools' BaSiC correction",
    };
  }
  throw new BackgroundMethodError(method);
}

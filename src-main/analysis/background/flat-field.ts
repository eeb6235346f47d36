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

/** What background correction will actually run on each channel for a configured `method`. */
export interface BackgroundPlan {
  requested: BackgroundMethod;
  /** Correction applied to the reference (bright-field) channel. */
  reference: 'standard';
  /** Correction applied to fluorescence channels (PI, GFP). */
  fluorescence: 'standard';
  /** A visible log line when the request could not be honoured; null when it is. */
  warning: string | null;
}

/** `method` is not one HiTMicTools accepts (it raises `ValueError("Invalid method")`). */
export class BackgroundMethodError extends AnalysisError {
  constructor(method: string) {
    super('unknown background method', {
      where: "pipeline_setup 'method'",
      expected: "'standard', 'basicpy' or 'basicpy_fl'",
      actual: `'${method}'`,
      hint: "Set method to 'standard' (divide by a 20 µm Gaussian blur).",
    });
  }
}

/**
 * Resolves `pipeline_setup.method`. BaSiC (`basicpy`, `basicpy_fl`) is not implemented in HiTMic
 * Studio: both fall back to `standard` on every channel, and the returned `warning` says so for the
 * pipeline to log visibly (values then differ from HiTMicTools' BaSiC runs: BaSiC also subtracts a
 * per-frame baseline, so HiTMicTools' fluorescence backgrounds are ≈ 0 while ours are ≈ 1).
 */
export function planBackgroundCorrection(method: string): BackgroundPlan {
  if (method === 'standard')
    return { requested: 'standard', reference: 'standard', fluorescence: 'standard', warning: null };
  if (method === 'basicpy' || method === 'basicpy_fl') {
    return {
      requested: method,
      reference: 'standard',
      fluorescence: 'standard',
      warning:
        `Background method '${method}' (BaSiC) is not available in HiTMic Studio; using 'standard' ` +
        '(divide by a 20 µm Gaussian blur) on all channels instead. Intensities and backgrounds will differ ' +
        "from HiTMicTools' BaSiC results; set method: standard to silence this warning.",
    };
  }
  throw new BackgroundMethodError(method);
}

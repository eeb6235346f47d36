import { AnalysisOptionError, checkFrame } from '../errors';

/** OpenCV's fixed kernels, used by getGaussianKernel for odd ksize ≤ 7 when sigma ≤ 0. */
const SMALL_GAUSSIAN_TAB: readonly (readonly number[])[] = [
  [1],
  [0.25, 0.5, 0.25],
  [0.0625, 0.25, 0.375, 0.25, 0.0625],
  [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
];

/** OpenCV's sigma for `sigma ≤ 0`: 0.3·((ksize − 1)·0.5 − 1) + 0.8. */
export function openCvAutoSigma(ksize: number): number {
  return 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8;
}

/**
 * The 1-D kernel of OpenCV `getGaussianKernel(ksize, 0)` (what `GaussianBlur(img, (k, k), 0)`
 * uses on both axes): the fixed binomial table for ksize 1, 3, 5, 7; otherwise
 * exp(−x²/(2σ²)) at x = i − (ksize−1)/2 with σ = openCvAutoSigma(ksize), normalised to sum 1.
 * Values are float64 (OpenCV rounds them to float32 for float32 images; the difference is < 1e-7).
 */
export function openCvGaussianKernel(ksize: number): Float64Array {
  if (!Number.isInteger(ksize) || ksize < 1 || ksize % 2 === 0) {
    throw new AnalysisOptionError('ksize', 'an odd positive integer kernel size', String(ksize));
  }
  const k = new Float64Array(ksize);
  if (ksize <= 7) {
    k.set(SMALL_GAUSSIAN_TAB[ksize >> 1]);
    return k;
  }
  const sigma = openCvAutoSigma(ksize);
  const scale = -0.5 / (sigma * sigma);
  let sum = 0;
  for (let i = 0; i < ksize; i++) {
    const x = i - (ksize - 1) * 0.5;
    k[i] = Math.exp(scale * x * x);
    sum += k[i];
  }
  for (let i = 0; i < ksize; i++) k[i] /= sum;
  return k;
}

/** OpenCV BORDER_REFLECT_101 index (gfedcb|abcdefgh|gfedcba), valid for any distance outside. */
export function reflect101(p: number, len: number): number {
  if (len === 1) return 0;
  while (p < 0 || p >= len) p = p < 0 ? -p : 2 * len - 2 - p;
  return p;
}

/**
 * Separable Gaussian blur equal to OpenCV `cv2.GaussianBlur(img, (ksize, ksize), 0)` on a float32
 * image with the default border (BORDER_REFLECT_101): a horizontal pass into a float32 buffer
 * (as OpenCV's row filter) then a vertical pass, both exact convolutions with the symmetric kernel
 * folded in pairs. Buffers are kept and reused across frames of the same size; one instance per
 * worker (not re-entrant).
 */
export class GaussianBlur {
  readonly ksize: number;
  readonly kernel: Float64Array;
  private tmp = new Float32Array(0);
  private acc = new Float64Array(0);
  private pad = new Float32Array(0);

  constructor(ksize: number) {
    this.kernel = openCvGaussianKernel(ksize);
    this.ksize = ksize;
  }

  /** Blurs `src` (row-major width × height) into `out` (allocated when omitted; must not alias src). */
  apply(src: Float32Array, width: number, height: number, out?: Float32Array): Float32Array {
    checkFrame('src', src, width, height);
    const dst = out ?? new Float32Array(src.length);
    checkFrame('out', dst, width, height);
    if (dst === src) throw new AnalysisOptionError('out', 'a buffer other than src', 'src itself');
    const r = this.ksize >> 1;
    const k = this.kernel;
    if (this.tmp.length < src.length) this.tmp = new Float32Array(src.length);
    if (this.acc.length < width) this.acc = new Float64Array(width);
    if (this.pad.length < width + 2 * r) this.pad = new Float32Array(width + 2 * r);
    const tmp = this.tmp;
    const pad = this.pad;
    const acc = this.acc;
    const kc = k[r];

    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = -r; x < width + r; x++)
        pad[x + r] = src[row + (x >= 0 && x < width ? x : reflect101(x, width))];
      for (let x = 0; x < width; x++) {
        const c = x + r;
        let s = kc * pad[c];
        for (let j = 1; j <= r; j++) s += k[r + j] * (pad[c - j] + pad[c + j]);
        tmp[row + x] = s;
      }
    }

    for (let y = 0; y < height; y++) {
      const center = y * width;
      for (let x = 0; x < width; x++) acc[x] = kc * tmp[center + x];
      let j = 1;
      // Four taps per sweep: a quarter of the accumulator read-modify-writes.
      for (; j + 3 <= r; j += 4) {
        const u1 = reflect101(y - j, height) * width;
        const d1 = reflect101(y + j, height) * width;
        const u2 = reflect101(y - j - 1, height) * width;
        const d2 = reflect101(y + j + 1, height) * width;
        const u3 = reflect101(y - j - 2, height) * width;
        const d3 = reflect101(y + j + 2, height) * width;
        const u4 = reflect101(y - j - 3, height) * width;
        const d4 = reflect101(y + j + 3, height) * width;
        const k1 = k[r + j];
        const k2 = k[r + j + 1];
        const k3 = k[r + j + 2];
        const k4 = k[r + j + 3];
        for (let x = 0; x < width; x++) {
          acc[x] +=
            k1 * (tmp[u1 + x] + tmp[d1 + x]) +
            k2 * (tmp[u2 + x] + tmp[d2 + x]) +
            k3 * (tmp[u3 + x] + tmp[d3 + x]) +
            k4 * (tmp[u4 + x] + tmp[d4 + x]);
        }
      }
      for (; j <= r; j++) {
        const up = reflect101(y - j, height) * width;
        const down = reflect101(y + j, height) * width;
        const kj = k[r + j];
        for (let x = 0; x < width; x++) acc[x] += kj * (tmp[up + x] + tmp[down + x]);
      }
      for (let x = 0; x < width; x++) dst[center + x] = acc[x];
    }
    return dst;
  }
}

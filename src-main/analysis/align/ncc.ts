import { fft2d, nextPow2 } from '../fft';

/** A single-channel image: row-major `data` of width × height. */
export interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}

/** A template prepared for TM_CCOEFF_NORMED: zero-mean values and their sum of squares. */
export interface PreparedTemplate {
  width: number;
  height: number;
  /** T − mean(T), row-major. */
  centred: Float64Array;
  /** Σ (T − mean T)². */
  norm2: number;
}

export function prepareTemplate(t: Plane): PreparedTemplate {
  const n = t.data.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t.data[i];
  mean /= n;
  const centred = new Float64Array(n);
  let norm2 = 0;
  for (let i = 0; i < n; i++) {
    const v = t.data[i] - mean;
    centred[i] = v;
    norm2 += v * v;
  }
  return { width: t.width, height: t.height, centred, norm2 };
}

/**
 * TM_CCOEFF_NORMED from the correlation with the centred template and the window sums; 0 when the
 * template is flat or the window variance is below 1e-10 of its energy (numerically flat).
 */
function normalise(num: number, sum: number, sum2: number, n: number, norm2: number): number {
  const varS = sum2 - (sum * sum) / n;
  if (!(norm2 > 0) || !(varS > 1e-10 * sum2)) return 0;
  const r = num / Math.sqrt(varS * norm2);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * OpenCV TM_CCOEFF_NORMED at one placement (x, y) of the template's top-left corner in `src`:
 * R = Σ T'·(S − mean S) / √(Σ T'² · Σ (S − mean S)²) over the window, T' = T − mean T.
 * 0 when either the template or the window is flat. Direct sum: O(template area).
 */
export function nccAt(src: Plane, t: PreparedTemplate, x: number, y: number): number {
  const sw = src.width;
  const d = src.data;
  const c = t.centred;
  let num = 0;
  let sum = 0;
  let sum2 = 0;
  for (let v = 0; v < t.height; v++) {
    const srow = (y + v) * sw + x;
    const trow = v * t.width;
    for (let u = 0; u < t.width; u++) {
      const s = d[srow + u];
      num += c[trow + u] * s;
      sum += s;
      sum2 += s * s;
    }
  }
  return normalise(num, sum, sum2, t.width * t.height, t.norm2);
}

/**
 * TM_CCOEFF_NORMED over every placement of the template inside `src` (OpenCV `matchTemplate`
 * output, size (W − w + 1) × (H − h + 1), row-major), computed with FFT cross-correlation and
 * integral images: exact up to floating-point rounding.
 */
export function nccMapFft(
  src: Plane,
  t: PreparedTemplate,
): { map: Float64Array; width: number; height: number } {
  const W = src.width;
  const H = src.height;
  const P = nextPow2(W);
  const Q = nextPow2(H);
  // Both real inputs in one complex FFT: Z = FFT(S + i·T'), then S(k) = (Z(k) + conj Z(−k))/2 and
  // T(k) = (Z(k) − conj Z(−k))/(2i). C = IFFT(S · conj T) gives C(x, y) = Σ S(x+u, y+v) T'(u, v)
  // (circular, but valid placements never wrap).
  const zr = new Float64Array(P * Q);
  const zi = new Float64Array(P * Q);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) zr[y * P + x] = src.data[y * W + x];
  for (let y = 0; y < t.height; y++)
    for (let x = 0; x < t.width; x++) zi[y * P + x] = t.centred[y * t.width + x];
  fft2d(zr, zi, P, Q, false);
  const sr = new Float64Array(P * Q);
  const si = new Float64Array(P * Q);
  for (let ky = 0; ky < Q; ky++) {
    const my = ky === 0 ? 0 : Q - ky;
    for (let kx = 0; kx < P; kx++) {
      const i = ky * P + kx;
      const j = my * P + (kx === 0 ? 0 : P - kx);
      const ar = zr[i];
      const ai = zi[i];
      const br = zr[j];
      const bi = -zi[j];
      const Sr = (ar + br) / 2;
      const Si = (ai + bi) / 2;
      const Tr = (ai - bi) / 2;
      const Ti = -(ar - br) / 2;
      sr[i] = Sr * Tr + Si * Ti;
      si[i] = Si * Tr - Sr * Ti;
    }
  }
  fft2d(sr, si, P, Q, true);
  // Integral images of S and S² for the window sums.
  const I = new Float64Array((W + 1) * (H + 1));
  const I2 = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    let row2 = 0;
    for (let x = 0; x < W; x++) {
      const v = src.data[y * W + x];
      row += v;
      row2 += v * v;
      I[(y + 1) * (W + 1) + x + 1] = I[y * (W + 1) + x + 1] + row;
      I2[(y + 1) * (W + 1) + x + 1] = I2[y * (W + 1) + x + 1] + row2;
    }
  }
  const mw = W - t.width + 1;
  const mh = H - t.height + 1;
  const map = new Float64Array(mw * mh);
  const n = t.width * t.height;
  const box = (A: Float64Array, x: number, y: number) =>
    A[(y + t.height) * (W + 1) + x + t.width] -
    A[y * (W + 1) + x + t.width] -
    A[(y + t.height) * (W + 1) + x] +
    A[y * (W + 1) + x];
  for (let y = 0; y < mh; y++) {
    for (let x = 0; x < mw; x++)
      map[y * mw + x] = normalise(sr[y * P + x], box(I, x, y), box(I2, x, y), n, t.norm2);
  }
  return { map, width: mw, height: mh };
}

/** 2×2 box-average downsampling (floor sizes), used to build the coarse-to-fine pyramid. */
export function downsample2(p: Plane): Plane {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * p.width;
    const r1 = r0 + p.width;
    for (let x = 0; x < w; x++) {
      out[y * w + x] =
        0.25 * (p.data[r0 + 2 * x] + p.data[r0 + 2 * x + 1] + p.data[r1 + 2 * x] + p.data[r1 + 2 * x + 1]);
    }
  }
  return { data: out, width: w, height: h };
}

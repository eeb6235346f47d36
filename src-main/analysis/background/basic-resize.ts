import { AnalysisOptionError, checkFrame } from '../errors';
import { reflect101 } from './gaussian-blur';

/**
 * A 1-D resampling operator: output o = Σ_j weight[o·taps + j] · input[index[o·taps + j]].
 * Unused taps have weight 0 (and index 0). Applied along one axis of an image by `resample2d`.
 */
export interface AxisResampler {
  inSize: number;
  outSize: number;
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

function checkSizes(inSize: number, outSize: number): void {
  for (const [name, v] of [
    ['inSize', inSize],
    ['outSize', outSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new AnalysisOptionError(name, 'a positive integer size', String(v));
  }
}

function fromRows(inSize: number, rows: { index: number[]; weight: number[] }[]): AxisResampler {
  const taps = Math.max(1, ...rows.map((r) => r.index.length));
  const index = new Int32Array(rows.length * taps);
  const weight = new Float64Array(rows.length * taps);
  rows.forEach((r, o) => {
    index.set(r.index, o * taps);
    weight.set(r.weight, o * taps);
  });
  return { inSize, outSize: rows.length, taps, index, weight };
}

/**
 * `jax.image.resize(x, shape, method='linear')` along one axis, as BaSiCPy 1.2 shrinks images to
 * its working size (antialias=True, jax's default): sample position s_o = (o + ½)·in/out − ½,
 * triangle kernel max(0, 1 − |s_o − i| / k) with k = max(in/out, 1) (widened when shrinking, so
 * it low-passes), weights normalised per output to sum 1 over the inputs that exist (no padding),
 * outputs whose s_o lies outside [−½, in − ½] set to 0. Equal sizes are the identity (jax skips them).
 */
export function jaxLinearResampler(inSize: number, outSize: number): AxisResampler {
  checkSizes(inSize, outSize);
  const inv = inSize / outSize;
  const kernelScale = Math.max(inv, 1);
  const rows: { index: number[]; weight: number[] }[] = [];
  for (let o = 0; o < outSize; o++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (inSize === outSize) {
      rows.push({ index: [o], weight: [1] });
      continue;
    }
    const s = (o + 0.5) * inv - 0.5;
    const lo = Math.max(0, Math.floor(s - kernelScale));
    const hi = Math.min(inSize - 1, Math.ceil(s + kernelScale));
    let sum = 0;
    for (let i = lo; i <= hi; i++) {
      const w = Math.max(0, 1 - Math.abs(s - i) / kernelScale);
      if (w > 0) {
        index.push(i);
        weight.push(w);
        sum += w;
      }
    }
    // jax: weights with a near-zero total (< 1000·float32 eps) and samples outside the input are zeroed.
    const inside = s >= -0.5 && s <= inSize - 0.5;
    const norm = inside && Math.abs(sum) > 1000 * 1.1920928955078125e-7 ? 1 / sum : 0;
    rows.push({ index, weight: weight.map((w) => w * norm) });
  }
  return fromRows(inSize, rows);
}

/**
 * `scipy.ndimage.zoom(x, out/in, order=1, mode='mirror', grid_mode=True)` along one axis — what
 * `skimage.transform.resize(x, shape)` (order 1, mode 'reflect') does after its anti-aliasing
 * filter, and how BaSiCPy 1.2 brings the flat field back to the frame size: sample position
 * c = (o + ½)·(in/out) − ½, folded back into [0, in − 1] by mirroring about the end pixels
 * (… c b | a b c … ), then linear interpolation between its two neighbours.
 */
export function mirrorLinearResampler(inSize: number, outSize: number): AxisResampler {
  checkSizes(inSize, outSize);
  const zoom = inSize / outSize;
  const rows: { index: number[]; weight: number[] }[] = [];
  for (let o = 0; o < outSize; o++) {
    if (inSize === 1) {
      rows.push({ index: [0], weight: [1] });
      continue;
    }
    let c = (o + 0.5) * zoom - 0.5;
    if (c < 0) c = -c;
    if (c > inSize - 1) c = 2 * (inSize - 1) - c;
    const i0 = Math.floor(c);
    const t = c - i0;
    rows.push({ index: [i0, reflect101(i0 + 1, inSize)], weight: [1 - t, t] });
  }
  return fromRows(inSize, rows);
}

/**
 * `scipy.ndimage.gaussian_filter1d(x, sigma, mode='mirror', truncate=4)` as an operator:
 * radius r = int(4σ + ½), weights exp(−x²/(2σ²)) for x in −r..r normalised to sum 1, borders
 * mirrored about the end pixels (any distance).
 */
export function mirrorGaussianResampler(size: number, sigma: number): AxisResampler {
  checkSizes(size, size);
  const r = Math.trunc(4 * sigma + 0.5);
  const kernel = Array.from({ length: 2 * r + 1 }, (_, j) =>
    Math.exp((-0.5 / (sigma * sigma)) * (j - r) ** 2),
  );
  const sum = kernel.reduce((a, b) => a + b, 0);
  const rows = Array.from({ length: size }, (_, o) => ({
    index: kernel.map((_, j) => reflect101(o + j - r, size)),
    weight: kernel.map((k) => k / sum),
  }));
  return fromRows(size, rows);
}

/** The operator `second ∘ first` (first applied, then second), merged into one. */
export function composeResamplers(first: AxisResampler, second: AxisResampler): AxisResampler {
  if (first.outSize !== second.inSize)
    throw new AnalysisOptionError(
      'second',
      `a resampler taking ${first.outSize} inputs`,
      String(second.inSize),
    );
  const rows = [];
  for (let o = 0; o < second.outSize; o++) {
    const acc = new Map<number, number>();
    for (let j = 0; j < second.taps; j++) {
      const w2 = second.weight[o * second.taps + j];
      if (w2 === 0) continue;
      const m = second.index[o * second.taps + j];
      for (let k = 0; k < first.taps; k++) {
        const w1 = first.weight[m * first.taps + k];
        if (w1 === 0) continue;
        const i = first.index[m * first.taps + k];
        acc.set(i, (acc.get(i) ?? 0) + w1 * w2);
      }
    }
    const index = [...acc.keys()].sort((a, b) => a - b);
    rows.push({ index, weight: index.map((i) => acc.get(i)!) });
  }
  return fromRows(first.inSize, rows);
}

/**
 * `skimage.transform.resize(x, (outSize,))` along one axis with its defaults (order 1, mode
 * 'reflect', anti_aliasing when any axis of the image shrinks): a Gaussian of σ = max(0, (in/out − 1)/2)
 * first where this axis shrinks, then the mirror-mode linear zoom. `antiAlias` says whether
 * skimage filters at all (it decides over all axes together).
 */
export function skimageResampler(inSize: number, outSize: number, antiAlias: boolean): AxisResampler {
  const zoom = mirrorLinearResampler(inSize, outSize);
  const sigma = Math.max(0, (inSize / outSize - 1) / 2);
  // scipy's gaussian_filter skips axes whose sigma is ≤ 1e-15.
  if (!antiAlias || sigma <= 1e-15) return zoom;
  return composeResamplers(mirrorGaussianResampler(inSize, sigma), zoom);
}

/**
 * Resamples a row-major image along x then y: `src` is `alongX.inSize` wide and `alongY.inSize`
 * high, the result `alongX.outSize` × `alongY.outSize`. Sums in float64; `tmp` (outW × inH
 * float64) may be passed to reuse it across frames.
 */
export function resample2d(
  src: ArrayLike<number>,
  alongX: AxisResampler,
  alongY: AxisResampler,
  out: Float32Array | Float64Array,
  tmp?: Float64Array,
): Float32Array | Float64Array {
  const inW = alongX.inSize;
  const inH = alongY.inSize;
  const outW = alongX.outSize;
  const outH = alongY.outSize;
  checkFrame('src', src, inW, inH);
  checkFrame('out', out, outW, outH);
  const mid = tmp && tmp.length === outW * inH ? tmp : new Float64Array(outW * inH);
  const { taps: tx, index: ix, weight: wx } = alongX;
  for (let y = 0; y < inH; y++) {
    const row = y * inW;
    for (let o = 0; o < outW; o++) {
      let s = 0;
      for (let j = o * tx, end = j + tx; j < end; j++) s += wx[j] * src[row + ix[j]];
      mid[y * outW + o] = s;
    }
  }
  const { taps: ty, index: iy, weight: wy } = alongY;
  const acc = new Float64Array(outW);
  for (let o = 0; o < outH; o++) {
    acc.fill(0);
    for (let j = o * ty, end = j + ty; j < end; j++) {
      const w = wy[j];
      if (w === 0) continue;
      const srcRow = iy[j] * outW;
      for (let x = 0; x < outW; x++) acc[x] += w * mid[srcRow + x];
    }
    out.set(acc, o * outW);
  }
  return out;
}

/**
 * Display contrast for the Viewer: percentiles of a frame (exact for integer data up to 16 bits,
 * binned for float data) and the linear min/max → 0..255 mapping drawn on the canvas.
 */

export type NumericArray = ArrayLike<number>;

export interface ContrastRange {
  min: number;
  max: number;
}

/** The auto-contrast percentiles of the Viewer: 1 % and 99.8 %, as HiTMicTools' range01 scaler. */
export const AUTO_PERCENTILES: [number, number] = [1, 99.8];

const FLOAT_BINS = 65536;

/** Finite min and max of the data; `undefined` when no value is finite. */
export function finiteRange(data: NumericArray): ContrastRange | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : undefined;
}

/**
 * Percentiles `ps` (0–100) of the finite values, with numpy's default linear interpolation between
 * ranks. Integer data spanning ≤ 65536 values is exact (one histogram bin per value); wider or
 * float data is binned into 65536 bins (error ≤ range / 65536).
 */
export function percentiles(data: NumericArray, ps: number[]): number[] {
  for (const p of ps) if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  const r = finiteRange(data);
  if (!r) return ps.map(() => NaN);
  if (r.min === r.max) return ps.map(() => r.min);
  const integer = Number.isInteger(r.min) && Number.isInteger(r.max) && isIntegerTyped(data);
  const span = r.max - r.min;
  const bins = integer && span < FLOAT_BINS ? span + 1 : FLOAT_BINS;
  const width = integer && span < FLOAT_BINS ? 1 : span / (FLOAT_BINS - 1);
  const hist = new Uint32Array(bins);
  let n = 0;
  if (width === 1) {
    // Integer data: one bin per value, no division (the common uint16 microscopy case).
    const min = r.min;
    for (let i = 0; i < data.length; i++) hist[data[i] - min]++;
    n = data.length;
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) continue;
      hist[Math.min(bins - 1, Math.floor((v - r.min) / width))]++;
      n++;
    }
  }
  const valueAtRank = (rank: number): number => {
    let acc = 0;
    for (let b = 0; b < bins; b++) {
      acc += hist[b];
      if (acc > rank) return r.min + b * width;
    }
    return r.max;
  };
  return ps.map((p) => {
    const pos = ((n - 1) * p) / 100;
    const lo = Math.floor(pos);
    const frac = pos - lo;
    const a = valueAtRank(lo);
    if (frac === 0) return a;
    const b = valueAtRank(lo + 1);
    return a + (b - a) * frac;
  });
}

function isIntegerTyped(data: NumericArray): boolean {
  return (
    data instanceof Uint8Array ||
    data instanceof Uint16Array ||
    data instanceof Int16Array ||
    data instanceof Int8Array ||
    data instanceof Uint32Array ||
    data instanceof Int32Array
  );
}

/** Auto contrast of a frame: its 1–99.8 % percentiles (never an empty range). */
export function autoContrast(data: NumericArray, ps: [number, number] = AUTO_PERCENTILES): ContrastRange {
  const [min, max] = percentiles(data, ps);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1 };
  return max > min ? { min, max } : { min, max: min + 1 };
}

const autoCache = new WeakMap<object, ContrastRange>();

/** `autoContrast` of a frame remembered per typed array, so a cached frame is not re-histogrammed. */
export function cachedAutoContrast(data: NumericArray & object): ContrastRange {
  let r = autoCache.get(data);
  if (!r) autoCache.set(data, (r = autoContrast(data)));
  return r;
}

/** Maps the data linearly so that `min` → 0 and `max` → 255, clipped, into `out` (one byte per pixel). */
export function toBytes(
  data: NumericArray,
  range: ContrastRange,
  out: Uint8ClampedArray = new Uint8ClampedArray(data.length),
): Uint8ClampedArray {
  if (out.length !== data.length)
    throw new RangeError(`output has ${out.length} pixels, data ${data.length}`);
  const scale = range.max > range.min ? 255 / (range.max - range.min) : 0;
  const min = range.min;
  if (data instanceof Uint16Array || data instanceof Uint8Array) {
    // A lookup table over every possible value: one load per pixel instead of float maths.
    const lut = new Uint8ClampedArray(data instanceof Uint8Array ? 256 : 65536);
    for (let v = 0; v < lut.length; v++) lut[v] = (v - min) * scale;
    for (let i = 0; i < data.length; i++) out[i] = lut[data[i]];
    return out;
  }
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - min) * scale; // Uint8ClampedArray clips and rounds
  return out;
}

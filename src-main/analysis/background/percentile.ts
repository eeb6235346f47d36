import { AnalysisOptionError, checkFrame } from '../errors';
import type { LabelImage } from '../measure/region-stats';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Order-preserving unsigned key of a float32 bit pattern (negative floats reversed). */
function keyOf(bits: number): number {
  return (bits & 0x80000000) !== 0 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

function valueOfKey(key: number): number {
  u32[0] = (key & 0x80000000) !== 0 ? key & 0x7fffffff : ~key >>> 0;
  return f32[0];
}

/**
 * numpy's default ("linear") quantile of the first `n` values of `values` (no NaN among them):
 * virtual index q·(n−1), then numpy's `_lerp`: a + (b−a)·t for t < 0.5, b − (b−a)·(1−t) otherwise.
 * NaN when n is 0. Exact order statistics by a two-level radix select on the float32 bit patterns
 * (16 high bits, then 16 low bits): O(n), at most four passes, no sorting and no reordering.
 */
export function quantileLinear(values: Float32Array, n: number, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new AnalysisOptionError('q', 'a quantile in [0, 1]', String(q));
  if (n === 0) return Number.NaN;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  const pos = q * (n - 1);
  const k = Math.floor(pos);
  const t = pos - k;
  const high = new Uint32Array(65536);
  for (let i = 0; i < n; i++) high[keyOf(bits[i]) >>> 16]++;
  let hb = 0;
  let below = 0;
  while (below + high[hb] <= k) below += high[hb++];
  const low = new Uint32Array(65536);
  for (let i = 0; i < n; i++) {
    const key = keyOf(bits[i]);
    if (key >>> 16 === hb) low[key & 0xffff]++;
  }
  let lb = 0;
  while (below + low[lb] <= k) below += low[lb++];
  const keyK = ((hb << 16) | lb) >>> 0;
  const a = valueOfKey(keyK);
  if (t === 0 || k + 1 >= n) return a;
  let b: number;
  if (below + low[lb] > k + 1) b = a;
  else {
    let nl = lb + 1;
    while (nl < 65536 && low[nl] === 0) nl++;
    if (nl < 65536) b = valueOfKey(((hb << 16) | nl) >>> 0);
    else {
      let nh = hb + 1;
      while (high[nh] === 0) nh++;
      let minLow = 65536;
      for (let i = 0; i < n; i++) {
        const key = keyOf(bits[i]);
        if (key >>> 16 === nh && (key & 0xffff) < minLow) minLow = key & 0xffff;
      }
      b = valueOfKey(((nh << 16) | minLow) >>> 0);
    }
  }
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

export interface BackgroundOptions {
  /** Quantile of the uncovered pixels; default 0.10 (HiTMicTools `measure_background_intensity`). */
  quantile?: number;
  /** Reusable scratch of at least width × height values (avoids a 16 MB allocation per 2048² frame). */
  scratch?: Float32Array;
}

/**
 * Per-frame background intensity as HiTMicTools `img_ops.measure_background_intensity`: the
 * numpy `nanquantile(·, 0.10)` (linear interpolation) of the intensity pixels whose label is 0
 * (not covered by any object). NaN pixels are ignored; NaN when no pixel is uncovered.
 * `intensity` and `labels` are row-major width × height.
 */
export function backgroundLevel(
  intensity: Float32Array,
  labels: LabelImage,
  width: number,
  height: number,
  options: BackgroundOptions = {},
): number {
  checkFrame('intensity', intensity, width, height);
  checkFrame('labels', labels, width, height);
  const scratch = options.scratch ?? new Float32Array(intensity.length);
  if (scratch.length < intensity.length) {
    throw new AnalysisOptionError(
      'scratch',
      `a Float32Array of at least ${intensity.length} values`,
      `${scratch.length} values`,
    );
  }
  let n = 0;
  for (let i = 0; i < intensity.length; i++) {
    const v = intensity[i];
    if (labels[i] <= 0 && v === v) scratch[n++] = v;
  }
  return quantileLinear(scratch, n, options.quantile ?? 0.1);
}

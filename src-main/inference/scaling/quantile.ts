/**
 * Exact quantiles with torch.quantile's default ('linear') interpolation, computed by selection
 * (Floyd–Rivest) in a caller-supplied scratch buffer instead of a full sort.
 *
 * torch.quantile(x, q) in float32: rank = f32(f32(q)·(n−1)); lo = floor(rank); w = rank − lo;
 * result = lerp(v[lo], v[lo+1], w) with torch's lerp (w < 0.5 ? a + w·(b−a) : b − (b−a)·(1−w)),
 * every step rounded to float32 (emulated with Math.fround).
 */

const f = Math.fround;

/**
 * Rearranges a[lo..hi] so that a[k] holds the value of rank k (0-based), everything left of k is
 * ≤ it and everything right is ≥ it, and returns it. Floyd–Rivest selection: on large ranges it first
 * recurses into a small sample around the expected position, so extreme ranks (1st, 99.8th
 * percentile) cost little more than one pass.
 */
export function quickselect(a: Float32Array, k: number, lo = 0, hi = a.length - 1): number {
  let left = lo;
  let right = hi;
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      quickselect(a, k, newLeft, newRight);
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
  return a[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Smallest value of a[lo..hi]. */
function minOf(a: Float32Array, lo: number, hi: number): number {
  let m = a[lo];
  for (let i = lo + 1; i <= hi; i++) if (a[i] < m) m = a[i];
  return m;
}

/** torch's float32 lerp. */
export function lerpF32(a: number, b: number, w: number): number {
  const d = f(b - a);
  return w < 0.5 ? f(a + f(w * d)) : f(b - f(d * f(1 - w)));
}

/**
 * The q-quantile (q in [0,1]) of the first n values of `buf`, which is reordered in place.
 * Several quantiles may be taken from the same buffer one after another.
 */
export function quantileInPlace(buf: Float32Array, n: number, q: number): number {
  if (n === 1) return buf[0];
  const rank = f(f(q) * (n - 1));
  const lo = Math.floor(rank);
  const w = f(rank - lo);
  const vLo = quickselect(buf, lo, 0, n - 1);
  if (w === 0 || lo + 1 >= n) return vLo;
  // After selection every value right of lo is >= vLo: the next order statistic is their minimum.
  const vHi = minOf(buf, lo + 1, n - 1);
  return lerpF32(vLo, vHi, w);
}

/** The most order statistics per column the one-pass tail scan keeps; beyond it, selection. */
const MAX_TAIL = 64;

/**
 * How to get the q-quantile of n values from one of its tails: the `k` smallest (`low`) or largest
 * values hold the order statistics lo and lo+1 that torch's linear interpolation needs.
 */
interface TailPlan {
  low: boolean;
  k: number;
  lo: number;
  w: number;
}

function tailPlan(q: number, n: number): TailPlan | undefined {
  const rank = f(f(q) * (n - 1));
  const lo = Math.floor(rank);
  const w = f(rank - lo);
  const lowK = Math.min(n, lo + 2);
  const highK = n - lo;
  if (lowK <= MAX_TAIL && lowK <= highK) return { low: true, k: lowK, lo, w };
  if (highK <= MAX_TAIL) return { low: false, k: highK, lo, w };
  return undefined;
}

/**
 * Per-column q-quantiles of an H×W frame for quantiles near either end (HiTMicTools' 1 % and 99.8 %):
 * one row-major pass keeps, per column, the k smallest (or largest) values seen in a small sorted
 * buffer; a value that cannot enter costs one comparison with the buffer's last entry.
 */
function columnTailQuantiles(
  data: Float32Array,
  height: number,
  width: number,
  plan: TailPlan,
): Float32Array {
  const { low, k } = plan;
  // A high tail is kept as the low tail of the negated values: one insertion routine for both.
  const sign = low ? 1 : -1;
  const buf = new Float32Array(width * k);
  // The first k rows fill every column's buffer.
  for (let y = 0; y < k; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) insertAscending(buf, x * k, y, sign * data[row + x]);
  }
  // The buffer's last (worst kept) value per column: a value enters only if it is smaller.
  const worst = new Float32Array(width);
  for (let x = 0; x < width; x++) worst[x] = buf[x * k + k - 1];
  for (let y = k; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = sign * data[row + x];
      if (v < worst[x]) {
        const base = x * k;
        insertAscending(buf, base, k - 1, v);
        worst[x] = buf[base + k - 1];
      }
    }
  }
  const out = new Float32Array(width);
  const { lo, w } = plan;
  const n = height;
  for (let x = 0; x < width; x++) {
    const base = x * k;
    // Order statistic j (ascending) sits at j in a low buffer, at n−1−j (negated) in a high one.
    const vLo = low ? buf[base + lo] : -buf[base + n - 1 - lo];
    if (w === 0 || lo + 1 >= n) out[x] = vLo;
    else out[x] = lerpF32(vLo, low ? buf[base + lo + 1] : -buf[base + n - 2 - lo], w);
  }
  return out;
}

/** Inserts v into the ascending buf[base .. base+filled), dropping nothing: slot base+filled is free. */
function insertAscending(buf: Float32Array, base: number, filled: number, v: number): void {
  let i = base + filled;
  while (i > base && buf[i - 1] > v) {
    buf[i] = buf[i - 1];
    i--;
  }
  buf[i] = v;
}

/**
 * HiTMicTools' range01 statistics: for every column the q-quantile over the H rows, then the
 * q-quantile of those W values (quantile of quantiles, not a global percentile), for each q in qs.
 * `data` is H×W row-major float32 and is not modified. Quantiles near either end (within 64 values of
 * it, as HiTMicTools' 1 % and 99.8 % of a 2048-row frame) come from one pass over the rows
 * (columnTailQuantiles); others gather 16 columns at a time (one cache line per row read) into
 * `scratch` (length ≥ 16·H; allocated when missing or too small) and select.
 */
export function columnQuantileOfQuantiles(
  data: Float32Array,
  height: number,
  width: number,
  qs: readonly number[],
  scratch?: Float32Array,
): number[] {
  const plans = qs.map((q) => tailPlan(q, height));
  if (plans.every((p): p is TailPlan => p !== undefined)) {
    return qs.map((q, j) => quantileInPlace(columnTailQuantiles(data, height, width, plans[j]), width, q));
  }
  const G = 16;
  const t = scratch && scratch.length >= G * height ? scratch : new Float32Array(G * height);
  const perColumn = qs.map(() => new Float32Array(width));
  for (let x0 = 0; x0 < width; x0 += G) {
    const g = Math.min(G, width - x0);
    for (let y = 0; y < height; y++) {
      const row = y * width + x0;
      for (let k = 0; k < g; k++) t[k * height + y] = data[row + k];
    }
    for (let k = 0; k < g; k++) {
      const col = t.subarray(k * height, (k + 1) * height);
      for (let j = 0; j < qs.length; j++) perColumn[j][x0 + k] = quantileInPlace(col, height, qs[j]);
    }
  }
  return qs.map((q, k) => quantileInPlace(perColumn[k], width, q));
}

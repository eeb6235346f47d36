import { clean, niceStep } from './ticks';

export interface Bins {
  /** Bin edges, ascending, evenly spaced by `width`; bins are [edges[b], edges[b + 1]), the last closed. */
  edges: number[];
  width: number;
  /**
   * Values ≥ this go to one overflow bin drawn apart from the others (a far tail that would
   * otherwise squeeze the bulk into a few bars); `null` when every value fits the edges.
   */
  overflowFrom: number | null;
}

export interface BinOptions {
  /** Most bins (the overflow bin not counted). Default 30. */
  maxBins?: number;
  /** Fewest bins when the data spread allows it. Default 8. */
  minBins?: number;
  /** Whole-number data (pixel areas, counts): bin widths of at least 1 and whole. Default: detected. */
  integer?: boolean;
  /** The tail above this quantile may go to the overflow bin. Default 0.99. */
  tailQuantile?: number;
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/**
 * Bins chosen from the data rather than a fixed 30 over [min, max]:
 * - the width follows Freedman–Diaconis (2·IQR·n^(−1/3)), kept between `minBins` and `maxBins`
 *   bins over the range, then rounded up to 1, 2, 2.5 or 5 × 10^k so edges read as round numbers;
 * - the edges start at a multiple of the width at or below the minimum;
 * - a far tail (the range beyond the `tailQuantile` quantile is more than half again the range up
 *   to it) ends the regular bins at that quantile and goes to one overflow bin, which the chart
 *   labels "≥ edge", so a few giant clumps do not flatten the distribution of single cells.
 * Non-finite values are ignored; no finite values give no edges.
 */
export function niceBins(values: ArrayLike<number>, opts: BinOptions = {}): Bins {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { edges: [], width: 1, overflowFrom: null };
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const integer = opts.integer ?? finite.every((v) => Number.isInteger(v));
  const maxBins = Math.max(1, Math.floor(opts.maxBins ?? 30));
  const minBins = Math.min(maxBins, Math.max(1, Math.floor(opts.minBins ?? 8)));
  const lo = sorted[0];
  const max = sorted[n - 1];
  const q = quantile(sorted, opts.tailQuantile ?? 0.99);
  const cut = max - lo > 1.5 * (q - lo) && q > lo ? q : max;
  const range = cut - lo;
  if (range === 0) {
    const width = integer ? 1 : niceStep(Math.abs(lo) / 10 || 1);
    const start = clean(Math.floor(lo / width) * width);
    return { edges: [start, clean(start + width)], width, overflowFrom: null };
  }
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  const fd = 2 * iqr * n ** (-1 / 3);
  const count = Math.min(maxBins, Math.max(minBins, fd > 0 ? range / fd : maxBins));
  let width = niceStep(range / count, { allowQuarter: true, integer });
  let start = Math.floor(lo / width) * width;
  // Starting below the minimum can add a bin: widen until the bins fit `maxBins`.
  while (Math.ceil((cut - start) / width - 1e-9) > maxBins) {
    width = niceStep(width * 1.0001, { allowQuarter: true, integer });
    start = Math.floor(lo / width) * width;
  }
  let bins = Math.max(1, Math.ceil((cut - start) / width - 1e-9));
  const overflow = cut < max;
  // Without an overflow bin the maximum must fall inside the last (closed) bin.
  if (!overflow && start + bins * width < max) bins++;
  const edges = Array.from({ length: bins + 1 }, (_, b) => clean(start + b * width));
  return { edges, width, overflowFrom: overflow ? edges[bins] : null };
}

/**
 * The bin of `v` under `bins`: an index into the regular bins, `bins.edges.length - 1` for the
 * overflow bin, or -1 for a value outside every bin (non-finite, or below the first edge).
 */
export function binIndex(bins: Bins, v: number): number {
  const { edges, width, overflowFrom } = bins;
  const n = edges.length - 1;
  if (n < 1 || !Number.isFinite(v) || v < edges[0]) return -1;
  if (overflowFrom !== null && v >= overflowFrom) return n;
  if (v >= edges[n]) return v === edges[n] ? n - 1 : -1;
  let b = Math.min(n - 1, Math.floor((v - edges[0]) / width));
  // Division can land a value that sits on an edge (0.3 / 0.1) one bin off; the edges decide.
  if (v < edges[b]) b--;
  else if (b + 1 < n && v >= edges[b + 1]) b++;
  return b;
}

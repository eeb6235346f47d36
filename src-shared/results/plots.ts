import type { ResultCell, ResultTable } from '../api';
import { binIndex, niceBins, type BinOptions } from '../charts';
import { columnIndex, isPiPositive, numAt, textAt } from './table';

/** One point per analysed frame; `hours` from the `timestep` column where the run had timestamps. */
export interface TimeAxis {
  frames: number[];
  hours: (number | null)[];
  /** True when the hours differ between frames (otherwise plot against frame number). */
  timed: boolean;
}

function timeAxis(table: ResultTable): { axis: TimeAxis; slot: Map<number, number> } {
  const fi = columnIndex(table, 'frame');
  const ti = columnIndex(table, 'timestep');
  const hoursOf = new Map<number, number | null>();
  for (const r of table.rows) {
    const f = numAt(r, fi);
    if (!Number.isFinite(f)) continue;
    if (!hoursOf.has(f) || hoursOf.get(f) === null) {
      const h = numAt(r, ti);
      hoursOf.set(f, Number.isFinite(h) ? h : null);
    }
  }
  const frames = [...hoursOf.keys()].sort((a, b) => a - b);
  const hours = frames.map((f) => hoursOf.get(f) ?? null);
  const timed = new Set(hours.filter((h) => h !== null)).size > 1;
  return { axis: { frames, hours, timed }, slot: new Map(frames.map((f, i) => [f, i])) };
}

/** How plots name objects whose `object_class` is empty. */
export const NO_CLASS = '(none)';

export interface ClassSeries {
  axis: TimeAxis;
  classes: string[];
  /** counts[c][i]: objects of classes[c] in frames[i]. */
  counts: number[][];
}

/** Objects per class over time (`object_class` per `frame`); classes ordered as `order`, then by name. */
export function classCountsOverTime(table: ResultTable, order: readonly string[] = []): ClassSeries {
  const { axis, slot } = timeAxis(table);
  const fi = columnIndex(table, 'frame');
  const ci = columnIndex(table, 'object_class');
  const byClass = new Map<string, number[]>();
  for (const r of table.rows) {
    const s = slot.get(numAt(r, fi));
    if (s === undefined) continue;
    const c = textAt(r, ci) || NO_CLASS;
    if (!byClass.has(c)) byClass.set(c, new Array<number>(axis.frames.length).fill(0));
    byClass.get(c)![s]++;
  }
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const classes = [...byClass.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { axis, classes, counts: classes.map((c) => byClass.get(c)!) };
}

export interface KillCurve {
  axis: TimeAxis;
  positive: number[];
  total: number[];
  /** positive / total per frame (null for a frame without objects). */
  fraction: (number | null)[];
}

/**
 * PI-positive fraction over time. `className` restricts it to one class (e.g. single cells,
 * as microscopists usually report); by default every object with a PI call counts.
 */
export function killCurve(table: ResultTable, className?: string): KillCurve {
  const { axis, slot } = timeAxis(table);
  const fi = columnIndex(table, 'frame');
  const ci = columnIndex(table, 'object_class');
  const pi = columnIndex(table, 'pi_class');
  const positive = new Array<number>(axis.frames.length).fill(0);
  const total = new Array<number>(axis.frames.length).fill(0);
  for (const r of table.rows) {
    const s = slot.get(numAt(r, fi));
    if (s === undefined || pi < 0 || r[pi] === null) continue;
    if (className && textAt(r, ci) !== className) continue;
    total[s]++;
    if (isPiPositive(r[pi])) positive[s]++;
  }
  return { axis, positive, total, fraction: total.map((t, i) => (t > 0 ? positive[i] / t : null)) };
}

export interface Histogram {
  /** Bin edges: edges.length === counts[x].length + 1 (counts[x] has one more with an overflow bin). */
  edges: number[];
  /** Values ≥ this are counted in one overflow bin after the regular ones; null when none. */
  overflowFrom: number | null;
  /** The largest value (the overflow bin's upper end). */
  max: number;
  classes: string[];
  /**
   * counts[c][b]: objects of classes[c] with edges[b] <= value < edges[b + 1] (last regular bin
   * closed), and at b = edges.length - 1 those in the overflow bin when there is one.
   */
  counts: number[][];
}

/**
 * Distribution of a numeric column (default `area`) per class, in bins chosen from the data
 * (`niceBins`: round widths, the range of the data, a far tail in one overflow bin).
 */
export function histogramByClass(
  table: ResultTable,
  column = 'area',
  order: readonly string[] = [],
  binOptions: BinOptions = {},
): Histogram {
  const vi = columnIndex(table, column);
  const ci = columnIndex(table, 'object_class');
  const names: string[] = [];
  const values: number[] = [];
  for (const r of table.rows) {
    const v = numAt(r, vi);
    if (!Number.isFinite(v)) continue;
    names.push(textAt(r, ci) || NO_CLASS);
    values.push(v);
  }
  if (values.length === 0) return { edges: [], overflowFrom: null, max: NaN, classes: [], counts: [] };
  const bins = niceBins(values, binOptions);
  const slots = bins.edges.length - 1 + (bins.overflowFrom === null ? 0 : 1);
  const byClass = new Map<string, number[]>();
  let max = -Infinity;
  values.forEach((v, i) => {
    if (!byClass.has(names[i])) byClass.set(names[i], new Array<number>(slots).fill(0));
    byClass.get(names[i])![binIndex(bins, v)]++;
    if (v > max) max = v;
  });
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const classes = [...byClass.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return {
    edges: bins.edges,
    overflowFrom: bins.overflowFrom,
    max,
    classes,
    counts: classes.map((c) => byClass.get(c)!),
  };
}

/** Plot data as a table (for CSV export). */
export function classSeriesTable(s: ClassSeries): { columns: string[]; rows: ResultCell[][] } {
  return {
    columns: ['frame', 'hours', ...s.classes],
    rows: s.axis.frames.map((f, i) => [f, s.axis.hours[i], ...s.counts.map((c) => c[i])]),
  };
}

export function killCurveTable(k: KillCurve): { columns: string[]; rows: ResultCell[][] } {
  return {
    columns: ['frame', 'hours', 'pi_positive', 'total', 'fraction'],
    rows: k.axis.frames.map((f, i) => [f, k.axis.hours[i], k.positive[i], k.total[i], k.fraction[i]]),
  };
}

/** One row per bin; the overflow bin (if any) last, from its start to the largest value. */
export function histogramTable(h: Histogram, column = 'area'): { columns: string[]; rows: ResultCell[][] } {
  const rows: ResultCell[][] = h.edges
    .slice(0, -1)
    .map((e, b) => [e, h.edges[b + 1], ...h.counts.map((c) => c[b])]);
  if (h.overflowFrom !== null)
    rows.push([h.overflowFrom, h.max, ...h.counts.map((c) => c[h.edges.length - 1])]);
  return { columns: [`${column}_from`, `${column}_to`, ...h.classes], rows };
}

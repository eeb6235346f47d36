import type { ResultCell, ResultTable } from '../api';

/** A CSV field as a table cell: numbers become numbers, empty fields null, the rest stays text. */
export function toCell(field: string): ResultCell {
  if (field === '') return null;
  const n = Number(field);
  return Number.isFinite(n) && /^[\s+-]?(\d|\.\d|inf|nan)/i.test(field) ? n : field;
}

export function columnIndex(table: ResultTable, column: string): number {
  return table.columns.indexOf(column);
}

/** Numeric value of a column in a row (NaN when absent or not a number). */
export function numAt(row: readonly ResultCell[], index: number): number {
  const v = index >= 0 ? row[index] : null;
  return typeof v === 'number' ? v : NaN;
}

export function textAt(row: readonly ResultCell[], index: number): string {
  const v = index >= 0 ? row[index] : null;
  return v == null ? '' : String(v);
}

/** PI-positive in HiTMicTools' coding: `piPOS` (any case), `pos`, `positive` or 1. */
export function isPiPositive(value: ResultCell): boolean {
  if (typeof value === 'number') return value === 1;
  return value != null && /^(pi)?pos(itive)?$/i.test(value.trim());
}

export interface RowFilter {
  className?: string;
  pi?: 'any' | 'positive' | 'negative';
  frameMin?: number;
  frameMax?: number;
}

/** Rows of the table that pass the filter (class, PI status, inclusive frame range). */
export function filterRows(table: ResultTable, f: RowFilter): ResultCell[][] {
  const ci = columnIndex(table, 'object_class');
  const pi = columnIndex(table, 'pi_class');
  const fi = columnIndex(table, 'frame');
  return table.rows.filter((r) => {
    if (f.className && textAt(r, ci) !== f.className) return false;
    if (f.pi && f.pi !== 'any' && isPiPositive(pi >= 0 ? r[pi] : null) !== (f.pi === 'positive'))
      return false;
    const frame = numAt(r, fi);
    if (f.frameMin !== undefined && !(frame >= f.frameMin)) return false;
    if (f.frameMax !== undefined && !(frame <= f.frameMax)) return false;
    return true;
  });
}

/** Compares cells: numbers before text, nulls last; text compared naturally. */
export function compareCells(a: ResultCell, b: ResultCell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, undefined, { numeric: true });
}

/** A sorted copy (stable); nulls stay last in both directions. */
export function sortRows(
  rows: readonly ResultCell[][],
  index: number,
  direction: 'asc' | 'desc',
): ResultCell[][] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => [r, i] as const)
    .sort(([a, ia], [b, ib]) => {
      const x = a[index];
      const y = b[index];
      if (x === null || y === null) return x === y ? ia - ib : x === null ? 1 : -1;
      return sign * compareCells(x, y) || ia - ib;
    })
    .map(([r]) => r);
}

/** Distinct text values of a column, sorted. */
export function distinctValues(table: ResultTable, column: string): string[] {
  const i = columnIndex(table, column);
  if (i < 0) return [];
  return [...new Set(table.rows.map((r) => textAt(r, i)).filter((v) => v !== ''))].sort();
}

/** Smallest and largest frame in the table ([0, 0] when empty). */
export function frameExtent(table: ResultTable): [number, number] {
  const fi = columnIndex(table, 'frame');
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of table.rows) {
    const f = numAt(r, fi);
    if (f < lo) lo = f;
    if (f > hi) hi = f;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 0];
}

/** The table with QC corrections applied to `object_class` (matched by `label`); other rows unchanged. */
export function applyCorrections(
  table: ResultTable,
  corrections: readonly { label: number; newClass: string }[],
): ResultTable {
  const li = columnIndex(table, 'label');
  const ci = columnIndex(table, 'object_class');
  if (li < 0 || ci < 0 || corrections.length === 0) return table;
  const to = new Map(corrections.map((c) => [c.label, c.newClass]));
  return {
    columns: table.columns,
    rows: table.rows.map((r) => {
      const label = r[li];
      const cls = typeof label === 'number' ? to.get(label) : undefined;
      if (cls === undefined) return r;
      const copy = [...r];
      copy[ci] = cls;
      return copy;
    }),
  };
}

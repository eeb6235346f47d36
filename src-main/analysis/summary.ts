import { TableError } from './errors';

/** HiTMicTools `generate_data_summary` grouping keys of the time-lapse pipelines (reference §3.4). */
export const SUMMARY_KEYS = [
  'file',
  'frame',
  'channel',
  'date_time',
  'timestep',
  'abslag_in_s',
  'object_class',
] as const;

/** Aggregate columns, in HiTMicTools' order, after the keys. */
export const SUMMARY_AGGREGATES = [
  'total_count',
  'pi_class_neg',
  'pi_class_pos',
  'area_pineg',
  'area_pipos',
  'area_total',
] as const;

export type SummaryValue = string | number | null | undefined;

/** One measurement row: needs the key columns, `area` and `pi_class` ('piNEG' / 'piPOS'). */
export type SummaryInputRow = Readonly<Record<string, SummaryValue>>;

export type SummaryRow = Record<string, SummaryValue>;

function isMissing(v: SummaryValue): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** pandas-like key order: numbers numerically, strings by code point, numbers before strings, missing last. */
function compareValues(a: SummaryValue, b: SummaryValue): number {
  const ma = isMissing(a);
  const mb = isMissing(b);
  if (ma || mb) return ma === mb ? 0 : ma ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The `_summary.csv` table: rows grouped by `keys` (default SUMMARY_KEYS), one output row per group
 * with the key values and
 * - `total_count`: number of objects;
 * - `pi_class_neg` / `pi_class_pos`: objects whose `pi_class` is 'piNEG' / 'piPOS';
 * - `area_pineg` / `area_pipos`: summed `area` of those; `area_total`: summed `area` of all.
 * Groups are sorted by the keys in order (pandas `groupby` default). Unlike pandas, groups whose
 * key is missing (null, undefined, NaN — e.g. no timestamps) are kept, sorted last, instead of
 * silently dropped. Throws TableError when a row lacks a key column or has a non-numeric `area`.
 */
export function summarise(
  rows: Iterable<SummaryInputRow>,
  keys: readonly string[] = SUMMARY_KEYS,
): SummaryRow[] {
  const groups = new Map<string, { keys: SummaryValue[]; agg: number[] }>();
  let index = 0;
  for (const row of rows) {
    const kv: SummaryValue[] = [];
    for (const k of keys) {
      if (!(k in row)) {
        throw new TableError(
          `row ${index}`,
          `a '${k}' column (summary key)`,
          `columns ${Object.keys(row).join(', ')}`,
          `Add '${k}' to every measurement row before summarising.`,
        );
      }
      kv.push(row[k]);
    }
    const area = row.area;
    if (typeof area !== 'number' || !Number.isFinite(area)) {
      throw new TableError(
        `row ${index}, column 'area'`,
        'a finite number of pixels',
        String(area),
        'Summarise measurement rows produced by measureFrame.',
      );
    }
    const id = JSON.stringify(kv.map((v) => (isMissing(v) ? null : v)));
    let g = groups.get(id);
    if (!g) {
      g = { keys: kv, agg: [0, 0, 0, 0, 0, 0] };
      groups.set(id, g);
    }
    const a = g.agg;
    a[0] += 1;
    if (row.pi_class === 'piNEG') {
      a[1] += 1;
      a[3] += area;
    } else if (row.pi_class === 'piPOS') {
      a[2] += 1;
      a[4] += area;
    }
    a[5] += area;
    index++;
  }
  const sorted = [...groups.values()].sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(x.keys[i], y.keys[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return sorted.map((g) => {
    const out: SummaryRow = {};
    keys.forEach((k, i) => (out[k] = g.keys[i]));
    SUMMARY_AGGREGATES.forEach((k, i) => (out[k] = g.agg[i]));
    return out;
  });
}

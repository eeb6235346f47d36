import fs from 'node:fs';
import type { ResultTable } from '../../src-shared/api';
import { parseCsv } from '../../src-shared/io';
import { toCell } from '../../src-shared/results';
import { missingFile, type MovieResults } from './run-folder';

// Parsed tables, keyed by file and checked against size and mtime, so paging through a gallery
// does not re-read a large CSV.
const tableCache = new Map<string, { stamp: string; table: ResultTable }>();
const CACHED_TABLES = 6;

/** A CSV as a typed table: numbers as numbers, empty fields as null. */
export function readResultTable(file: string): ResultTable {
  const st = fs.statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = tableCache.get(file);
  if (hit && hit.stamp === stamp) return hit.table;
  const { columns, rows } = parseCsv(fs.readFileSync(file, 'utf8'));
  const table: ResultTable = { columns, rows: rows.map((r) => columns.map((_, i) => toCell(r[i] ?? ''))) };
  tableCache.set(file, { stamp, table });
  if (tableCache.size > CACHED_TABLES) tableCache.delete(tableCache.keys().next().value!);
  return table;
}

/** The movie's per-cell table (`_fl.csv`) or summary (`_summary.csv`); not-found names the movies there. */
export function movieTable(results: MovieResults, kind: 'cells' | 'summary'): ResultTable {
  const file = results.file(kind);
  if (!fs.existsSync(file))
    throw missingFile(results, kind, kind === 'cells' ? 'per-cell table' : 'summary table');
  return readResultTable(file);
}

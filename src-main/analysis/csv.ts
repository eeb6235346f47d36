import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CsvWriteError, TableError } from './errors';

export type CsvValue = string | number | bigint | boolean | null | undefined;

/** A row: by column name, or positional in the order of `columns`. */
export type CsvRow = Readonly<Record<string, CsvValue>> | readonly CsvValue[];

export interface CsvOptions {
  /** Line terminator; default '\r\n' as RFC 4180 says (every CSV reader accepts it). */
  eol?: string;
}

/**
 * One RFC 4180 field: empty for null, undefined and NaN (pandas `na_rep=''`); 'inf' / '-inf' for
 * infinities (as pandas writes them); numbers in JavaScript's shortest round-trip form; a field
 * holding a comma, double quote, CR or LF is quoted with inner quotes doubled. Anything else
 * (objects, functions, symbols) throws TableError.
 */
export function formatCsvField(value: CsvValue, where = 'value'): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    s = value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  } else if (typeof value === 'string') s = value;
  else if (typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
  else
    throw new TableError(
      where,
      'a string, number, boolean or empty value',
      typeof value,
      'Convert the value to text before writing the CSV.',
    );
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without terminator) of `row` in the order of `columns`. */
export function formatCsvRow(columns: readonly string[], row: CsvRow, rowIndex = 0): string {
  const positional = Array.isArray(row);
  if (positional && row.length !== columns.length) {
    throw new TableError(
      `row ${rowIndex}`,
      `${columns.length} values (one per column)`,
      `${row.length} values`,
      'Give every row one value per column.',
    );
  }
  const rec = row as Readonly<Record<string, CsvValue>>;
  return columns
    .map((c, i) =>
      formatCsvField(positional ? (row as readonly CsvValue[])[i] : rec[c], `row ${rowIndex}, column '${c}'`),
    )
    .join(',');
}

const CHUNK = 1 << 16;

/**
 * Writes a CSV (header line of `columns`, then one line per row; no index column) to a temporary
 * file beside `path` and renames it into place only when every row is written and flushed, so
 * `path` is either the complete new file or untouched. On any failure (bad value, iterator error,
 * disk error) the temporary file is removed and CsvWriteError is thrown carrying the cause.
 */
export async function writeCsvAtomic(
  path: string,
  columns: readonly string[],
  rows: Iterable<CsvRow>,
  options: CsvOptions = {},
): Promise<void> {
  const eol = options.eol ?? '\r\n';
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    handle = await open(tmp, 'wx');
    let buf = columns.map((c) => formatCsvField(c, 'header')).join(',') + eol;
    let i = 0;
    for (const row of rows) {
      buf += formatCsvRow(columns, row, i++) + eol;
      if (buf.length >= CHUNK) {
        await handle.write(buf);
        buf = '';
      }
    }
    if (buf.length > 0) await handle.write(buf);
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(tmp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new CsvWriteError(path, err instanceof Error ? err.message : String(err), err);
  }
}

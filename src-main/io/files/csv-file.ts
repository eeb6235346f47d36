import { formatCsvHeader, formatCsvRow, type CsvOptions, type CsvRow } from '../../../src-shared/io';
import { AtomicFile } from './atomic';

/** Writing a CSV file failed; nothing was left at `path` (the temporary file was removed). */
export class CsvWriteError extends Error {
  readonly where: string;
  readonly expected = 'all rows written and the file renamed into place';
  readonly hint =
    'Check that the folder exists and is writable and that every value is a string, number, boolean or empty; nothing was left at this path.';
  override readonly cause: unknown;

  constructor(
    readonly path: string,
    readonly actual: string,
    cause: unknown,
  ) {
    super('');
    this.where = `file '${path}'`;
    this.message = `${this.where}: CSV not written: expected ${this.expected}, got ${actual}. ${this.hint}`;
    this.name = 'CsvWriteError';
    this.cause = cause;
  }
}

const CHUNK = 1 << 16;

/**
 * Writes a CSV (header line of `columns`, then one line per row, in the dialect of
 * src-shared/io/csv.ts) into an open AtomicFile and closes it, leaving it under its temporary
 * name for the caller to publish (with the other outputs of a movie). Rows are pulled one at a
 * time, so a generator keeps a long movie's table from being held as row objects.
 */
export async function writeCsvTo(
  file: AtomicFile,
  columns: readonly string[],
  rows: Iterable<CsvRow>,
  options: CsvOptions = {},
): Promise<void> {
  const eol = options.eol ?? '\r\n';
  let buf = formatCsvHeader(columns, options) + eol;
  let i = 0;
  for (const row of rows) {
    buf += formatCsvRow(columns, row, i++, options) + eol;
    if (buf.length >= CHUNK) {
      await file.append(buf);
      buf = '';
    }
  }
  if (buf.length > 0) await file.append(buf);
  await file.close({ sync: true });
}

/**
 * Writes a CSV under a temporary name and renames it into place only when every row is written
 * and flushed, so `path` is either the complete new file or untouched. On any failure (bad
 * value, iterator error, disk error) throws CsvWriteError naming the file and carrying the cause.
 */
export async function writeCsvAtomic(
  path: string,
  columns: readonly string[],
  rows: Iterable<CsvRow>,
  options: CsvOptions = {},
): Promise<void> {
  let file: AtomicFile | null = null;
  try {
    file = await AtomicFile.create(path);
    await writeCsvTo(file, columns, rows, options);
    file.publish();
  } catch (err) {
    await file?.abort();
    throw new CsvWriteError(path, err instanceof Error ? err.message : String(err), err);
  }
}

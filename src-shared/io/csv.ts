/**
 * The one CSV dialect of HiTMic Studio, for every table it writes or reads (`_fl.csv`,
 * `_summary.csv`, OOF summaries, QC corrections, `hitmic infer` tables, the Results export):
 * RFC 4180 with pandas' conventions for the values HiTMicTools writes. Pure text in and out; the
 * file side (temporary name, rename when complete) is `writeCsvAtomic` in src-main/io.
 *
 * - empty field for null, undefined and NaN (pandas `na_rep=''`); `inf` / `-inf` for infinities;
 * - numbers in JavaScript's shortest round-trip form;
 * - a field holding a comma, double quote, CR or LF is quoted, inner quotes doubled;
 * - no index column; the line terminator is the caller's (default CRLF, as RFC 4180 says).
 *
 * Files meant to be opened in a spreadsheet (the Results export, the QC corrections export) ask
 * for `spreadsheetSafe`: a text cell that a spreadsheet would run as a formula is neutralised as
 * OWASP recommends ("CSV injection"). HiTMicTools' own tables (`_fl.csv`, `_summary.csv`) never
 * ask for it, so they stay byte-identical to what HiTMicTools writes.
 */

export type CsvValue = string | number | bigint | boolean | null | undefined;

/** A row: by column name, or positional in the order of the columns. */
export type CsvRow = Readonly<Record<string, CsvValue>> | readonly CsvValue[];

export interface CsvOptions {
  /** Line terminator; default '\r\n' (every CSV reader accepts it). */
  eol?: string;
  /**
   * Neutralise formulas for spreadsheets (default off). A text cell starting with `=`, `+`, `-`,
   * `@`, tab, CR or LF gets a leading `'` (Excel, LibreOffice and Sheets then show it as text),
   * unless it is a plain number such as `-1.5`; a text cell holding `;` or a tab is quoted, so a
   * spreadsheet that splits on those (many European locales) cannot start a new cell inside it.
   * Numbers, booleans and empty cells are never changed.
   */
  spreadsheetSafe?: boolean;
}

/** What a spreadsheet would read as the start of a formula (OWASP's list, plus LF). */
const FORMULA_START = /^[=+\-@\t\r\n]/;
/** A number written as text: a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** `s` as a spreadsheet shows it literally: formulas prefixed with `'` (see CsvOptions). */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** A value that has no CSV form, or a row of the wrong length; names where it was found. */
export class CsvValueError extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
    readonly actual: string,
    readonly hint: string,
  ) {
    super(`${where}: invalid table: expected ${expected}, got ${actual}. ${hint}`);
    this.name = 'CsvValueError';
  }
}

/** One field. Objects, functions and symbols throw CsvValueError naming `where`. */
export function formatCsvField(value: CsvValue, where = 'value', options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    s = value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  } else if (typeof value === 'string') {
    if (options.spreadsheetSafe) {
      const safe = neutraliseFormula(value);
      return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    }
    s = value;
  } else if (typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
  else
    throw new CsvValueError(
      where,
      'a string, number, boolean or empty value',
      typeof value,
      'Convert the value to text before writing the CSV.',
    );
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line (without terminator) of `row` in the order of `columns`. */
export function formatCsvRow(
  columns: readonly string[],
  row: CsvRow,
  rowIndex = 0,
  options: CsvOptions = {},
): string {
  const positional = Array.isArray(row);
  if (positional && row.length !== columns.length) {
    throw new CsvValueError(
      `row ${rowIndex}`,
      `${columns.length} values (one per column)`,
      `${row.length} values`,
      'Give every row one value per column.',
    );
  }
  const rec = row as Readonly<Record<string, CsvValue>>;
  return columns
    .map((c, i) =>
      formatCsvField(
        positional ? (row as readonly CsvValue[])[i] : rec[c],
        `row ${rowIndex}, column '${c}'`,
        options,
      ),
    )
    .join(',');
}

/** The header line of `columns` (without terminator). */
export function formatCsvHeader(columns: readonly string[], options: CsvOptions = {}): string {
  return columns.map((c) => formatCsvField(c, 'header', options)).join(',');
}

/** A whole table as CSV text: header, then one line per row, each ended by `eol` (default LF here, for text shown or downloaded). */
export function formatCsv(
  columns: readonly string[],
  rows: Iterable<CsvRow>,
  options: CsvOptions = {},
): string {
  const eol = options.eol ?? '\n';
  let out = formatCsvHeader(columns, options) + eol;
  let i = 0;
  for (const row of rows) out += formatCsvRow(columns, row, i++, options) + eol;
  return out;
}

/** Parses CSV text (quoted fields, doubled quotes, CRLF or LF) into a header and rows; blank lines are dropped. */
export function parseCsv(text: string): { columns: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [columns = [], ...rows] = records;
  return { columns, rows: rows.filter((r) => r.length > 1 || r[0] !== '') };
}

/** Rows as objects keyed by column name (missing fields as ''). */
export function csvObjects(text: string): Record<string, string>[] {
  const { columns, rows } = parseCsv(text);
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])));
}

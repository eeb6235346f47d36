import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvObjects, formatCsv, formatCsvField, parseCsv } from '../../../src-shared/io';
import { CsvWriteError, writeCsvAtomic } from './csv-file';

describe('writeCsvAtomic', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes RFC 4180: header, quoted commas and quotes, empty NaN, no index column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hitmic-csv-'));
    dirs.push(dir);
    const path = join(dir, 'movie_summary.csv');
    await writeCsvAtomic(
      path,
      ['file', 'n', 'note'],
      [
        { file: 'a,b', n: 1.5, note: 'say "hi"' },
        ['plain', Number.NaN, 'two\nlines'],
        { file: 'x', n: -Infinity },
      ],
    );
    expect(await readFile(path, 'utf8')).toBe(
      'file,n,note\r\n"a,b",1.5,"say ""hi"""\r\nplain,,"two\nlines"\r\nx,-inf,\r\n',
    );
    expect(formatCsvField(Infinity)).toBe('inf');
    expect(await readdir(dir)).toEqual(['movie_summary.csv']);
  });

  it('passes its options to every row: spreadsheetSafe neutralises formulas in the file too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hitmic-csv-'));
    dirs.push(dir);
    const path = join(dir, 'corrections.csv');
    await writeCsvAtomic(path, ['class', 'n'], [{ class: '=HYPERLINK("x")', n: -1.5 }], {
      spreadsheetSafe: true,
      eol: '\n',
    });
    expect(await readFile(path, 'utf8')).toBe('class,n\n"\'=HYPERLINK(""x"")",-1.5\n');
  });

  it('leaves nothing at the final name (and no temporary file) when writing fails midway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hitmic-csv-'));
    dirs.push(dir);
    const path = join(dir, 'movie_fl.csv');
    function* rows() {
      for (let i = 0; i < 20_000; i++) yield { a: i, b: 'padding to pass the 64 KiB flush threshold' };
      throw new Error('reader died');
    }
    await expect(writeCsvAtomic(path, ['a', 'b'], rows())).rejects.toThrow(CsvWriteError);
    expect(await readdir(dir)).toEqual([]);
    // A bad value midway: the previous complete file stays untouched.
    await writeFile(path, 'old\r\n');
    const bad = [{ a: 1 }, { a: { nested: true } as unknown as number }];
    await expect(writeCsvAtomic(path, ['a'], bad)).rejects.toThrow(/row 1, column 'a'/);
    expect(await readFile(path, 'utf8')).toBe('old\r\n');
    expect(await readdir(dir)).toEqual(['movie_fl.csv']);
    await expect(writeCsvAtomic(join(dir, 'missing', 'x.csv'), ['a'], [])).rejects.toThrow(CsvWriteError);
  });
});

describe('the CSV codec', () => {
  it('reads back what it writes: quotes, commas, line breaks, empty fields, CRLF or LF', () => {
    const text = formatCsv(
      ['a', 'b'],
      [
        ['x,y', null],
        ['say "hi"', 'two\nlines'],
        [1.5, -Infinity],
      ],
      {
        eol: '\r\n',
      },
    );
    expect(parseCsv(text)).toEqual({
      columns: ['a', 'b'],
      rows: [
        ['x,y', ''],
        ['say "hi"', 'two\nlines'],
        ['1.5', '-inf'],
      ],
    });
    expect(csvObjects('a,b\n1,2\n\n3\n')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '' },
    ]);
  });
});

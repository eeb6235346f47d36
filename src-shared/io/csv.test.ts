import { describe, expect, it } from 'vitest';
import { formatCsv, formatCsvField, neutraliseFormula, parseCsv } from './csv';

/** CSV injection (OWASP): what a spreadsheet would run is shown as text in exports, and only there. */
describe('spreadsheetSafe', () => {
  const safe = { spreadsheetSafe: true };

  it('prefixes text that starts a formula with a quote, for each starting character', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r', '\n']) {
      const cell = `${start}HYPERLINK("http://evil.example")`;
      const written = formatCsvField(cell, 'cell', safe);
      // Read back as a spreadsheet would read the field: it starts with the quote, not the formula.
      expect(parseCsv(`a\n${written}\n`).rows[0][0], JSON.stringify(start)).toBe(`'${cell}`);
    }
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('single-cell')).toBe('single-cell');
  });

  it('leaves numbers alone, typed or written as text, and empty cells', () => {
    expect(formatCsv(['a', 'b', 'c', 'd'], [[-1.5, '-2.5', '+3', null]], safe)).toBe(
      'a,b,c,d\n-1.5,-2.5,+3,\n',
    );
    expect(formatCsvField('-1e-3', 'x', safe)).toBe('-1e-3');
    expect(formatCsvField('-1-1', 'x', safe)).toBe("'-1-1");
    expect(formatCsvField(true, 'x', safe)).toBe('true');
  });

  it('quotes text holding ; or a tab, so spreadsheets that split on them keep one cell', () => {
    expect(formatCsvField('x;=cmd()', 'x', safe)).toBe('"x;=cmd()"');
    expect(formatCsvField('a\tb', 'x', safe)).toBe('"a\tb"');
    expect(formatCsvField('say "hi", =no', 'x', safe)).toBe('"say ""hi"", =no"');
  });

  it('is off by default: HiTMicTools’ own tables are written byte for byte', () => {
    const rows = [['=1+1', -2, 'x;y', '@a']];
    expect(formatCsv(['object_class', 'n', 'file', 'note'], rows, { eol: '\r\n' })).toBe(
      'object_class,n,file,note\r\n=1+1,-2,x;y,@a\r\n',
    );
  });
});

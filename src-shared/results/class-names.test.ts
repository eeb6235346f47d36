import { describe, expect, it } from 'vitest';
import { correctionsCsv, isSafeClassName } from './corrections';

describe('class names a cell may be relabelled to', () => {
  it('accepts HiTMicTools’ classes and plain names, refuses shell, formula and CSV characters', () => {
    for (const ok of [
      'single-cell',
      'off-focus',
      'joint-cell',
      'clump',
      'noise',
      'E. coli (wt)',
      'cell+1',
      'Zelle_2',
    ])
      expect(isSafeClassName(ok), ok).toBe(true);
    for (const bad of [
      'x;touch pwned;#',
      '=1+1',
      '-cmd',
      '$(id)',
      'a`b`',
      'a,b',
      'a"b',
      '',
      ' lead',
      'a\nb',
      'x'.repeat(65),
    ])
      expect(isSafeClassName(bad), bad).toBe(false);
  });
});

describe('the corrections CSV', () => {
  it('is meant for a spreadsheet: a class from the table that reads as a formula is neutralised', () => {
    expect(
      correctionsCsv([
        { frame: 0, label: 3, oldClass: '=HYPERLINK("http://evil.example")', newClass: 'noise' },
      ]),
    ).toBe('frame,label,old_class,new_class\n0,3,"\'=HYPERLINK(""http://evil.example"")",noise\n');
  });
});

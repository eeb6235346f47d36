/**
 * Fuzz test of the run-config validator: seeded random mutations of real configs (line deletion,
 * duplication, re-indentation, YAML punctuation and odd scalars spliced in) never throw and never
 * hit the validator's internal-error guard; every diagnostic is well-formed.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from './validate';
import { exampleConfig as text } from '../../test-support/config-files';
import { mulberry32 } from '../../test-support/random';

const full = text('hitmictools-individual.yml');

describe('fuzz: random mutations never throw, only report diagnostics', () => {
  const junk = [
    '',
    ' ',
    '  ',
    '\t',
    ':',
    '- ',
    '[',
    ']',
    '{',
    '}',
    '"',
    "'",
    '#',
    '&a ',
    '*a',
    '!!str ',
    '!!binary ',
    '? ',
    '|',
    '>',
    '---',
    '...',
    'null',
    '~',
    '-1',
    '0',
    '1e3',
    '.5',
    'yes',
    'NaN',
    '0x1F',
    '2024-01-01',
    'é',
    '\u0000',
    '%YAML 1.1',
    '<<: *a',
    'x'.repeat(50),
  ];
  const bases = [full, text('guide-individual-models.yml'), text('hitmictools-collection.yml')];
  it('300 seeded cases', () => {
    const r = mulberry32(20251126);
    for (let i = 0; i < 300; i++) {
      const lines = bases[i % bases.length].split('\n');
      const n = 1 + Math.floor(r() * 4);
      for (let k = 0; k < n; k++) {
        const at = Math.floor(r() * lines.length);
        const op = Math.floor(r() * 5);
        const piece = junk[Math.floor(r() * junk.length)];
        if (op === 0) lines.splice(at, 1);
        else if (op === 1) lines.splice(at, 0, lines[Math.floor(r() * lines.length)] ?? piece);
        else if (op === 2) lines[at] = ' '.repeat(Math.floor(r() * 5)) + (lines[at] ?? '').trimStart();
        else {
          const l = lines[at] ?? '';
          const c = Math.floor(r() * (l.length + 1));
          lines[at] = l.slice(0, c) + piece + l.slice(op === 3 ? c : c + 1 + Math.floor(r() * 5));
        }
      }
      const input = lines.join('\n');
      let v: ReturnType<typeof validateRunConfig> | undefined;
      expect(
        () => (v = validateRunConfig(input, { strict: r() < 0.3, channelCount: r() < 0.5 ? 2 : undefined })),
        input,
      ).not.toThrow();
      for (const d of v!.diagnostics) {
        expect(['error', 'warning', 'info']).toContain(d.severity);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(typeof d.fix).toBe('string');
        expect(d.message, input).not.toMatch(/Internal validator error/);
      }
      expect(v!.ok).toBe(!v!.diagnostics.some((d) => d.severity === 'error'));
    }
  });
});

/**
 * Values the run would not accept are refused by the validator, at their line: a channel index
 * of 1e308, 1e23 workers, an infinite tracking distance — and a file far too big to be a config.
 */
import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test-support/config-files';
import { MAX_CONFIG_BYTES, validateRunConfig } from './validate';

const base = exampleConfig('hitmictools-collection.yml');

function errorsAt(text: string): string[] {
  return validateRunConfig(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.path);
}

describe('validator ranges', () => {
  it('accepts the example as it is', () => {
    expect(errorsAt(base)).toEqual([]);
  });

  it.each([
    ['reference_channel: 0', 'reference_channel: 1e308', 'pipeline_setup.reference_channel'],
    ['reference_channel: 0', 'reference_channel: 9007199254740993', 'pipeline_setup.reference_channel'],
    ['num_workers: 1', 'num_workers: 1e23', 'pipeline_setup.num_workers'],
  ])('refuses %s → %s', (from, to, at) => {
    expect(base).toContain(from);
    expect(errorsAt(base.replace(from, to))).toEqual([at]);
  });

  it('refuses non-finite and negative Hungarian parameters', () => {
    const tracked = base.replace(/tracking: (true|false)/, 'tracking: true');
    const text = `${tracked}\ntracking:\n  backend: hungarian\n  version: v5\n  parameters:\n    max_distance: .inf\n    gap_bridge_frames: -1\n`;
    expect(errorsAt(text).sort()).toEqual([
      'tracking.parameters.gap_bridge_frames',
      'tracking.parameters.max_distance',
    ]);
  });

  it('refuses a huge text without parsing it', () => {
    const huge = `${base}\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    const t0 = performance.now();
    const v = validateRunConfig(huge);
    expect(performance.now() - t0).toBeLessThan(1000); // a sanity bound, not a benchmark: parsing took 12 s
    expect(v.ok).toBe(false);
    expect(v.diagnostics[0].message).toMatch(/MB; a run config is a few KB/);
  });
});

import { describe, expect, it } from 'vitest';
import { compareTensors, DEFAULT_TOLERANCE } from './verify';

describe('bioimage.io-style tensor comparison', () => {
  const expected = new Float32Array(20_000).map((_, i) => Math.sin(i));
  it('passes identical and within-tolerance outputs', () => {
    expect(compareTensors(expected, expected)).toEqual({ ok: true, max_abs_err: 0, mismatched_ppm: 0 });
    const near = expected.map((v) => v + 0.0009);
    expect(compareTensors(near, expected).ok).toBe(true);
  });
  it('allows up to 100 mismatched elements per million and no more', () => {
    const two = expected.slice();
    two[5] += 1;
    two[7] += 1; // 2 of 20 000 = 100 ppm: allowed
    expect(compareTensors(two, expected)).toMatchObject({ ok: true, mismatched_ppm: 100 });
    two[9] += 1; // 150 ppm
    const r = compareTensors(two, expected);
    expect(r).toMatchObject({ ok: false, mismatched_ppm: 150 });
    expect(r.max_abs_err).toBeCloseTo(1, 5);
    expect(r.message).toMatch(/3 of 20000 values differ/);
  });
  it('uses the relative tolerance on large values, NaN only matches NaN, sizes must agree', () => {
    const big = Float32Array.from([1000, 2000]);
    expect(
      compareTensors(Float32Array.from([1000.9, 2001.9]), big, {
        ...DEFAULT_TOLERANCE,
        mismatchedPerMillion: 0,
      }).ok,
    ).toBe(true);
    expect(
      compareTensors(Float32Array.from([1002, 2000]), big, { ...DEFAULT_TOLERANCE, mismatchedPerMillion: 0 })
        .ok,
    ).toBe(false);
    expect(compareTensors(Float32Array.from([NaN]), Float32Array.from([NaN])).ok).toBe(true);
    expect(compareTensors(Float32Array.from([NaN]), Float32Array.from([0])).ok).toBe(false);
    expect(compareTensors(Float32Array.from([1, 2]), Float32Array.from([1])).message).toMatch(
      /2 values, the expected output 1/,
    );
  });
});

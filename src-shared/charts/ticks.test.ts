import { describe, expect, it } from 'vitest';
import { binIndex, niceBins } from './bins';
import { axisTitle, formatTick, linearTicks, niceStep, stepDecimals, timeTicks } from './ticks';

describe('ticks', () => {
  it.each([
    // [raw, options, nice step]
    [0.16, {}, 0.2],
    [18.4, {}, 20],
    [20.2, {}, 50],
    [21, { allowQuarter: true }, 25],
    [0.3, { integer: true }, 1],
    [2.2, { allowQuarter: true, integer: true }, 5], // 2.5 is no whole number
    [1, {}, 1],
  ])('niceStep(%d, %o) = %d', (raw, opts, step) => {
    expect(niceStep(raw, opts)).toBe(step);
  });

  it('widens a count axis to the next labelled tick, not by a third', () => {
    // Heckbert's rule turned 0–101 into 0–150; the finest step within target + 1 intervals does not.
    expect(linearTicks(0, 101, 5, { nice: true })).toEqual({
      values: [0, 20, 40, 60, 80, 100, 120],
      step: 20,
      lo: 0,
      hi: 120,
    });
    expect(linearTicks(0, 92, 5, { nice: true }).values).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearTicks(0, 100, 5, { nice: true }).hi).toBe(100);
  });

  it('keeps ticks inside a data range without widening it', () => {
    const t = linearTicks(0, 3.2, 8);
    expect(t.values).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect([t.lo, t.hi]).toEqual([0, 3.2]);
    expect(linearTicks(0.3, 0.9, 5).values).toEqual([0.4, 0.6, 0.8]);
  });

  it('never puts fractional ticks on a whole-number axis', () => {
    expect(linearTicks(0, 3, 8, { integer: true }).values).toEqual([0, 1, 2, 3]);
    expect(linearTicks(0, 2, 5, { nice: true, integer: true }).values).toEqual([0, 1, 2]);
    // A single value still gets an axis around it.
    expect(linearTicks(7, 7, 5, { integer: true }).values).toEqual([6, 7, 8]);
  });

  it('labels ticks with the decimals of the step and a real minus', () => {
    expect(stepDecimals(0.5)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(20)).toBe(0);
    expect([0, 0.5, 1, 1.5].map((v) => formatTick(v, 0.5))).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(-2, 1)).toBe('\u22122');
    expect(formatTick(-0.00001, 0.1)).toBe('0.0');
    expect(formatTick(1500, 500)).toBe('1500');
    expect(formatTick(12000, 2000)).toBe('12\u2009000');
  });

  it('puts clock ticks on whole local seconds and minutes', () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 7); // 10:00:07 UTC
    const secs = timeTicks(t0, t0 + 60_000, 6, 0);
    expect(secs.stepS).toBe(10);
    expect(secs.labels).toEqual(['10:00:10', '10:00:20', '10:00:30', '10:00:40', '10:00:50', '10:01:00']);
    const mins = timeTicks(t0, t0 + 30 * 60_000, 6, 0);
    expect(mins.stepS).toBe(300);
    expect(mins.labels[0]).toBe('10:05');
    // UTC+05:30 (getTimezoneOffset() = -330): local 15:30:07, half-hour ticks on the local clock.
    const india = timeTicks(t0, t0 + 3 * 3600_000, 6, -330);
    expect(india.stepS).toBe(1800);
    expect(india.labels.slice(0, 2)).toEqual(['16:00', '16:30']);
  });

  it('writes units in parentheses', () => {
    expect(axisTitle('area', 'px')).toBe('area (px)');
    expect(axisTitle('frame')).toBe('frame');
  });
});

describe('bins from the data', () => {
  it('covers the data with round widths and edges', () => {
    const areas = Array.from({ length: 1000 }, (_, i) => 100 + (i % 97));
    const b = niceBins(areas);
    expect(b.overflowFrom).toBeNull();
    expect(b.edges[0]).toBeLessThanOrEqual(100);
    expect(b.edges.at(-1)!).toBeGreaterThanOrEqual(196);
    expect([1, 2, 2.5, 5].some((f) => Number.isInteger(Math.log10(b.width / f)))).toBe(true);
    expect(b.edges.length - 1).toBeLessThanOrEqual(30);
    expect(b.edges.length - 1).toBeGreaterThanOrEqual(8);
    for (const e of b.edges) expect(e % b.width).toBe(0);
  });

  it('puts a far tail in one overflow bin so the bulk is not squeezed into a few bars', () => {
    // 990 cells of 80–130 px and 10 clumps up to 5000 px: over [min, max] every cell would fall
    // in the first of 30 bins.
    const values = [
      ...Array.from({ length: 990 }, (_, i) => 80 + (i % 51)),
      ...Array.from({ length: 10 }, (_, i) => 1000 + 400 * i),
    ];
    const b = niceBins(values);
    expect(b.overflowFrom).not.toBeNull();
    expect(b.overflowFrom!).toBeLessThan(1000);
    const counts = new Array<number>(b.edges.length).fill(0);
    for (const v of values) counts[binIndex(b, v)]++;
    expect(counts.at(-1)).toBeGreaterThanOrEqual(10); // the overflow bin
    expect(counts.reduce((a, c) => a + c, 0)).toBe(1000);
    // The cells spread over several regular bins.
    expect(counts.slice(0, -1).filter((c) => c > 0).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps a real tail in range (joint cells at twice the area of single cells)', () => {
    const values = [...Array.from({ length: 500 }, (_, i) => 100 + (i % 100)), 400, 410, 420, 430, 440, 450];
    const b = niceBins(values);
    expect(b.overflowFrom).toBeNull();
    expect(b.edges.at(-1)!).toBeGreaterThanOrEqual(450);
  });

  it('bins values on edges by the edges, the maximum into the last bin', () => {
    const b = niceBins([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], { maxBins: 10, minBins: 10 });
    expect(b.edges).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
    expect([0.1, 0.3, 0.9, 1.0].map((v) => binIndex(b, v))).toEqual([0, 2, 8, 8]);
    expect(binIndex(b, 0.05)).toBe(-1);
    expect(binIndex(b, Number.NaN)).toBe(-1);
  });

  it('gives one bin to identical values and none to no values', () => {
    expect(niceBins([42, 42, 42])).toEqual({ edges: [42, 43], width: 1, overflowFrom: null });
    expect(niceBins([Number.NaN]).edges).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { importanceMap } from './importance-map';
import { padAmounts, sourceIndex } from './pad';
import { scanInterval, windowGrid, windowStarts } from './windows';

// Expected values worked out by hand from MONAI 1.5 dense_patch_slices / _get_scan_interval:
// interval = int(roi·(1−overlap)) (roi if roi == size), count = min d with d·interval + roi ≥ size, +1,
// starts i·interval with the last clamped to size − roi.
describe('MONAI window starts', () => {
  it.each([
    // size, roi, overlap, starts
    [2048, 512, 0.25, [0, 384, 768, 1152, 1536]], // 4·384+512 = 2048 exactly
    [696, 512, 0.25, [0, 184]], // interval 384, 384+512 ≥ 696, last clamped to 184
    [520, 512, 0.25, [0, 8]],
    [512, 512, 0.25, [0]], // roi == size → interval 512
    [10, 4, 0.5, [0, 2, 4, 6]], // 3·2+4 = 10
    [11, 4, 0.5, [0, 2, 4, 6, 7]], // 4·2+4 ≥ 11, last 8 → clamped to 7
    [7, 3, 0, [0, 3, 4]], // interval 3, last 6 → 4
    [5, 2, 0.9, [0, 1, 2, 3]], // int(0.2) = 0 → interval 1
    [256, 256, 0.33, [0]],
    [300, 256, 0.33, [0, 44]], // int(256·0.67) = 171
  ])('size %i roi %i overlap %f', (size, roi, overlap, starts) => {
    expect(windowStarts(size, roi, overlap)).toEqual(starts);
  });

  it('scan interval is at least 1 and equals roi when roi == size', () => {
    expect(scanInterval(4, 4, 0.99)).toBe(4);
    expect(scanInterval(5, 4, 0.99)).toBe(1);
    expect(scanInterval(100, 64, 0.25)).toBe(48);
  });

  it('orders windows row-major (x fastest)', () => {
    const g = windowGrid(11, 7, 4, 3, 0);
    expect(g.ys).toEqual([0, 4, 7]);
    expect(g.xs).toEqual([0, 3, 4]);
    expect(g.count).toBe(9);
  });

  it('rejects bad overlap and roi', () => {
    expect(() => windowStarts(10, 4, 1)).toThrow(/overlap/);
    expect(() => windowStarts(10, 0, 0.5)).toThrow(/roi_size/);
  });
});

describe('padding', () => {
  it('splits diff floor(diff/2) before, rest after', () => {
    expect(padAmounts(5, 8)).toEqual([1, 2]);
    expect(padAmounts(1, 16)).toEqual([7, 8]);
    expect(padAmounts(20, 16)).toEqual([0, 0]);
  });

  it('reflects without repeating the edge (numpy reflect), repeatedly for large pads', () => {
    // np.pad([0,1,2], 5, mode='reflect') -> [1 0 1 2 1 | 0 1 2 | 1 0 1 2 1]
    const idx = [];
    for (let p = -5; p < 8; p++) idx.push(sourceIndex(p, 3, 'reflect'));
    expect(idx).toEqual([1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
    expect(sourceIndex(-3, 1, 'reflect')).toBe(0);
    expect(sourceIndex(-1, 4, 'constant')).toBe(-1);
    expect(sourceIndex(9, 4, 'replicate')).toBe(3);
  });
});

describe('importance map', () => {
  it('gaussian: σ = 0.125·n, outer product, floor at max(min, 1e-3)', () => {
    const n = 16;
    const map = importanceMap(n, n, 'gaussian');
    const sigma = 0.125 * n;
    const g = (i: number) => Math.exp(-((i - (n - 1) / 2) ** 2) / (2 * sigma * sigma));
    // Corner: g(0)^2 = exp(-2·7.5²/8) ≈ 8.1e-7 < 1e-3 → clamped to 1e-3.
    expect(map[0]).toBeCloseTo(1e-3, 9);
    expect(map[7 * n + 8]).toBeCloseTo(g(7) * g(8), 6);
    expect(map[8 * n + 3]).toBeCloseTo(Math.max(g(8) * g(3), 1e-3), 6);
    expect(importanceMap(3, 5, 'constant').every((v) => v === 1)).toBe(true);
  });
});

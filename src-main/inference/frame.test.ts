import { describe, expect, it } from 'vitest';
import { assertFrame } from './frame';

describe('assertFrame: finite pixels', () => {
  const H = 37;
  const W = 41; // not a multiple of the 64-value blocks the check sums
  it.each([
    [Number.NaN, 0, 0],
    [Number.POSITIVE_INFINITY, 20, 13],
    [Number.NEGATIVE_INFINITY, H - 1, W - 1],
  ])('finds %f at y=%i, x=%i', (bad, y, x) => {
    const data = new Float32Array(H * W).fill(3.4e38); // huge but finite: a float64 block sum stays finite
    data[y * W + x] = bad;
    expect(() => assertFrame({ data, height: H, width: W }, 'test frame', 'm')).toThrow(
      new RegExp(`finite pixel values, got ${String(bad)} at y=${y}, x=${x}`),
    );
  });

  it('reports the first of several bad pixels, +Inf and −Inf in one block included', () => {
    const data = new Float32Array(H * W);
    data[200] = Number.POSITIVE_INFINITY;
    data[201] = Number.NEGATIVE_INFINITY;
    data[900] = Number.NaN;
    expect(() => assertFrame({ data, height: H, width: W })).toThrow(/Infinity at y=4, x=36/);
  });

  it('accepts finite extremes', () => {
    const data = new Float32Array(H * W);
    for (let i = 0; i < data.length; i++) data[i] = i % 2 ? 3.4e38 : -3.4e38;
    expect(() => assertFrame({ data, height: H, width: W })).not.toThrow();
  });
});

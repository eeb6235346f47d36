import { describe, expect, it } from 'vitest';
import { compositeRgba, labelColor } from './colormap';
import { autoContrast, percentiles, toBytes } from './contrast';
import { LatestOnly, PromiseLru } from './frame-cache';
import { labelAreas, labelOverlayRgba, outlineMask } from './outline';
import {
  fitTransform,
  imageToScreen,
  oneToOne,
  panBy,
  pixelAt,
  screenToImage,
  wheelFactor,
  zoomAt,
} from './transform';

/** numpy.percentile (linear) by sorting, the reference the histogram method must match. */
function refPercentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (pos - lo) : s[lo];
}

describe('percentile contrast', () => {
  it('is exact for uint16 data, like numpy.percentile', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const data = Uint16Array.from({ length: 10_001 }, () => Math.floor(rnd() * rnd() * 60_000));
    const ps = [0, 1, 50, 99.8, 100];
    const got = percentiles(data, ps);
    ps.forEach((p, i) => expect(got[i]).toBeCloseTo(refPercentile(Array.from(data), p), 6));
  });

  it('is within one bin for float data and ignores NaN', () => {
    const data = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 3.5);
    data[10] = NaN;
    const finite = Array.from(data).filter(Number.isFinite);
    const [a, b] = percentiles(data, [1, 99.8]);
    expect(Math.abs(a - refPercentile(finite, 1))).toBeLessThan(7 / 65536 + 1e-6);
    expect(Math.abs(b - refPercentile(finite, 99.8))).toBeLessThan(7 / 65536 + 1e-6);
  });

  it('auto contrast ignores outliers and never gives an empty range', () => {
    const data = new Uint16Array(1000).fill(100);
    for (let i = 0; i < 1000; i++) data[i] = 100 + (i % 100);
    data[0] = 65535; // a hot pixel
    const r = autoContrast(data);
    expect(r.max).toBeLessThan(200);
    expect(r.min).toBeGreaterThanOrEqual(100);
    expect(autoContrast(new Uint16Array(10).fill(5))).toEqual({ min: 5, max: 6 });
    expect(() => percentiles(data, [101])).toThrow(/outside 0–100/);
  });

  it('maps min→0 and max→255, clipped', () => {
    const bytes = toBytes(Float32Array.of(-5, 10, 15, 20, 99), { min: 10, max: 20 });
    expect(Array.from(bytes)).toEqual([0, 0, 128, 255, 255]);
    // The uint16 lookup-table path maps exactly as the float path does.
    const u16 = Uint16Array.from({ length: 3000 }, (_, i) => (i * 37) % 4000);
    const range = { min: 123.5, max: 3210.25 };
    expect(Array.from(toBytes(u16, range))).toEqual(Array.from(toBytes(Float64Array.from(u16), range)));
  });
});

describe('colour maps', () => {
  it('composites grey bright field with red PI', () => {
    const rgba = compositeRgba(Uint8ClampedArray.of(100, 200), Uint8ClampedArray.of(0, 100));
    expect(Array.from(rgba)).toEqual([100, 100, 100, 255, 255, 200, 200, 255]);
    expect(Array.from(compositeRgba(undefined, Uint8ClampedArray.of(50)))).toEqual([50, 0, 0, 255]);
    const unaligned = new Uint8ClampedArray(new ArrayBuffer(12), 1, 8); // the byte-wise path
    compositeRgba(Uint8ClampedArray.of(100, 200), Uint8ClampedArray.of(0, 100), unaligned);
    expect(Array.from(unaligned)).toEqual([100, 100, 100, 255, 255, 200, 200, 255]);
  });

  it('gives labels stable, distinct colours (class colours: class-palette.test.ts)', () => {
    const colours = new Set(Array.from({ length: 20 }, (_, i) => labelColor(i + 1).join(',')));
    expect(colours.size).toBe(20);
    for (const c of labelColor(3)) expect(c).toBeGreaterThanOrEqual(0);
  });
});

describe('zoom and pan', () => {
  it('maps screen to image and back, and finds the pixel under the cursor', () => {
    const t = { scale: 2, offsetX: 10, offsetY: 20 };
    expect(screenToImage(t, 14, 26)).toEqual({ x: 2, y: 3 });
    expect(imageToScreen(t, 2, 3)).toEqual({ x: 14, y: 26 });
    expect(pixelAt(t, 15.9, 27.9, 4, 4)).toEqual({ x: 2, y: 3 });
    expect(pixelAt(t, 9, 20, 4, 4)).toBeUndefined();
    expect(pixelAt(t, 18, 20, 4, 4)).toBeUndefined(); // x = 4 is outside a 4-wide image
  });

  it('fits the image centred, zooms about the cursor, goes 1:1 and pans', () => {
    const fit = fitTransform(800, 400, 512, 512);
    expect(fit.scale).toBeCloseTo(400 / 512);
    expect(fit.offsetX).toBeCloseTo((800 - 400) / 2);
    expect(fit.offsetY).toBeCloseTo(0);
    const z = zoomAt(fit, 300, 100, 3);
    expect(z.scale).toBeCloseTo(fit.scale * 3);
    const before = screenToImage(fit, 300, 100);
    const after = screenToImage(z, 300, 100);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    const one = oneToOne(z, 800, 400);
    expect(one.scale).toBe(1);
    expect(screenToImage(one, 400, 200).x).toBeCloseTo(screenToImage(z, 400, 200).x);
    expect(panBy(one, 5, -3)).toEqual({ scale: 1, offsetX: one.offsetX + 5, offsetY: one.offsetY - 3 });
    expect(zoomAt(fit, 0, 0, 1e9).scale).toBe(64);
    expect(wheelFactor(-100)).toBeCloseTo(1.1);
    expect(wheelFactor(100)).toBeCloseTo(1 / 1.1);
  });
});

describe('outlines', () => {
  // 6×5 image: label 1 is a 3×3 block, label 2 a 1×2 bar touching it, 3 at the image edge.
  const W = 6;
  const H = 5;
  const labels = Uint16Array.from([
    0, 0, 0, 0, 0, 3, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 2, 0, 0, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0,
  ]);

  it('marks boundary pixels of each object, not the inside or background', () => {
    const m = outlineMask(labels, W, H);
    expect(m[2 * W + 2]).toBe(0); // centre of the 3×3 block
    expect(m[1 * W + 1]).toBe(1);
    expect(m[2 * W + 3]).toBe(1); // next to label 2
    expect(m[2 * W + 4]).toBe(1);
    expect(m[5]).toBe(1); // image edge
    expect(m[0]).toBe(0);
    expect(Array.from(m).reduce((a, b) => a + b, 0)).toBe(8 + 2 + 1);
    expect(() => outlineMask(labels, 5, 5)).toThrow(/expected 5×5/);
  });

  it('renders outlines opaque, fills translucent, background transparent', () => {
    const red = () => [255, 0, 0] as [number, number, number];
    const o = labelOverlayRgba(labels, W, H, red, 'outline');
    expect(Array.from(o.subarray((W + 1) * 4, (W + 1) * 4 + 4))).toEqual([255, 0, 0, 255]);
    expect(o[(2 * W + 2) * 4 + 3]).toBe(0);
    expect(o[3]).toBe(0);
    const f = labelOverlayRgba(labels, W, H, red, 'filled', 100);
    expect(f[(2 * W + 2) * 4 + 3]).toBe(100);
    expect(labelAreas(labels)).toEqual(
      new Map([
        [3, 1],
        [1, 9],
        [2, 2],
      ]),
    );
  });
});

describe('frame fetching', () => {
  it('caches by key, evicts the least recently used and forgets failures', async () => {
    const lru = new PromiseLru<number>(2);
    let loads = 0;
    const load = (v: number) => () => (loads++, Promise.resolve(v));
    await lru.get('a', load(1));
    await lru.get('b', load(2));
    expect(await lru.get('a', load(9))).toBe(1); // hit, and 'a' becomes newest
    await lru.get('c', load(3)); // evicts 'b'
    expect(lru.has('b')).toBe(false);
    expect(lru.has('a')).toBe(true);
    expect(loads).toBe(3);
    await expect(lru.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(lru.has('x')).toBe(false);
  });

  it('draws only the latest frame of a fast scrub', async () => {
    const started: number[] = [];
    const delivered: number[] = [];
    const resolvers: (() => void)[] = [];
    const latest = new LatestOnly<number, number>(
      (k) => {
        started.push(k);
        return new Promise((resolve) => resolvers.push(() => resolve(k)));
      },
      (k) => delivered.push(k),
      () => undefined,
    );
    for (let f = 0; f < 10; f++) latest.request(f);
    expect(started).toEqual([0]);
    resolvers[0]();
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual([]); // frame 0 was superseded
    expect(started).toEqual([0, 9]); // 1–8 were never fetched
    expect(latest.dropped).toBe(8);
    resolvers[1]();
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual([9]);
  });
});

import { describe, expect, it } from 'vitest';
import { percentiles } from './contrast';
import { checkContrastInput, formatLevel, parseLevel } from './contrast-input';
import { colormapColour, colouriseRgba, defaultSettings, labelColours, trackColour } from './layers';
import { contrastStatsOf, DISPLAY_BINS, sampleFrames, ValueHistogram } from './movie-contrast';
import { formatArea, formatClock, formatPositionUm, frameTime, scaleBar } from './units';
import { classColour } from './class-palette';
import { IN_PLACE } from './placement';
import { outlineSegments } from './outline';
import { NO_PI_COLOUR, PI_COLOURS } from './stage-layers';

let seed = 11;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;

describe('whole-movie contrast from a sample of frames', () => {
  it('samples frames evenly with the first and last, all of a short movie', () => {
    expect(sampleFrames(20, 10)).toEqual([0, 2, 4, 6, 8, 11, 13, 15, 17, 19]);
    expect(sampleFrames(3, 10)).toEqual([0, 1, 2]);
    expect(sampleFrames(1000, 3)).toEqual([0, 500, 999]);
    expect(sampleFrames(7, 1)).toEqual([0]);
    expect(() => sampleFrames(0)).toThrow(/≥ 1 frame/);
  });

  it('gives the percentiles of all sampled planes together, exactly for uint16 (as numpy)', () => {
    const planes = [0, 1, 2].map((k) =>
      Uint16Array.from({ length: 4000 }, () => Math.floor(rnd() * rnd() * 3000) + k * 700),
    );
    const h = ValueHistogram.over(0, 65535, true);
    for (const p of planes) h.add(p);
    const all = new Uint16Array(12000);
    planes.forEach((p, i) => all.set(p, i * 4000));
    const ps = [0, 1, 50, 99.8, 100];
    expect(h.percentiles(ps)).toEqual(percentiles(all, ps));
    expect(h.total).toBe(12000);
  });

  it('bins float data over its range within one fine bin and skips NaN and infinities', () => {
    const data = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 10);
    data[3] = NaN;
    data[4] = Infinity;
    const h = ValueHistogram.over(-10, 10, false);
    h.add(data);
    expect(h.total).toBe(4998);
    const finite = Float32Array.from(Array.from(data).filter(Number.isFinite));
    const [a, b] = h.percentiles([1, 99.8]);
    const [ra, rb] = percentiles(finite, [1, 99.8]);
    expect(Math.abs(a - ra)).toBeLessThan(20 / 65535 + 1e-6);
    expect(Math.abs(b - rb)).toBeLessThan(20 / 65535 + 1e-6);
  });

  it('draws a histogram over the bulk of the values with hot pixels counted apart', () => {
    const data = Uint16Array.from({ length: 20000 }, () => 500 + Math.floor(rnd() * 1000));
    for (let i = 0; i < 5; i++) data[i] = 60000; // hot pixels
    const h = ValueHistogram.over(0, 65535, true);
    h.add(data);
    const s = contrastStatsOf(h, { channel: 1, frames: [0, 5], min: 500, max: 60000 });
    expect(s.histogram.counts).toHaveLength(DISPLAY_BINS);
    expect(s.histogram.above).toBe(5);
    expect(s.histogram.below + s.histogram.above + s.histogram.counts.reduce((a, b) => a + b)).toBe(20000);
    expect(s.histogram.to).toBeLessThan(2000); // not stretched to 60000
    expect(s.auto.min).toBeGreaterThanOrEqual(500);
    expect(s.auto.max).toBeLessThan(1500);
    expect(s.histogram.from).toBeLessThanOrEqual(s.auto.min);
    expect(s.histogram.to).toBeGreaterThanOrEqual(s.auto.max);
  });

  it('never gives an empty range, even for a flat or empty sample', () => {
    const h = ValueHistogram.over(7, 7, true);
    h.add(new Uint16Array(100).fill(7));
    expect(contrastStatsOf(h, { channel: 0, frames: [0], min: 7, max: 7 }).auto).toEqual({ min: 7, max: 8 });
    const none = ValueHistogram.over(0, 1, false);
    none.add(new Float32Array([NaN]));
    expect(contrastStatsOf(none, { channel: 0, frames: [0], min: 0, max: 0 }).auto).toEqual({
      min: 0,
      max: 1,
    });
  });
});

describe('contrast fields', () => {
  it('print levels without stray text and parse what people type', () => {
    expect(formatLevel(0)).toBe('0');
    expect(formatLevel(-0)).toBe('0');
    expect(formatLevel(1587)).toBe('1587');
    expect(formatLevel(0.123456)).toBe('0.1235');
    expect(parseLevel(' 1200 ')).toEqual({ ok: true, value: 1200 });
    expect(parseLevel('1 200')).toEqual({ ok: true, value: 1200 });
    expect(parseLevel('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseLevel('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseLevel('-12')).toEqual({ ok: true, value: -12 });
    expect(parseLevel('1,5')).toMatchObject({ ok: false, message: expect.stringMatching(/use a point/) });
    expect(parseLevel('abc')).toMatchObject({ ok: false, message: '"abc" is not a number' });
    expect(parseLevel('')).toMatchObject({ ok: false });
  });

  it('refuse min above (or equal to) max, naming both values', () => {
    expect(checkContrastInput('100', '2000')).toEqual({ ok: true, range: { min: 100, max: 2000 } });
    expect(checkContrastInput('5000', '300')).toEqual({
      ok: false,
      field: 'min',
      message: 'min (5000) must be below max (300): nothing would be drawn between them',
    });
    expect(checkContrastInput('300', '300')).toMatchObject({ ok: false, field: 'max' });
    expect(checkContrastInput('x', '300')).toMatchObject({
      ok: false,
      field: 'min',
      message: 'min: "x" is not a number',
    });
  });
});

describe('physical units', () => {
  it('writes times as hh:mm:ss from the file’s frame times or interval', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(600)).toBe('00:10:00');
    expect(formatClock(11400)).toBe('03:10:00');
    expect(formatClock(90061.7)).toBe('25:01:01');
    expect(frameTime({ frameIntervalS: 600 }, 19)).toBe(11400);
    expect(frameTime({ frameTimestampsS: [0, 59.5, 121], frameIntervalS: 60 }, 2)).toBe(121);
    expect(frameTime({}, 3)).toBeUndefined();
  });

  it('picks a round scale bar that fits, in µm or mm', () => {
    // 0.65 µm/px shown at 1 screen px per pixel: 140 px is 91 µm → a 50 µm bar of 76.9 px.
    expect(scaleBar(0.65, 1)).toEqual({ um: 50, px: 50 / 0.65, label: '50 µm' });
    expect(scaleBar(0.65, 8)?.label).toBe('10 µm');
    expect(scaleBar(0.65, 0.05)?.label).toBe('1 mm');
    expect(scaleBar(0.1, 20, 140)?.um).toBe(0.5);
    expect(scaleBar(0.1, 20, 140)?.label).toBe('500 nm');
    expect(scaleBar(undefined, 1)).toBeUndefined();
    for (const s of [0.013, 0.2, 1, 3.7, 11]) {
      const b = scaleBar(0.65, s)!;
      expect(b.px).toBeLessThanOrEqual(140);
      expect(b.px).toBeGreaterThan(140 / 5 - 1e-9); // the next round length (×2 or ×2.5) would not fit
    }
  });

  it('gives areas in µm² and positions at pixel centres in µm', () => {
    expect(formatArea(95, 0.65)).toBe('95 px (40.1 µm²)');
    expect(formatArea(95, undefined)).toBe('95 px');
    expect(formatPositionUm({ x: 0, y: 9 }, 0.65)).toBe('0.33, 6.17 µm');
  });
});

describe('layers', () => {
  it('colour an image through its range and colour map, opaque, NaN black', () => {
    const data = new Uint16Array([100, 150, 200, 300]);
    const px = colouriseRgba(data, { min: 100, max: 200 }, 'red');
    expect(Array.from(px)).toEqual([0, 0, 0, 255, 128, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255]);
    const f = colouriseRgba(new Float32Array([NaN, 0.5, 1]), { min: 0, max: 1 }, 'grey');
    expect(Array.from(f)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    expect(colormapColour('viridis', 0)).toEqual([68, 1, 84]);
    expect(colormapColour('viridis', 255)).toEqual([253, 231, 37]);
    expect(() => colouriseRgba(data, { min: 0, max: 1 }, 'grey', new Uint8ClampedArray(4))).toThrow(
      /holds 1 pixels/,
    );
  });

  it('colour labels by class, by object, or by track (the same colour in every frame)', () => {
    const objects = [
      { label: 3, className: 'clump', trackId: 12 },
      { label: 9, className: 'noise', trackId: 12 },
    ];
    expect(labelColours('class', objects)(3)).toEqual(classColour('clump'));
    const byTrack = labelColours('track', objects);
    expect(byTrack(3)).toEqual(trackColour(12));
    expect(byTrack(9)).toEqual(byTrack(3));
    expect(labelColours('object', objects)(3)).not.toEqual(labelColours('object', objects)(9));
    // By PI status: the objects' own, the neutral colour where the classifier gave none.
    const pi = labelColours('pi', [
      { label: 1, piClass: 'piPOS' },
      { label: 2, piClass: 'piNEG' },
      { label: 3 },
    ]);
    expect([pi(1), pi(2), pi(3), pi(4)]).toEqual([
      PI_COLOURS.piPOS,
      PI_COLOURS.piNEG,
      NO_PI_COLOUR,
      NO_PI_COLOUR,
    ]);
  });

  it('start with defaults by kind, overridden by the layer’s own', () => {
    const image = {
      kind: 'image' as const,
      id: 'raw:1',
      name: 'PI',
      translate: IN_PLACE,
      width: 1,
      height: 1,
      data: [0],
    };
    expect(defaultSettings(image)).toEqual({ visible: true, opacity: 1, colormap: 'grey' });
    expect(defaultSettings({ ...image, defaults: { colormap: 'red' } }).colormap).toBe('red');
    const labels = {
      kind: 'labels' as const,
      id: 'l',
      name: 'l',
      translate: IN_PLACE,
      width: 1,
      height: 1,
      data: [0],
    };
    expect(defaultSettings(labels)).toMatchObject({ colormap: 'class', style: 'outline' });
  });
});

describe('a selected object’s outline', () => {
  it('runs along the pixel edges it shares with other labels and the image edge', () => {
    // 4×3 labels: object 2 is an L of three pixels touching the right edge.
    const labels = [0, 0, 2, 2, 0, 1, 1, 2, 0, 0, 0, 0];
    const s = Array.from(outlineSegments(labels, 4, 3, 2));
    expect(s.length / 4).toBe(8); // an L of three pixels has a boundary 8 pixel edges long
    const edges = new Set<string>();
    for (let i = 0; i < s.length; i += 4) edges.add(s.slice(i, i + 4).join(','));
    expect(edges.has('2,0,3,0')).toBe(true); // top of (2, 0)
    expect(edges.has('4,0,4,1')).toBe(true); // the image's right edge
    expect(edges.has('3,1,3,2')).toBe(true); // left of (3, 1), next to object 1
    expect(outlineSegments(labels, 4, 3, 9)).toHaveLength(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CLASS_COLOURS,
  classColour,
  classCss,
  classLegend,
  cssColour,
  inkOn,
  OTHER_CLASS_COLOURS,
  UNCLASSIFIED_COLOUR,
} from './class-palette';
import type { Rgb } from './colormap';

const toLinear = (v: number) => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number) => {
  const c = Math.min(1, Math.max(0, v));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
};

/** Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, on linear RGB. */
const VISION: Record<string, number[][]> = {
  typical: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function seenAs(rgb: Rgb, m: number[][]): Rgb {
  const l = rgb.map(toLinear);
  return m.map((row) => toSrgb(row[0] * l[0] + row[1] * l[1] + row[2] * l[2])) as Rgb;
}

function lab(rgb: Rgb): [number, number, number] {
  const [r, g, b] = rgb.map(toLinear);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 colour difference: about 2 is just noticeable, over 10 reads as another colour at a glance. */
function deltaE(a: Rgb, b: Rgb): number {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

const FIXED: [string, Rgb][] = [...Object.entries(CLASS_COLOURS), ['unclassified', UNCLASSIFIED_COLOUR]];

describe('class palette', () => {
  it('gives the five HiTMicTools classes fixed colours and objects without a class yellow', () => {
    expect(Object.keys(CLASS_COLOURS)).toEqual(['single-cell', 'clump', 'noise', 'off-focus', 'joint-cell']);
    expect(classColour('clump')).toEqual(CLASS_COLOURS.clump);
    expect(classColour(undefined)).toEqual(UNCLASSIFIED_COLOUR);
    expect(classColour('')).toEqual(UNCLASSIFIED_COLOUR);
    expect(classLegend().map((e) => e.name)).toEqual([...Object.keys(CLASS_COLOURS), 'unclassified']);
  });

  it('gives other class names a stable colour that is none of the fixed ones', () => {
    expect(classColour('dividing')).toEqual(classColour('dividing'));
    const fixed = new Set(FIXED.map(([, c]) => c.join(',')));
    for (const name of ['dividing', 'filament', 'spore', 'ghost', 'x'])
      expect(fixed.has(classColour(name).join(','))).toBe(false);
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => classColour(n).join(','))).size).toBe(4);
  });

  it('keeps every pair of class colours apart for protan, deutan and tritan viewers', () => {
    for (const [vision, m] of Object.entries(VISION)) {
      for (let i = 0; i < FIXED.length; i++)
        for (let j = i + 1; j < FIXED.length; j++) {
          const d = deltaE(seenAs(FIXED[i][1], m), seenAs(FIXED[j][1], m));
          expect(d, `${FIXED[i][0]} vs ${FIXED[j][0]}, ${vision}`).toBeGreaterThan(15);
        }
      for (const other of OTHER_CLASS_COLOURS)
        for (const [name, c] of FIXED)
          expect(
            deltaE(seenAs(other, m), seenAs(c, m)),
            `${cssColour(other)} vs ${name}, ${vision}`,
          ).toBeGreaterThan(14);
    }
  });

  it('reads on any grey of a bright-field frame, on the dark crop tiles and on white plots', () => {
    for (const [name, c] of FIXED) {
      for (let g = 0; g <= 255; g += 5)
        expect(deltaE(c, [g, g, g]), `${name} on grey ${g}`).toBeGreaterThan(30);
      expect(deltaE(c, [24, 28, 36]), `${name} on a QC tile`).toBeGreaterThan(30);
      expect(deltaE(c, [255, 255, 255]), `${name} on a plot`).toBeGreaterThan(30);
    }
  });

  it('writes CSS hex and picks readable ink', () => {
    expect(cssColour([0, 114, 178])).toBe('#0072b2');
    expect(classCss('single-cell')).toBe('#56b4e9');
    expect(inkOn(UNCLASSIFIED_COLOUR)).toBe('#000');
    expect(inkOn(CLASS_COLOURS['off-focus'])).toBe('#fff');
  });
});

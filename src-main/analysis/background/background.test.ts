import { describe, expect, it } from 'vitest';
import {
  backgroundKernelSize,
  BackgroundMethodError,
  correctBackgroundStandard,
  planBackgroundCorrection,
} from './flat-field';
import { GaussianBlur, openCvAutoSigma, openCvGaussianKernel, reflect101 } from './gaussian-blur';
import { backgroundLevel, quantileLinear } from './percentile';
import { relativeIntensities } from './relative';
import { mulberry32 as rng } from '../../../test-support/random';

/** numpy linear quantile by full sort (reference, different algorithm from quickselect). */
function sortQuantile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

describe('background level (10th percentile of uncovered pixels)', () => {
  it('equals a sort-based numpy-linear quantile of the pixels outside all objects', () => {
    const w = 64;
    const h = 48;
    const rand = rng(3);
    const img = new Float32Array(w * h).map(() => Math.fround(100 + rand() * 50));
    const labels = new Uint16Array(w * h);
    for (let i = 0; i < labels.length; i++) if (rand() < 0.3) labels[i] = 1 + (i % 5);
    // Objects are bright: including them would move the percentile.
    for (let i = 0; i < labels.length; i++) if (labels[i]) img[i] += 1000;
    const outside = Array.from(img).filter((_, i) => labels[i] === 0);
    expect(backgroundLevel(img, labels, w, h)).toBeCloseTo(sortQuantile(outside, 0.1), 4);
    expect(backgroundLevel(img, labels, w, h, { quantile: 0.5 })).toBeCloseTo(sortQuantile(outside, 0.5), 4);
    expect(backgroundLevel(img, new Uint16Array(w * h).fill(1), w, h)).toBeNaN();
  });

  it('matches numpy on a small vector (np.quantile([5,1,9,3,7,2,8], 0.1) = 1.6) and ignores NaN', () => {
    expect(quantileLinear(Float32Array.from([5, 1, 9, 3, 7, 2, 8]), 7, 0.1)).toBeCloseTo(1.6, 6);
    const img = Float32Array.from([5, 1, NaN, 9, 3, 7, 2, 8]);
    expect(backgroundLevel(img, new Uint8Array(8), 4, 2)).toBeCloseTo(1.6, 6);
    // Negative values, ±0, duplicates and values sharing the high 16 bits: compare with a sort for many q.
    const rand = rng(21);
    const mixed = Array.from({ length: 5000 }, (_, i) =>
      Math.fround(i % 7 === 0 ? 3 : i % 11 === 0 ? -0 : (rand() - 0.3) * (i % 2 ? 1e-3 : 1e4)),
    );
    for (const q of [0, 0.001, 0.1, 0.25, 0.5, 0.77, 0.999, 1]) {
      expect(quantileLinear(Float32Array.from(mixed), mixed.length, q), `q ${q}`).toBeCloseTo(
        sortQuantile(mixed, q),
        3,
      );
    }
    expect(quantileLinear(Float32Array.from([1, 1.0000001]), 2, 0.5)).toBeCloseTo(
      (1 + Math.fround(1.0000001)) / 2,
      14,
    );
    const constant = new Float32Array(1000).fill(4);
    expect(quantileLinear(constant, 1000, 0.1)).toBe(4);
  });

  it('gives relative intensities = intensity ÷ background, NaN and a warning for a zero background', () => {
    const m = { max_intensity: [10, 4], min_intensity: [2, 1], mean_intensity: [5, 2] };
    const r = relativeIntensities(m, 2, 0);
    expect(Array.from(r.rel_max_intensity)).toEqual([5, 2]);
    expect(Array.from(r.rel_min_intensity)).toEqual([1, 0.5]);
    expect(Array.from(r.rel_mean_intensity)).toEqual([2.5, 1]);
    expect(r.warning).toBeNull();
    const z = relativeIntensities(m, 0, 7);
    expect(Array.from(z.rel_mean_intensity).every(Number.isNaN)).toBe(true);
    expect(z.warning).toMatch(/frame 7/);
    const neg = relativeIntensities(m, -2);
    expect(neg.rel_mean_intensity[0]).toBe(-2.5);
    expect(neg.warning).toMatch(/negative/);
  });
});

describe('Gaussian blur (OpenCV GaussianBlur(img, (k, k), 0), BORDER_REFLECT_101)', () => {
  it('uses the kernel of getGaussianKernel(k, 0): fixed table up to 7, formula beyond', () => {
    expect(Array.from(openCvGaussianKernel(3))).toEqual([0.25, 0.5, 0.25]);
    expect(Array.from(openCvGaussianKernel(7))).toEqual([
      0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125,
    ]);
    for (const k of [9, 31, 61]) {
      const s = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
      const raw = Array.from({ length: k }, (_, i) => Math.exp(-((i - (k - 1) / 2) ** 2) / (2 * s * s)));
      const sum = raw.reduce((a, b) => a + b, 0);
      const kernel = openCvGaussianKernel(k);
      raw.forEach((v, i) => expect(kernel[i]).toBeCloseTo(v / sum, 15));
      expect(openCvAutoSigma(k)).toBeCloseTo(s, 15);
    }
    expect(() => openCvGaussianKernel(4)).toThrow(/odd/);
  });

  it('reflects borders as gfedcb|abcdefgh|gfedcba, also beyond one period', () => {
    expect([-3, -2, -1, 0, 7, 8, 9, 10].map((p) => reflect101(p, 8))).toEqual([3, 2, 1, 0, 7, 6, 5, 4]);
    expect([-7, 12].map((p) => reflect101(p, 4))).toEqual([1, 0]);
  });

  it('matches scipy correlate1d(mode="mirror") with the OpenCV kernel on a 5×4 image smaller than the kernel', () => {
    // python: k=9; g=OpenCV kernel; img=np.arange(20.).reshape(4,5)**1.5;
    // correlate1d(correlate1d(img,g,axis=1,mode='mirror'),g,axis=0,mode='mirror')
    const expected = [
      23.45554919184067, 24.28344244139931, 26.32157005110796, 28.377140256086207, 29.226149622749737,
      26.369483133251673, 27.236393107773583, 29.368959444481728, 31.518073255046012, 32.40500171734014,
      32.145388557968204, 33.08760575878375, 35.4025140077766, 37.73231181934007, 38.69251646653538,
      35.11444736100437, 36.09487556036469, 38.50230660979713, 40.923788340172564, 41.92117616903201,
    ];
    const img = Float32Array.from({ length: 20 }, (_, i) => i ** 1.5);
    const out = new GaussianBlur(9).apply(img, 5, 4);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });

  it('keeps a constant image constant and equals a direct 2-D convolution on random data', () => {
    const w = 37;
    const h = 23;
    const blur = new GaussianBlur(15);
    const flat = blur.apply(new Float32Array(w * h).fill(3.5), w, h);
    for (const v of flat) expect(v).toBeCloseTo(3.5, 5);
    const rand = rng(11);
    const img = new Float32Array(w * h).map(() => rand() * 100);
    const out = blur.apply(img, w, h);
    const k = blur.kernel;
    for (const [y, x] of [
      [0, 0],
      [5, 36],
      [22, 10],
      [11, 18],
    ]) {
      let s = 0;
      for (let i = 0; i < 15; i++)
        for (let j = 0; j < 15; j++)
          s += k[i] * k[j] * img[reflect101(y + i - 7, h) * w + reflect101(x + j - 7, w)];
      expect(out[y * w + x]).toBeCloseTo(s, 3);
    }
  });
});

describe('standard background correction (flat-field division)', () => {
  it('derives the kernel size as HiTMicTools does (int(20/px), forced odd)', () => {
    expect(backgroundKernelSize(0.65)).toBe(31);
    expect(backgroundKernelSize(1)).toBe(21);
    expect(backgroundKernelSize(2)).toBe(11);
    expect(backgroundKernelSize(3)).toBe(7);
    expect(backgroundKernelSize(40)).toBe(1);
    expect(() => backgroundKernelSize(0)).toThrow(/pixel size/);
  });

  it('flattens a smooth illumination gradient: the background CV drops by a large factor', () => {
    const w = 160;
    const h = 120;
    const rand = rng(5);
    const img = new Float32Array(w * h);
    const cv = (a: Float32Array) => {
      let s = 0;
      let s2 = 0;
      for (const v of a) {
        s += v;
        s2 += v * v;
      }
      const m = s / a.length;
      return Math.sqrt(s2 / a.length - m * m) / m;
    };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) img[y * w + x] = (200 + 3 * x + 1.5 * y) * (1 + 0.01 * (rand() - 0.5));
    }
    const out = correctBackgroundStandard(img, w, h, 0.65); // kernel 31
    expect(cv(img)).toBeGreaterThan(0.25);
    expect(cv(out)).toBeLessThan(cv(img) / 20);
    let mean = 0;
    for (const v of out) mean += v / out.length;
    expect(mean).toBeCloseTo(1, 2);
    const zero = correctBackgroundStandard(new Float32Array(w * h), w, h, 0.65);
    expect(zero.every((v) => v === 0)).toBe(true);
  });

  it("plans each channel's correction as HiTMicTools' pipelines do and rejects unknown methods", () => {
    expect(planBackgroundCorrection('basicpy_fl')).toEqual({
      requested: 'basicpy_fl',
      reference: 'standard',
      fluorescence: 'basic',
      warning: null,
    });
    expect(planBackgroundCorrection('basicpy')).toMatchObject({
      reference: 'basic',
      fluorescence: 'basic',
      warning: null,
    });
    const standard = planBackgroundCorrection('standard');
    expect(standard).toMatchObject({ reference: 'standard', fluorescence: 'none' });
    expect(standard.warning).toMatch(/fluorescence \(PI\) channel uncorrected.*basicpy_fl/);
    expect(() => planBackgroundCorrection('dog')).toThrow(BackgroundMethodError);
  });
});

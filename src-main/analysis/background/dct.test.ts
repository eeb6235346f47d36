import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../../test-support/random';
import { Dct1d, Dct2d } from './dct';

/** The orthonormal DCT-II by its definition, O(N²). */
function directDct(x: number[]): number[] {
  const n = x.length;
  return x.map((_, k) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    return s * Math.sqrt((k === 0 ? 1 : 2) / n);
  });
}

/** The orthonormal 2-D DCT-II by its definition (every output a sum over every input), O(N⁴). */
function directDct2d(a: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let ky = 0; ky < h; ky++) {
    for (let kx = 0; kx < w; kx++) {
      let s = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          s +=
            a[y * w + x] *
            Math.cos((Math.PI * ky * (2 * y + 1)) / (2 * h)) *
            Math.cos((Math.PI * kx * (2 * x + 1)) / (2 * w));
      out[ky * w + kx] = s * Math.sqrt((ky === 0 ? 1 : 2) / h) * Math.sqrt((kx === 0 ? 1 : 2) / w);
    }
  }
  return out;
}

describe('orthonormal DCT-II (scipy.fft.dct(norm="ortho")) and its inverse', () => {
  it('equals the direct sum for FFT lengths (powers of two) and table lengths, and inverts', () => {
    const rand = rng(5);
    for (const n of [1, 2, 4, 8, 64, 128, 3, 5, 12, 100]) {
      const x = Array.from({ length: n }, () => rand() * 200 - 50);
      const dct = new Dct1d(n);
      const out = new Float64Array(n);
      dct.forward(Float64Array.from(x), out);
      const want = directDct(x);
      want.forEach((v, k) => expect(out[k], `n ${n} k ${k}`).toBeCloseTo(v, 9));
      const back = new Float64Array(n);
      dct.inverse(out, back);
      x.forEach((v, i) => expect(back[i], `n ${n} i ${i}`).toBeCloseTo(v, 9));
    }
  });

  it('matches scipy on a fixed vector (scipy.fft.dct([1, 2, 3, 4], norm="ortho"))', () => {
    const out = new Float64Array(4);
    new Dct1d(4).forward(Float64Array.from([1, 2, 3, 4]), out);
    // python: scipy.fft.dct(np.array([1., 2, 3, 4]), norm='ortho')
    const want = [5.000000000000001, -2.2304424973876635, 0.0, -0.15851266778110706];
    want.forEach((v, k) => expect(out[k]).toBeCloseTo(v, 12));
  });

  it('does 2-D transforms (rows, then columns) equal to the direct 2-D sum, in place too', () => {
    const rand = rng(9);
    for (const [w, h] of [
      [8, 8],
      [16, 6],
      [5, 7],
    ]) {
      const a = new Float64Array(w * h).map(() => rand() * 10 - 3);
      const dct = new Dct2d(w, h);
      const got = dct.forward(a);
      const want = directDct2d(a, w, h);
      want.forEach((v, i) => expect(got[i], `${w}×${h} [${i}]`).toBeCloseTo(v, 9));
      const inPlace = a.slice();
      dct.forward(inPlace, inPlace);
      want.forEach((v, i) => expect(inPlace[i]).toBeCloseTo(v, 9));
      dct.inverse(inPlace, inPlace);
      a.forEach((v, i) => expect(inPlace[i]).toBeCloseTo(v, 9));
    }
  });

  it('keeps energy (orthonormal) on the 128×128 working size and maps a constant to one coefficient', () => {
    const n = 128;
    const rand = rng(2);
    const a = new Float64Array(n * n).map(() => rand());
    const c = new Dct2d(n, n).forward(a);
    const energy = (v: Float64Array) => v.reduce((s, x) => s + x * x, 0);
    expect(energy(c) / energy(a)).toBeCloseTo(1, 12);
    const flat = new Dct2d(n, n).forward(new Float64Array(n * n).fill(2));
    expect(flat[0]).toBeCloseTo(2 * n, 9);
    expect(Math.max(...Array.from(flat.subarray(1), Math.abs))).toBeLessThan(1e-9);
  });

  it('rejects a length that is not a positive integer', () => {
    expect(() => new Dct1d(0)).toThrow(/positive integer/);
  });
});

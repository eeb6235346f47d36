import { describe, expect, it } from 'vitest';
import { GaussianBlur } from '../background/gaussian-blur';
import { DriftEstimator, estimateDrift, templateBox } from './drift';
import { nccAt, nccMapFft, prepareTemplate } from './ncc';
import { applyShift, commonCrop, cropFrame } from './shift';
import { mulberry32 as rng } from '../../../test-support/random';

/** A smooth random texture (blurred noise), like cells and debris in bright field. */
function texture(w: number, h: number, seed: number): Float32Array {
  const rand = rng(seed);
  const noise = new Float32Array(w * h).map(() => rand());
  const out = new GaussianBlur(9).apply(noise, w, h);
  for (let i = 0; i < out.length; i++) out[i] = 100 + 400 * out[i];
  return out;
}

/** Frame of size w × h whose content is the texture moved by (+sx, +sy) (bilinear), plus noise. */
function frameOf(
  tex: Float32Array,
  tw: number,
  w: number,
  h: number,
  margin: number,
  sx: number,
  sy: number,
  rand: () => number,
): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const X = x + margin - sx;
      const Y = y + margin - sy;
      const x0 = Math.floor(X);
      const y0 = Math.floor(Y);
      const fx = X - x0;
      const fy = Y - y0;
      const t = (xx: number, yy: number) => tex[yy * tw + xx];
      const v =
        (1 - fx) * (1 - fy) * t(x0, y0) +
        fx * (1 - fy) * t(x0 + 1, y0) +
        (1 - fx) * fy * t(x0, y0 + 1) +
        fx * fy * t(x0 + 1, y0 + 1);
      out[y * w + x] = v + (rand() - 0.5) * 10;
    }
  }
  return out;
}

describe('normalised cross-correlation', () => {
  it('FFT map equals the direct TM_CCOEFF_NORMED sum at every placement', () => {
    const rand = rng(1);
    const src = { data: new Float32Array(23 * 17).map(() => rand() * 10), width: 23, height: 17 };
    const t = prepareTemplate({ data: new Float32Array(9 * 6).map(() => rand()), width: 9, height: 6 });
    const { map, width, height } = nccMapFft(src, t);
    expect([width, height]).toEqual([15, 12]);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) expect(map[y * width + x]).toBeCloseTo(nccAt(src, t, x, y), 9);
    // A template cut from the source scores 1 at its own place.
    const cut = new Float32Array(9 * 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 9; x++) cut[y * 9 + x] = src.data[(y + 4) * 23 + x + 5];
    expect(nccAt(src, prepareTemplate({ data: cut, width: 9, height: 6 }), 5, 4)).toBeCloseTo(1, 12);
  });
});

describe('drift estimation', () => {
  const W = 256;
  const H = 192;
  const M = 56;
  const moves: Array<[number, number]> = [
    [0, 0],
    [3, -2],
    [7, -5],
    [6.5, -4.25],
    [-11, 9],
    [-10.4, 12.7],
    [30, -33], // a (+40, −46) px jump from the previous frame, near the ±W/4, ±H/4 search limit
  ];
  const tex = texture(W + 2 * M, H + 2 * M, 9);
  const noise = rng(4);
  const frames = moves.map(([sx, sy]) => frameOf(tex, W + 2 * M, W, H, M, sx, sy, noise));

  for (const coarseSize of [512, 64]) {
    it(`recovers integer and sub-pixel moves (coarseSize ${coarseSize}: ${coarseSize >= W ? 'full FFT' : 'pyramid'})`, () => {
      const shifts = estimateDrift(frames, W, H, { coarseSize });
      shifts.forEach((s, i) => {
        // The shift that aligns a frame undoes its move.
        expect(Math.abs(s.dx + moves[i][0]), `frame ${i} dx ${s.dx}`).toBeLessThanOrEqual(0.1);
        expect(Math.abs(s.dy + moves[i][1]), `frame ${i} dy ${s.dy}`).toBeLessThanOrEqual(0.1);
        expect(s.score).toBeGreaterThan(0.9);
      });
      const integer = estimateDrift(frames, W, H, { coarseSize, subpixel: false });
      integer.forEach((s, i) => {
        expect(Number.isInteger(s.dx) && Number.isInteger(s.dy)).toBe(true);
        expect(Math.abs(s.dx + moves[i][0])).toBeLessThanOrEqual(1);
        expect(Math.abs(s.dy + moves[i][1])).toBeLessThanOrEqual(1);
      });
    });
  }

  it('aligned frames agree on the common crop, which is the area valid in every frame', () => {
    const shifts = estimateDrift(frames, W, H, { subpixel: false });
    const crop = commonCrop(shifts, W, H);
    const dxs = shifts.map((s) => s.dx);
    const dys = shifts.map((s) => s.dy);
    expect(crop.x0).toBe(Math.max(0, ...dxs));
    expect(crop.y0).toBe(Math.max(0, ...dys));
    expect(crop.x0 + crop.width).toBe(W + Math.min(0, ...dxs));
    expect(crop.y0 + crop.height).toBe(H + Math.min(0, ...dys));
    const aligned = frames.map((f, i) => cropFrame(applyShift(f, W, H, shifts[i].dx, shifts[i].dy), W, crop));
    // Integer frames (0, 1, 2, 4, 6) line up to the noise level everywhere in the crop, with no zero border.
    for (const i of [1, 2, 4, 6]) {
      let maxDiff = 0;
      for (let k = 0; k < aligned[0].length; k++)
        maxDiff = Math.max(maxDiff, Math.abs(aligned[i][k] - aligned[0][k]));
      expect(maxDiff).toBeLessThan(12);
    }
    for (const a of aligned) expect(a.every((v) => v > 50)).toBe(true);
  });

  it('applies shifts like warpAffine: integer copies, bilinear sub-pixel, zero border', () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 4 × 3
    expect(Array.from(applyShift(src, 4, 3, 1, -1))).toEqual([0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0]);
    const half = applyShift(src, 4, 3, 0.5, 0);
    expect(Array.from(half.subarray(0, 4))).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(() =>
      commonCrop(
        [
          { dx: 0, dy: 0 },
          { dx: 5, dy: 0 },
        ],
        4,
        3,
      ),
    ).toThrow(/no pixel common/);
    expect(templateBox(2048, 2048)).toEqual({ x: 512, y: 512, width: 1024, height: 1024 });
    expect(templateBox(101, 51)).toEqual({ x: 25, y: 13, width: 50, height: 25 });
    expect(() => new DriftEstimator(2, 2)).toThrow(/at least 4/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMovie, readNpyFloat32 } from '../../io';
import { mulberry32 } from '../../../test-support/random';
import { BasicFitError, fitBasic, type BasicFit } from './basic';
import { basicFlatfieldAtSize, BasicStack, correctBasicTimelapse } from './basic-frames';
import { jaxLinearResampler, mirrorLinearResampler, resample2d, skimageResampler } from './basic-resize';

const REFERENCE = path.resolve(__dirname, '..', '..', '..', 'test-support', 'basic');
const DELTA = path.resolve(
  __dirname,
  '../../../../shared/fixtures/bacteria_movies/delta_mothermachine_phase_fluor',
);
const HAVE_DELTA = fs.existsSync(DELTA);
const DELTA_MISSING = HAVE_DELTA ? '' : ` — SKIPPED: real fixtures not found at ${DELTA}`;

/** A 2-D Gaussian illumination spanning exactly 0.7..1.3 (±30 %), off-centre (as scripts/make-basic-reference.py). */
function vignette(width: number, height: number): Float64Array {
  const g = new Float64Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      g[y * width + x] = Math.exp(
        -(((x - 0.45 * width) / (0.5 * width)) ** 2 + ((y - 0.55 * height) / (0.6 * height)) ** 2) / 2,
      );
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of g) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return g.map((v) => 0.7 + (0.6 * (v - lo)) / (hi - lo));
}

/**
 * frame_t = F · (baseline_t + cells_t) + noise, float32: bright disks (radius 2–5 px, +300–1000)
 * moving at random on a bleaching baseline 250·(1 − 0.04 t), uniform noise ±10. Draws the same
 * numbers in the same order as scripts/make-basic-reference.py.
 */
function syntheticStack(frames: number, width: number, height: number, seed: number) {
  const rand = mulberry32(seed);
  const flat = vignette(width, height);
  const baselines = Array.from({ length: frames }, (_, t) => 250 * (1 - 0.04 * t));
  const stack: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const cells = new Float64Array(width * height);
    const count = Math.max(3, Math.floor((width * height) / 600));
    for (let b = 0; b < count; b++) {
      const cx = rand() * width;
      const cy = rand() * height;
      const r = 2 + 3 * rand();
      const amp = 300 + 700 * rand();
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) cells[y * width + x] += amp;
    }
    const frame = new Float32Array(width * height);
    for (let i = 0; i < frame.length; i++)
      frame[i] = flat[i] * (baselines[t] + cells[i]) + (rand() - 0.5) * 20;
    stack.push(frame);
  }
  return { stack, flat, baselines };
}

function fitFrames(stack: Float32Array[], width: number, height: number): BasicFit {
  const s = new BasicStack(width, height, 2);
  stack.forEach((f) => s.add(f));
  return fitBasic(s);
}

describe('BaSiC resizes (jax.image.resize linear; skimage.transform.resize)', () => {
  it('shrinks with a widened triangle and grows by interpolation, as jax computes the weights', () => {
    // python: compute_weight_mat(6, 3) and (3, 5) of jax/_src/image/scale.py (scripts/make-basic-reference.py)
    const down = jaxLinearResampler(6, 3);
    const dense = (r: ReturnType<typeof jaxLinearResampler>) =>
      Array.from({ length: r.outSize }, (_, o) => {
        const row = new Array<number>(r.inSize).fill(0);
        for (let j = 0; j < r.taps; j++) row[r.index[o * r.taps + j]] += r.weight[o * r.taps + j];
        return row;
      });
    const want = [
      [0.4285714328289032, 0.4285714328289032, 0.1428571492433548, 0, 0, 0],
      [0, 0.125, 0.375, 0.375, 0.125, 0],
      [0, 0, 0, 0.1428571492433548, 0.4285714328289032, 0.4285714328289032],
    ];
    dense(down).forEach((row, o) => row.forEach((v, i) => expect(v).toBeCloseTo(want[o][i], 6)));
    const up = [
      [1, 0, 0],
      [0.6, 0.4, 0],
      [0, 1, 0],
      [0, 0.4, 0.6],
      [0, 0, 1],
    ];
    dense(jaxLinearResampler(3, 5)).forEach((row, o) =>
      row.forEach((v, i) => expect(v).toBeCloseTo(up[o][i], 6)),
    );
  });

  it('grows and shrinks as skimage does: mirrored linear zoom, Gaussian first when shrinking', () => {
    // python: ndimage.zoom([[1,4,2,8]], [1, 7/4], order=1, mode='mirror', grid_mode=True)
    const grown = resample2d(
      [1, 4, 2, 8],
      mirrorLinearResampler(4, 7),
      mirrorLinearResampler(1, 1),
      new Float64Array(7),
    );
    [
      1.6428571939468384, 2.0714285373687744, 3.7857143878936768, 3, 2.4285714626312256, 5.857142925262451,
      6.714285850524902,
    ].forEach((v, i) => expect(grown[i]).toBeCloseTo(v, 6));
    // python: skimage.transform.resize([[1,4,2,8,3,5]] as float32, (1, 4)) (sigma 0.25 Gaussian, then zoom)
    const shrunk = resample2d(
      [1, 4, 2, 8, 3, 5],
      skimageResampler(6, 4, true),
      skimageResampler(1, 1, true),
      new Float64Array(4),
    );
    [1.7510895729064941, 2.5015923976898193, 6.74782133102417, 4.4995808601379395].forEach((v, i) =>
      expect(shrunk[i]).toBeCloseTo(v, 5),
    );
  });
});

describe('BaSiC approximate fit (BaSiCPy 1.2 as HiTMicTools calls it)', () => {
  it('recovers a ±30 % vignette within 2 % (RMS; everywhere but the edges) and the per-frame baseline, and flattens the background', () => {
    const W = 256;
    const H = 192;
    const { stack, flat, baselines } = syntheticStack(20, W, H, 3);
    const fit = fitFrames(stack, W, H);
    expect(fit.converged).toBe(true);
    const flatfield = basicFlatfieldAtSize(fit, W, H);
    const meanF = flat.reduce((s, v) => s + v, 0) / flat.length;
    const err = Array.from(flat, (f, i) => Math.abs(flatfield[i] / (f / meanF) - 1));
    const rms = Math.sqrt(err.reduce((s, e) => s + e * e, 0) / err.length);
    expect(rms).toBeLessThan(0.02);
    // BaSiC's smoothness and its 128-px working size round the field off at the very edges (the same
    // in the BaSiCPy transcription): 2 % holds everywhere but the outer 1/16 of the frame.
    const m = W / 16;
    let inner = 0;
    for (let y = m; y < H - m; y++) for (let x = m; x < W - m; x++) inner = Math.max(inner, err[y * W + x]);
    expect(inner).toBeLessThan(0.02);
    expect(Math.max(...err)).toBeLessThan(0.06);
    // The baseline comes in the units of frame ÷ (flat field of mean 1): the true baseline × mean(F).
    const ratios = baselines.map((b, t) => fit.baseline[t] / (b * meanF));
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.005);
    // Corrected background (pixels without cells) ≈ 0 on every frame, even where the vignette is at 0.7.
    const t = 7;
    const corrected = correctBasicTimelapse(stack[t], flatfield, fit.baseline[t]);
    const background = Array.from(corrected).filter((_, i) => stack[t][i] < flat[i] * baselines[t] + 15);
    const median = background.sort((a, b) => a - b)[background.length >> 1];
    expect(Math.abs(median)).toBeLessThan(0.1 * baselines[t]);
  });

  it('agrees with the numpy transcription of BaSiCPy (scripts/make-basic-reference.py) on a 6×72×160 stack', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'reference.json'), 'utf8')) as {
      case: { frames: number; width: number; height: number; seed: number };
      stack_sum: number;
      smoothness: number;
      iterations: number[];
      baseline: number[];
      corrected_frame_means: number[];
    };
    const { frames, width, height, seed } = ref.case;
    const { stack } = syntheticStack(frames, width, height, seed);
    const sum = stack.reduce((s, f) => s + f.reduce((a, v) => a + v, 0), 0);
    expect(sum / ref.stack_sum).toBeCloseTo(1, 9); // the same input, drawn the same way
    const fit = fitFrames(stack, width, height);
    expect(Math.abs(fit.smoothness / ref.smoothness - 1)).toBeLessThan(1e-6);
    expect(fit.iterations).toEqual(ref.iterations);
    // float32 there (numpy, as JAX) against float64 sums here: measured agreement ≤ 5e-7 relative.
    fit.baseline.forEach((b, t) => expect(Math.abs(b / ref.baseline[t] - 1)).toBeLessThan(2e-6));
    const working = readNpyFloat32(fs.readFileSync(path.join(REFERENCE, 'flatfield_working.npy')));
    const full = readNpyFloat32(fs.readFileSync(path.join(REFERENCE, 'flatfield.npy')));
    expect(working.shape).toEqual([128, 128]);
    expect(full.shape).toEqual([height, width]);
    const maxRel = (a: Float32Array, b: Float32Array) =>
      a.reduce((m, v, i) => Math.max(m, Math.abs(v / b[i] - 1)), 0);
    expect(maxRel(fit.flatfield, working.data)).toBeLessThan(5e-6);
    const flatfield = basicFlatfieldAtSize(fit, width, height);
    expect(maxRel(flatfield, full.data)).toBeLessThan(5e-6);
    // Resizing the reference's own working-size field isolates the skimage path: float32 rounding only.
    const fromRef = basicFlatfieldAtSize({ ...fit, flatfield: working.data }, width, height);
    expect(maxRel(fromRef, full.data)).toBeLessThan(5e-7);
    stack.forEach((f, t) => {
      const c = correctBasicTimelapse(f, flatfield, fit.baseline[t]);
      expect(c.reduce((s, v) => s + v, 0) / c.length).toBeCloseTo(ref.corrected_frame_means[t], 1);
    });
  });

  it('fits one frame as HiTMicTools does (the frame twice) and keeps one baseline', () => {
    const { stack } = syntheticStack(1, 160, 140, 11);
    const one = fitFrames(stack, 160, 140);
    const twice = fitFrames([stack[0], stack[0]], 160, 140);
    expect(one.baseline).toHaveLength(1);
    expect(one.baseline[0]).toBe(twice.baseline[0]);
    expect(Array.from(one.flatfield)).toEqual(Array.from(twice.flatfield));
  });

  it('refuses an empty stack and a blank channel with a BasicFitError that says what to check', () => {
    expect(() => fitBasic(new BasicStack(64, 64))).toThrow(BasicFitError);
    const blank = new BasicStack(64, 64);
    blank.add(new Float32Array(64 * 64));
    blank.add(new Float32Array(64 * 64));
    expect(() => fitBasic(blank)).toThrow(/nothing to fit.*all-zero.*pi_channel/);
  });
});

describe.skipIf(!HAVE_DELTA)(
  `BaSiC on real fluorescence (DeLTA mother machine, 8 frames of 696×520)${DELTA_MISSING}`,
  () => {
    it('gives the baselines and flat field of the numpy transcription of BaSiCPy', async () => {
      // /usr/bin/python3: fit_basic of scripts/make-basic-reference.py on the 8 Channel02 frames read
      // with tifffile as float32 (run once by hand; the fixture is third-party data and is not committed).
      const baseline = [
        916.8489990234375, 913.2445678710938, 910.1787109375, 908.8090209960938, 906.0932006835938,
        904.8541259765625, 903.4306640625, 903.9793701171875,
      ];
      const movie = await openMovie(DELTA);
      try {
        const { x: W, y: H, t: T } = movie.info.shape;
        const stack = new BasicStack(W, H, T);
        for (let t = 0; t < T; t++) stack.add((await movie.readPlane({ t, c: 1 })).data as Uint16Array);
        const fit = fitBasic(stack);
        expect(fit.iterations).toEqual([22, 22, 22]);
        fit.baseline.forEach((b, t) => expect(Math.abs(b / baseline[t] - 1)).toBeLessThan(2e-6));
        const flat = basicFlatfieldAtSize(fit, W, H);
        const at = (y: number, x: number) => flat[y * W + x];
        // python: flatfield.min(), .max(), [100, 600], [0, 0], [519, 695]
        const want = [
          0.9442829489707947, 1.1109932661056519, 1.042914867401123, 0.9486940503120422, 0.96131831407547,
        ];
        const got = [
          flat.reduce((m, v) => Math.min(m, v)),
          flat.reduce((m, v) => Math.max(m, v)),
          at(100, 600),
          at(0, 0),
          at(519, 695),
        ];
        got.forEach((v, i) => expect(Math.abs(v / want[i] - 1)).toBeLessThan(5e-6));
      } finally {
        await movie.close();
      }
    });
  },
);

describe('BaSiC timelapse transform', () => {
  it('is frame ÷ flat field − baseline in float32 arithmetic', () => {
    const frame = Float32Array.from([100, 250.5, 7, 0]);
    const flat = Float32Array.from([0.8, 1.25, 1.1, 0.9]);
    const out = correctBasicTimelapse(frame, flat, 12.3);
    const f = Math.fround;
    [0, 1, 2, 3].forEach((i) => expect(out[i]).toBe(f(f(frame[i] / flat[i]) - f(12.3))));
    expect(() => correctBasicTimelapse(frame, new Float32Array(3), 0)).toThrow(/basicFlatfieldAtSize/);
  });
});

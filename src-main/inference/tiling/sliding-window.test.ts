import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, releaseAll } from '../../workers/ort';
import type { ModelRunner } from '../model-runner';
import { predictorFromRunner } from './predictor';
import { slidingWindowInference } from './sliding-window';

const MODELS = path.resolve(__dirname, '../../../test-support/models');
let identity: ModelRunner;
let double: ModelRunner;
let double2: ModelRunner;
let fixed: ModelRunner;
let windowMean: ModelRunner;

beforeAll(async () => {
  const opts = { threads: 1, prefer: 'cpu' as const };
  identity = (await loadModel(path.join(MODELS, 'identity.onnx'), opts)).runner;
  double = (await loadModel(path.join(MODELS, 'double.onnx'), opts)).runner;
  double2 = (await loadModel(path.join(MODELS, 'double_2ch.onnx'), opts)).runner;
  fixed = (await loadModel(path.join(MODELS, 'double_fixed_b4_16.onnx'), opts)).runner;
  windowMean = (await loadModel(path.join(MODELS, 'window_mean.onnx'), opts)).runner;
});
afterAll(() => releaseAll());

function ramp(h: number, w: number): Float32Array {
  const d = new Float32Array(h * w);
  for (let i = 0; i < d.length; i++) d[i] = Math.sin(i * 0.37) * 100 + i * 0.01;
  return d;
}

// MONAI-style table: with an identity (×1) or doubling (×2) model the blended output must equal the
// input (×2) whatever the tiling, padding and blending, since Σ(k·x·w)/Σw = k·x.
describe('sliding window with identity / doubling ONNX models', () => {
  type Case = [number, number, number | [number, number], number, 'constant' | 'gaussian', number, string];
  it.each<Case>([
    // h, w, roi, overlap, mode, batch, comment
    [16, 16, 16, 0.25, 'constant', 1, 'roi equals the image'],
    [5, 7, 16, 0.25, 'constant', 2, 'roi bigger than the image (reflect, repeated)'],
    [1, 1, 16, 0.5, 'gaussian', 4, '1×1 image'],
    [37, 23, 8, 0.5, 'gaussian', 3, 'non-square, sizes not divisible'],
    [40, 41, 16, 0, 'constant', 4, 'overlap 0'],
    [33, 64, [8, 16], 0.5, 'gaussian', 5, 'non-square roi'],
    [9, 100, 16, 0.25, 'gaussian', 2, 'one dim smaller, one larger than the roi'],
  ])('%i×%i roi %s overlap %f %s batch %i (%s)', async (h, w, roi, overlap, mode, batchSize) => {
    const x = ramp(h, w);
    for (const [runner, k] of [
      [identity, 1],
      [double, 2],
    ] as const) {
      const { output, stats } = await slidingWindowInference(
        { data: x, channels: 1, height: h, width: w },
        predictorFromRunner(runner),
        {
          roiSize: roi,
          overlap,
          mode,
          batchSize,
        },
      );
      expect(output.height).toBe(h);
      expect(output.width).toBe(w);
      expect(output.channels).toBe(1);
      let maxErr = 0;
      for (let i = 0; i < x.length; i++)
        maxErr = Math.max(maxErr, Math.abs(output.data[i] - k * x[i]) / Math.max(1, Math.abs(k * x[i])));
      expect(maxErr).toBeLessThan(1e-6);
      expect(stats.calls).toBe(Math.ceil(stats.windows / batchSize));
    }
  });

  it.each(['constant', 'gaussian'] as const)(
    'blends with the %s importance map: Σ(pred·w)/Σw (window-mean model)',
    async (mode) => {
      // Each window predicts its own mean everywhere, so the output shows the blending weights.
      // Independent reference in float64: starts by MONAI's formula (hand-checked in windows.test.ts),
      // weights exp(−x²/(2σ²)) with σ = 0.125·16 = 2, outer product, floored at max(min, 1e-3).
      const h = 23;
      const w = 30;
      const x = ramp(h, w);
      const { output } = await slidingWindowInference(
        { data: x, channels: 1, height: h, width: w },
        predictorFromRunner(windowMean),
        {
          roiSize: 16,
          overlap: 0.5,
          mode,
        },
      );
      const ys = [0, 7];
      const xs = [0, 8, 14];
      const g = (i: number) => Math.exp(-((i - 7.5) ** 2) / (2 * 2 * 2));
      let floor = Infinity;
      for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) floor = Math.min(floor, g(i) * g(j));
      floor = Math.max(floor, 1e-3);
      const weight = (i: number, j: number) => (mode === 'constant' ? 1 : Math.max(g(i) * g(j), floor));
      const num = new Float64Array(h * w);
      const den = new Float64Array(h * w);
      for (const y0 of ys) {
        for (const x0 of xs) {
          let m = 0;
          for (let r = 0; r < 16; r++) for (let c = 0; c < 16; c++) m += x[(y0 + r) * w + x0 + c];
          m /= 256;
          for (let r = 0; r < 16; r++) {
            for (let c = 0; c < 16; c++) {
              num[(y0 + r) * w + x0 + c] += m * weight(r, c);
              den[(y0 + r) * w + x0 + c] += weight(r, c);
            }
          }
        }
      }
      let maxErr = 0;
      for (let i = 0; i < h * w; i++) maxErr = Math.max(maxErr, Math.abs(output.data[i] - num[i] / den[i]));
      expect(maxErr).toBeLessThan(1e-3);
    },
  );

  it('keeps N output channels (2x, −x)', async () => {
    const h = 21;
    const w = 30;
    const x = ramp(h, w);
    const { output } = await slidingWindowInference(
      { data: x, channels: 1, height: h, width: w },
      predictorFromRunner(double2),
      { roiSize: 8, overlap: 0.25, mode: 'gaussian' },
    );
    expect(output.channels).toBe(2);
    for (let i = 0; i < x.length; i++) {
      expect(output.data[i]).toBeCloseTo(2 * x[i], 4);
      expect(output.data[h * w + i]).toBeCloseTo(-x[i], 4);
    }
  });

  it.each([
    [37, 23, 'gaussian'],
    [5, 7, 'constant'],
  ] as const)(
    '%i×%i %s, average: false: Σ(pred·w) and Σw whose quotient is the average; the weights are reused, not mutated',
    async (h, w, mode) => {
      const x = ramp(h, w);
      const input = { data: x, channels: 1, height: h, width: w };
      const opts = { roiSize: 16, overlap: 0.5, mode };
      const avg = await slidingWindowInference(input, predictorFromRunner(double), opts);
      const sums = await slidingWindowInference(input, predictorFromRunner(double), {
        ...opts,
        average: false,
      });
      expect(avg.weights).toBeUndefined();
      const weights = sums.weights!;
      expect(weights.length).toBe(h * w);
      for (let i = 0; i < h * w; i++) {
        expect(weights[i]).toBeGreaterThan(0);
        expect(Math.fround(sums.output.data[i] / weights[i])).toBe(avg.output.data[i]);
      }
      const copy = Float32Array.from(weights);
      const again = await slidingWindowInference(input, predictorFromRunner(identity), {
        ...opts,
        average: false,
      });
      expect(Array.from(again.weights!)).toEqual(Array.from(copy));
      for (let i = 0; i < h * w; i++) expect(again.output.data[i] * 2).toBeCloseTo(sums.output.data[i], 3);
    },
  );

  it('uses the fixed batch of a fixed-shape model and pads the last batch', async () => {
    const x = ramp(30, 30);
    const { output, stats } = await slidingWindowInference(
      { data: x, channels: 1, height: 30, width: 30 },
      predictorFromRunner(fixed),
      { roiSize: 16, overlap: 0.25, batchSize: 1 },
    );
    expect(stats.windows).toBe(9); // interval 12: starts 0, 12, 14 per axis
    expect(stats.calls).toBe(3); // batches of the model's fixed 4, the last holds 1 real window
    for (let i = 0; i < x.length; i++) expect(output.data[i]).toBeCloseTo(2 * x[i], 4);
  });

  it('gives a clear error for a roi the fixed-shape model does not accept', async () => {
    await expect(
      slidingWindowInference(
        { data: ramp(30, 30), channels: 1, height: 30, width: 30 },
        predictorFromRunner(fixed),
        { roiSize: 8 },
      ),
    ).rejects.toThrow(/double_fixed_b4_16.*16×16.*Set patch_size to 16/);
  });

  it('stops between model calls when aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort(new Error('job cancelled'));
    await expect(
      slidingWindowInference(
        { data: ramp(20, 20), channels: 1, height: 20, width: 20 },
        predictorFromRunner(double),
        { roiSize: 8, signal: ctrl.signal },
      ),
    ).rejects.toThrow(/job cancelled/);
  });

  it('rejects a wrong channel count and empty frames, naming the model', async () => {
    await expect(
      slidingWindowInference(
        { data: new Float32Array(2 * 8 * 8), channels: 2, height: 8, width: 8 },
        predictorFromRunner(double),
        { roiSize: 8 },
      ),
    ).rejects.toThrow(/model 'double.onnx'.*1 channel\(s\), got 2 channel/);
    await expect(
      slidingWindowInference(
        { data: new Float32Array(0), channels: 1, height: 0, width: 8 },
        predictorFromRunner(double),
        { roiSize: 8 },
      ),
    ).rejects.toThrow(/at least 1|H, W ≥ 1/);
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, releaseAll } from '../../workers/ort';
import { FrameError, ModelOutputError } from '../errors';
import type { ModelRunner } from '../model-runner';
import { scaleFrame } from '../scaling/scalers';
import { predictorFromRunner } from '../tiling/predictor';
import { restoreFrame } from './restore';
import { segmentFrame } from './segment';

const MODELS = path.resolve(__dirname, '../../../test-support/models');
let identity: ModelRunner;
let double: ModelRunner;
let double2: ModelRunner;
let classifier: ModelRunner;
beforeAll(async () => {
  const o = { prefer: 'cpu' as const, threads: 1 };
  identity = (await loadModel(path.join(MODELS, 'identity.onnx'), o)).runner;
  double = (await loadModel(path.join(MODELS, 'double.onnx'), o)).runner;
  double2 = (await loadModel(path.join(MODELS, 'double_2ch.onnx'), o)).runner;
  classifier = (await loadModel(path.join(MODELS, 'classifier_s8.onnx'), o)).runner;
});
afterAll(() => releaseAll());

function frame(h: number, w: number): { data: Float32Array; height: number; width: number } {
  const data = new Float32Array(h * w);
  for (let i = 0; i < data.length; i++) data[i] = 1000 + 800 * Math.sin(i * 0.11) + (i % 7) * 13;
  return { data, height: h, width: w };
}

describe('restoreFrame (NAFNet adapter) with a ×2 model', () => {
  it('BF: scaled output stays normalised (rescale = false)', async () => {
    const f = frame(40, 50);
    const res = await restoreFrame(f, predictorFromRunner(double), {
      patchSize: 16,
      overlap: 0.25,
      rescale: false,
    });
    const ref = scaleFrame(f.data, 40, 50, 'range01');
    expect(res.scale).toEqual(ref.stats);
    for (let i = 0; i < f.data.length; i++) expect(res.restored.data[i]).toBeCloseTo(2 * ref.data[i], 5);
  });

  it('FL: returned to original units (rescale = true): 2·y·(ma−mi) + mi', async () => {
    const f = frame(33, 21);
    const res = await restoreFrame(f, predictorFromRunner(double), {
      patchSize: 16,
      overlap: 0.5,
      rescale: true,
      scaleMethod: 'range01',
      scalerArgs: { pmin: 5, pmax: 95 },
    });
    const ref = scaleFrame(f.data, 33, 21, 'range01', { pmin: 5, pmax: 95 });
    if (ref.stats.method !== 'range01') throw new Error('unreachable');
    const { mi, ma } = ref.stats;
    for (let i = 0; i < f.data.length; i++)
      expect(res.restored.data[i]).toBeCloseTo(2 * ref.data[i] * (ma - mi) + mi, 2);
    expect(res.timings.tiles).toBeGreaterThan(0);
  });

  it('rejects NaN/Inf pixels, empty frames and bad options with clear messages', async () => {
    const f = frame(8, 8);
    f.data[3 * 8 + 5] = Number.NaN;
    const p = predictorFromRunner(double);
    await expect(restoreFrame(f, p, { patchSize: 8, overlap: 0.25, rescale: false })).rejects.toThrow(
      /double\.onnx.*finite pixel values, got NaN at y=3, x=5/,
    );
    f.data[3 * 8 + 5] = Infinity;
    await expect(restoreFrame(f, p, { patchSize: 8, overlap: 0.25, rescale: false })).rejects.toThrow(
      FrameError,
    );
    await expect(
      restoreFrame({ data: new Float32Array(0), height: 0, width: 0 }, p, {
        patchSize: 8,
        overlap: 0.25,
        rescale: false,
      }),
    ).rejects.toThrow(/at least 1×1.*got 0×0/);
    await expect(restoreFrame(frame(8, 8), p, { patchSize: 8, overlap: 1, rescale: false })).rejects.toThrow(
      /overlap_ratio.*\[0, 1\)/,
    );
  });

  it('refuses a restorer with more than one output channel', async () => {
    await expect(
      restoreFrame(frame(8, 8), predictorFromRunner(double2), {
        patchSize: 8,
        overlap: 0.25,
        rescale: false,
      }),
    ).rejects.toThrow(/double_2ch.*1 channel \(NAFNet img_channel = 1\), got 2 channels/);
  });

  it('a model whose output shape is not an image gives a clear error', () => {
    expect(() => predictorFromRunner(classifier, { channels: 2 })).toThrow(
      /classifier_s8.*1 channel\(s\) as declared.*got 2/,
    );
    return expect(
      restoreFrame(frame(8, 8), predictorFromRunner(classifier), {
        patchSize: 8,
        overlap: 0.25,
        rescale: false,
      }),
    ).rejects.toThrow(ModelOutputError);
  });
});

describe('segmentFrame (U-Net adapter) with an identity model', () => {
  it('sigmoid after blending, > 0.5, 4-connected, min size 20, raster order', async () => {
    const H = 30;
    const W = 40;
    const data = new Float32Array(H * W).fill(-5);
    const box = (x: number, y: number, w: number, h: number) => {
      for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) data[r * W + c] = 5;
    };
    box(20, 2, 5, 5); // 25 px, first in raster order → 1
    box(2, 10, 4, 4); // 16 px → dropped
    box(10, 15, 5, 5); // 25 px → 2
    box(15, 20, 5, 5); // touches the previous one only diagonally → separate object 3
    const res = await segmentFrame({ data, height: H, width: W }, predictorFromRunner(identity), {
      patchSize: 16,
      overlap: 0.25,
    });
    expect(res.count).toBe(3);
    expect(res.labels[2 * W + 20]).toBe(1);
    expect(res.labels[10 * W + 2]).toBe(0);
    expect(res.labels[15 * W + 10]).toBe(2);
    expect(res.labels[20 * W + 15]).toBe(3);
    expect(Array.from(res.areas)).toEqual([0, 25, 25, 25]);
    expect(res.probability!.data[0]).toBeCloseTo(1 / (1 + Math.exp(5)), 6);
    // Without the probability map the mask comes from the logits: identical objects, even for logits
    // so close to 0 that float32(sigmoid) rounds to exactly 0.5 (not > 0.5).
    const edge = Float32Array.from(data);
    for (let i = 0; i < edge.length; i += 7) edge[i] = [1e-9, -1e-9, 5e-8, 2e-7, 0][i % 5];
    const withProb = await segmentFrame({ data: edge, height: H, width: W }, predictorFromRunner(identity), {
      patchSize: 16,
      overlap: 0.25,
      minSize: 1,
    });
    const noProb = await segmentFrame({ data: edge, height: H, width: W }, predictorFromRunner(identity), {
      patchSize: 16,
      overlap: 0.25,
      minSize: 1,
      probability: false,
    });
    expect(noProb.probability).toBeUndefined();
    expect(noProb.count).toBe(withProb.count);
    expect(Array.from(noProb.labels)).toEqual(Array.from(withProb.labels));
    const eight = await segmentFrame({ data, height: H, width: W }, predictorFromRunner(identity), {
      patchSize: 16,
      overlap: 0.25,
      connectivity: 8,
      minSize: 1,
    });
    expect(eight.count).toBe(3); // diagonal pair joined, the 16 px blob kept
  });

  it('refuses a model with more than one output channel', async () => {
    await expect(
      segmentFrame(frame(10, 10), predictorFromRunner(double2), { patchSize: 8, overlap: 0.25 }),
    ).rejects.toThrow(/double_2ch.*1 channel \(out_channels = 1\), got 2 channels/);
  });
});

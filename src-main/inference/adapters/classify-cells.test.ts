import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, releaseAll } from '../../workers/ort';
import type { ModelRunner } from '../model-runner';
import { classifyCells } from './classify-cells';
import { objectBoxes, prepareRoi, resizedSize } from './roi-crops';
import { resizeBilinear } from './resize';

const MODELS = path.resolve(__dirname, '../../../test-support/models');

describe('roi crops (dynamic_resize_roi)', () => {
  it('3×5 object into S=2: int() sizes 1×2, bilinear align_corners=False, centred pad (top = 1//2 = 0)', () => {
    // a[y,x] = (5y + x)·1.5 + 0.25; torch F.interpolate(a, size=(1,2), bilinear, align_corners=False)
    // = [[8.875, 12.625]]: src_y = 3·0.5−0.5 = 1; src_x = 2.5·0.5−0.5 = 0.75 and 2.5·1.5−0.5 = 3.25,
    // so 0.25·a[1,0] + 0.75·a[1,1] and 0.75·a[1,3] + 0.25·a[1,4].
    const H = 3;
    const W = 5;
    const img = new Float32Array(H * W).map((_, i) => i * 1.5 + 0.25);
    const lab = new Uint16Array(H * W).fill(1);
    expect(resizedSize(3, 5, 2)).toEqual([1, 2]);
    const boxes = objectBoxes(lab, H, W);
    const dst = new Float32Array(4).fill(99);
    prepareRoi(lab, img, W, boxes, 0, 2, dst, 0, new Float32Array(15));
    expect(Array.from(dst)).toEqual([8.875, 12.625, 0, 0]);
  });

  it('20×13 into S=8 matches torch (sizes 8×5, first/last rows)', () => {
    const src = new Float32Array(20 * 13).map((_, i) => i);
    expect(resizedSize(20, 13, 8)).toEqual([8, 5]);
    const out = new Float32Array(40);
    resizeBilinear(src, 0, 20, 13, 8, 5, out, 0, 5);
    const torchRow0 = [10.55, 13.15, 15.75, 18.35, 20.95]; // torch float32 values, rounded
    const torchRow7 = [238.05, 240.65, 243.25, 245.85, 248.45];
    for (let x = 0; x < 5; x++) {
      expect(out[x]).toBeCloseTo(torchRow0[x], 4);
      expect(out[35 + x]).toBeCloseTo(torchRow7[x], 4);
    }
  });

  it('masks other labels to 0 inside the box and pads small crops centred', () => {
    // 4×4 frame, label 2 is an L shape whose box also covers a label-1 pixel.
    const W = 4;
    const lab = new Uint8Array([0, 0, 0, 0, 0, 2, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0]);
    const img = new Float32Array(16).map((_, i) => i + 1);
    const boxes = objectBoxes(lab, 4, 4);
    expect(Array.from(boxes.labels)).toEqual([1, 2]);
    expect([boxes.y0[1], boxes.x0[1], boxes.y1[1], boxes.x1[1]]).toEqual([1, 1, 3, 3]);
    const dst = new Float32Array(25);
    prepareRoi(lab, img, W, boxes, 1, 5, dst, 0, new Float32Array(4));
    // 2×2 crop [[6, 0],[10, 11]] at top = (5−2)//2 = 1, left = 1
    const expected = new Float32Array(25);
    expected[6] = 6;
    expected[7] = 0;
    expected[11] = 10;
    expected[12] = 11;
    expect(Array.from(dst)).toEqual(Array.from(expected));
  });
});

describe('classifyCells with a real ONNX classifier (logits = [Σ top half, Σ bottom half, 0])', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = (await loadModel(path.join(MODELS, 'classifier_s8.onnx'), { prefer: 'cpu', threads: 1 })).runner;
  });
  afterAll(() => releaseAll());

  it('classifies per label with softmax confidence and class names', async () => {
    const H = 30;
    const W = 30;
    const lab = new Uint16Array(H * W);
    const img = new Float32Array(H * W);
    // label 1: 3×2 block of 1.0 at (2,2): canvas rows 2..4 → top Σ 4, bottom Σ 2 → class 0.
    for (let y = 2; y < 5; y++) for (let x = 2; x < 4; x++) [lab[y * W + x], img[y * W + x]] = [1, 1];
    // label 2: 4×2 block at (10,10), rows valued 0,0,1,1 → canvas rows 2..5 → top 0, bottom 4 → class 1.
    for (let y = 10; y < 14; y++)
      for (let x = 10; x < 12; x++) [lab[y * W + x], img[y * W + x]] = [2, y >= 12 ? 1 : 0];
    // label 5 (3, 4 absent): 2×2 block of −1 → top −2, bottom −2 → class 2 ('Unknown_Class_2').
    for (let y = 20; y < 22; y++) for (let x = 20; x < 22; x++) [lab[y * W + x], img[y * W + x]] = [5, -1];
    const res = await classifyCells(lab, img, H, W, runner, {
      batchSize: 2,
      classes: { 0: 'single-cell', '1': 'clump' },
      keepCrops: true,
    });
    expect(Array.from(res.labels)).toEqual([1, 2, 5]);
    expect(Array.from(res.classIndex)).toEqual([0, 1, 2]);
    expect(res.className).toEqual(['single-cell', 'clump', 'Unknown_Class_2']);
    const softmax = (l: number[]) => {
      const e = l.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    const p0 = softmax([4, 2, 0]);
    expect(res.confidence[0]).toBeCloseTo(p0[0], 6);
    expect(Array.from(res.probabilities.subarray(0, 3)).map((v) => +v.toFixed(6))).toEqual(
      p0.map((v) => +v.toFixed(6)),
    );
    expect(res.confidence[2]).toBeCloseTo(softmax([-2, -2, 0])[2], 6);
    expect(res.crops?.length).toBe(3 * 64);
    // Default batch: one chunk of 3 padded to 4 zero crops; same results.
    const whole = await classifyCells(lab, img, H, W, runner, {
      classes: { 0: 'single-cell', '1': 'clump' },
    });
    expect(Array.from(whole.confidence)).toEqual(Array.from(res.confidence));
    expect(whole.className).toEqual(res.className);
  });

  it('returns an empty result for a frame without objects', async () => {
    const res = await classifyCells(new Uint16Array(100), new Float32Array(100), 10, 10, runner);
    expect(res.labels.length).toBe(0);
    expect(res.className).toEqual([]);
  });

  it('rejects mismatched shapes and a crop size the model does not take', async () => {
    await expect(classifyCells(new Uint16Array(100), new Float32Array(99), 10, 10, runner)).rejects.toThrow(
      /same shape/,
    );
    await expect(
      classifyCells(new Uint16Array([1]), new Float32Array([1]), 1, 1, runner, { size: 16 }),
    ).rejects.toThrow(/classifier_s8.*8×8.*min_size 16/);
  });
});

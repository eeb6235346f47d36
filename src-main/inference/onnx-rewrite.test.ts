import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnnxGraph } from '../io';
import { loadModel, release, releaseAll } from '../workers/ort';
import { rewriteOnnxModel } from './onnx-rewrite';

const MODELS = path.resolve(__dirname, '../../test-support/models');
const SEGMENTER = path.resolve(__dirname, '../../models/demo-collection/models/MonaiUnet-segmentation.onnx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-rewrite-'));
afterAll(async () => {
  await releaseAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const f = Math.fround;
const prelu = (x: number, s: number) => (x < 0 ? f(x * s) : x);

/** Runs a model file with and without the rewrite on the same input; returns both outputs. */
async function bothWays(file: string, data: Float32Array, dims: number[]) {
  // The session cache is keyed by path: the unrewritten session gets its own copy of the file.
  const plain = path.join(tmp, `plain-${path.basename(file)}`);
  fs.copyFileSync(file, plain);
  const rewritten = await loadModel(file, { threads: 1, prefer: 'cpu' });
  const original = await loadModel(plain, { threads: 1, prefer: 'cpu', rewrite: false });
  const feed = { [rewritten.runner.inputs[0].name]: { data, dims } };
  const out = rewritten.runner.outputs[0].name;
  const a = (await rewritten.runner.run(feed, [out]))[out].data as Float32Array;
  const b = (await original.runner.run(feed, [out]))[out].data as Float32Array;
  await release(plain);
  return { rewritten, original, a, b };
}

describe('exact ONNX graph rewrites', () => {
  it('turns single-slope PRelu into LeakyRelu, keeps per-channel PRelu and slopes still read elsewhere', async () => {
    const file = path.join(MODELS, 'prelu_mixed.onnx');
    const bytes = fs.readFileSync(file);
    const res = rewriteOnnxModel(bytes);
    expect(res.applied).toEqual(['3 single-slope PRelu → LeakyRelu']);
    const text = Buffer.from(res.bytes).toString('latin1');
    expect(text).toContain('LeakyRelu');
    expect(text).not.toContain('s_shared'); // read by the two rewritten nodes only: dropped
    expect(text).toContain('s_kept'); // also read by the Mul: kept
    expect(text).toContain('s_channel'); // the per-channel PRelu stays a PRelu
    const before = readOnnxGraph(bytes);
    const after = readOnnxGraph(res.bytes);
    expect(after.inputs).toEqual(before.inputs);
    expect(after.outputs).toEqual(before.outputs);
    expect(after.opsets).toEqual(before.opsets);

    const H = 3;
    const W = 5;
    const x = new Float32Array(2 * H * W);
    for (let i = 0; i < x.length; i++) x[i] = f(Math.sin(i * 1.7) * 3 + (i % 4 === 0 ? 0 : 0.1));
    const { rewritten, a, b } = await bothWays(file, x, [1, 2, H, W]);
    expect(rewritten.rewrites).toEqual(['3 single-slope PRelu → LeakyRelu']);
    for (let i = 0; i < x.length; i++) {
      const c = i < H * W ? 0.5 : -2;
      const expected = f(prelu(prelu(prelu(-prelu(x[i], 0.25), 0.25), c), 0.125) * 0.125);
      expect(a[i]).toBe(expected);
      expect(b[i]).toBe(expected);
    }
  });

  it("gives the demo segmentation U-Net's logits to the bit on a real-sized window", async () => {
    const x = new Float32Array(2 * 256 * 256);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 + 0.45 * Math.sin(i * 0.013) * Math.cos(i * 0.00071);
    const { rewritten, original, a, b } = await bothWays(SEGMENTER, x, [2, 1, 256, 256]);
    expect(rewritten.rewrites).toEqual(['4 single-slope PRelu → LeakyRelu']);
    expect(original.rewrites).toEqual([]);
    expect(a.length).toBe(b.length);
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    expect(differing).toBe(0);
  });

  it('leaves models without PRelu and bytes that are not ONNX untouched', () => {
    const double = fs.readFileSync(path.join(MODELS, 'double.onnx'));
    expect(rewriteOnnxModel(double)).toEqual({ bytes: double, applied: [] });
    const junk = fs.readFileSync(path.join(MODELS, 'not-a-model.onnx'));
    expect(rewriteOnnxModel(junk)).toEqual({ bytes: junk, applied: [] });
    const truncated = fs.readFileSync(path.join(MODELS, 'prelu_mixed.onnx')).subarray(0, 200);
    expect(rewriteOnnxModel(truncated).applied).toEqual([]);
  });
});

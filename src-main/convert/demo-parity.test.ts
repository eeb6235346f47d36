/**
 * The demo collection's PyTorch weights (models/demo-collection/models/*.pth) converted here and run
 * by onnxruntime-node against the ONNX files torch 1.13 exported from the same weights: on the
 * collection's test tensors and on a larger input. Restorers: max |Δ| ≤ 1e-4; segmentation:
 * identical labels (sigmoid > 0.5, i.e. logit > 0); classifier: identical argmax classes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test-support/random';
import { readNpyFloat32 } from '../io';
import type { ModelRunner } from '../inference';
import { loadModel, releaseAll } from '../workers/ort';
import { convertTorchModel } from '.';
import { argmaxRows, initializerNames, maxAbs, maxAbsDiff, tempModelDir } from './testing';

const COL = path.resolve(__dirname, '../../models/demo-collection');
const MODELS = [
  { key: 'bf_focus', stem: 'NAFNet-bf_focus_restoration', arch: 'NAFNet' },
  { key: 'fl_focus', stem: 'NAFNet-fl_focus_restoration', arch: 'NAFNet' },
  { key: 'segmentation', stem: 'MonaiUnet-segmentation', arch: 'MonaiUnet' },
  { key: 'cell_classifier', stem: 'FlexResNet-cell_classifier', arch: 'FlexResNet' },
] as const;
type Key = (typeof MODELS)[number]['key'];

const present = MODELS.every((m) =>
  ['models/%.pth', 'models/%.onnx', 'metadata/%.json'].every((f) =>
    fs.existsSync(path.join(COL, f.replace('%', m.stem))),
  ),
);
if (!present) console.warn(`SKIPPED converter demo parity: the demo collection in ${COL} is incomplete`);

/** Uniform [0, 1) values, the range of the restored and scaled frames the models see. */
function frame(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rand());
}

describe.skipIf(!present)('demo collection: converted .pth = torch-exported .onnx', () => {
  const tmp = tempModelDir();
  const ours: Partial<Record<Key, ModelRunner>> = {};
  const torch: Partial<Record<Key, ModelRunner>> = {};
  const converted: Partial<Record<Key, { onnx: Uint8Array; tensors: number; warnings: string[] }>> = {};

  beforeAll(async () => {
    for (const m of MODELS) {
      const meta = JSON.parse(fs.readFileSync(path.join(COL, 'metadata', `${m.stem}.json`), 'utf8'));
      const res = await convertTorchModel({
        checkpoint: fs.readFileSync(path.join(COL, 'models', `${m.stem}.pth`)),
        architecture: m.arch,
        modelArgs: meta.model_args,
        key: m.key,
        file: `models/${m.stem}.pth`,
      });
      converted[m.key] = res;
      const file = path.join(tmp, `${m.stem}.onnx`);
      fs.writeFileSync(file, res.onnx);
      ours[m.key] = (await loadModel(file, { prefer: 'cpu', threads: 1, key: m.key })).runner;
      torch[m.key] = (
        await loadModel(path.join(COL, 'models', `${m.stem}.onnx`), { prefer: 'cpu', threads: 1, key: m.key })
      ).runner;
    }
  });
  afterAll(async () => {
    await releaseAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const run = async (r: ModelRunner | undefined, data: Float32Array, dims: number[]) =>
    (await (r as ModelRunner).run({ input: { data, dims } })).output;

  const testTensor = (key: Key) => ({
    input: readNpyFloat32(fs.readFileSync(path.join(COL, 'tests', `${key}_input.npy`))),
    output: readNpyFloat32(fs.readFileSync(path.join(COL, 'tests', `${key}_output.npy`))),
  });

  it('uses every tensor of each state_dict, under its own name, with no warning', () => {
    for (const m of MODELS) {
      const res = converted[m.key];
      expect(res?.warnings).toEqual([]);
      const names = new Set(initializerNames(res?.onnx ?? new Uint8Array()));
      expect(res?.tensors).toBeGreaterThan(10);
      // The ONNX exports name their initializers after the same keys (PReLU slopes and norm
      // weights aside, which torch re-creates under onnx:: names).
      expect(
        names.has(
          m.arch === 'NAFNet'
            ? 'intro.weight'
            : m.arch === 'MonaiUnet'
              ? 'model.0.conv.weight'
              : 'classifier.0.weight',
        ),
      ).toBe(true);
    }
  });

  it.each(['bf_focus', 'fl_focus'] as const)(
    '%s: test tensor, 1×1×100×140 and 2×1×101×142 inputs within 1e-4',
    async (key) => {
      const t = testTensor(key);
      const a = await run(ours[key], t.input.data, t.input.shape);
      const b = await run(torch[key], t.input.data, t.input.shape);
      expect(maxAbsDiff(a.data as Float32Array, b.data as Float32Array)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(a.data as Float32Array, t.output.data)).toBeLessThanOrEqual(1e-4);
      // The demo NAFNet has 2 levels, so H and W pad to multiples of 4: 100×140 needs none, 101×142
      // pads both axes and crops back.
      for (const dims of [
        [1, 1, 100, 140],
        [2, 1, 101, 142],
      ]) {
        const x = frame(dims[0] * dims[2] * dims[3], dims[3]);
        const big = await run(ours[key], x, dims);
        const ref = await run(torch[key], x, dims);
        expect([...big.dims]).toEqual(dims);
        expect(maxAbsDiff(big.data as Float32Array, ref.data as Float32Array)).toBeLessThanOrEqual(1e-4);
        expect(maxAbs(ref.data as Float32Array)).toBeGreaterThan(0.1);
      }
    },
  );

  it('segmentation: identical labels (logit > 0) on the test tensor and a 1×1×100×140 input', async () => {
    const t = testTensor('segmentation');
    for (const [x, dims] of [
      [t.input.data, t.input.shape],
      [frame(100 * 140, 11), [1, 1, 100, 140]],
    ] as const) {
      const a = (await run(ours.segmentation, x, [...dims])).data as Float32Array;
      const b = (await run(torch.segmentation, x, [...dims])).data as Float32Array;
      const flipped = a.reduce((n, v, i) => n + (v > 0 !== b[i] > 0 ? 1 : 0), 0);
      expect(flipped).toBe(0);
      expect(b.some((v) => v > 0) && b.some((v) => v <= 0)).toBe(true);
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-4 * maxAbs(b));
    }
    const a = (await run(ours.segmentation, t.input.data, t.input.shape)).data as Float32Array;
    expect(a.reduce((n, v, i) => n + (v > 0 !== t.output.data[i] > 0 ? 1 : 0), 0)).toBe(0);
  });

  it('cell_classifier: identical classes on the test crops and a batch of 64', async () => {
    const t = testTensor('cell_classifier');
    const a = await run(ours.cell_classifier, t.input.data, t.input.shape);
    const b = await run(torch.cell_classifier, t.input.data, t.input.shape);
    expect(argmaxRows(a.data as Float32Array, 5)).toEqual(argmaxRows(b.data as Float32Array, 5));
    expect(argmaxRows(a.data as Float32Array, 5)).toEqual(argmaxRows(t.output.data, 5));
    // Masked-crop-like input: zeros around a bright blob of random size.
    const x = new Float32Array(64 * 32 * 32);
    const rand = mulberry32(3);
    for (let n = 0; n < 64; n++) {
      const r = 3 + rand() * 10;
      const level = 0.2 + rand() * 0.8;
      for (let i = 0; i < 32; i++)
        for (let j = 0; j < 32; j++)
          if ((i - 15.5) ** 2 + ((j - 15.5) * (0.5 + rand())) ** 2 < r * r)
            x[n * 1024 + i * 32 + j] = level * (0.8 + 0.4 * rand());
    }
    const big = await run(ours.cell_classifier, x, [64, 1, 32, 32]);
    const ref = await run(torch.cell_classifier, x, [64, 1, 32, 32]);
    expect(argmaxRows(big.data as Float32Array, 5)).toEqual(argmaxRows(ref.data as Float32Array, 5));
    expect(maxAbsDiff(big.data as Float32Array, ref.data as Float32Array)).toBeLessThanOrEqual(1e-4);
    expect(new Set(argmaxRows(ref.data as Float32Array, 5)).size).toBeGreaterThan(1);
  });

  it('cell_classifier with a fixed crop size (cropSize 32, as the demo config crops): identical classes', async () => {
    const meta = JSON.parse(
      fs.readFileSync(path.join(COL, 'metadata', 'FlexResNet-cell_classifier.json'), 'utf8'),
    );
    const pth = fs.readFileSync(path.join(COL, 'models', 'FlexResNet-cell_classifier.pth'));
    const res = await convertTorchModel({
      checkpoint: pth,
      architecture: 'FlexResNet',
      modelArgs: meta.model_args,
      cropSize: 32,
    });
    const file = path.join(tmp, 'classifier-32.onnx');
    fs.writeFileSync(file, res.onnx);
    const fixed = (await loadModel(file, { prefer: 'cpu', threads: 1, key: 'cell_classifier' })).runner;
    expect(fixed.inputs[0].shape).toEqual(['N', 1, 32, 32]);
    const t = testTensor('cell_classifier');
    const a = await run(fixed, t.input.data, t.input.shape);
    const b = await run(torch.cell_classifier, t.input.data, t.input.shape);
    expect(maxAbsDiff(a.data as Float32Array, b.data as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(argmaxRows(a.data as Float32Array, 5)).toEqual(argmaxRows(t.output.data, 5));
  });

  it('cell_classifier: a crop smaller than min_size is zero-padded as FlexResNet.forward does', async () => {
    // The torch export is fixed at 32×32; padding the crop ourselves must give what the converted
    // model does with the small crop.
    const small = frame(2 * 20 * 25, 5);
    const padded = new Float32Array(2 * 32 * 32);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 20; i++)
        padded.set(small.subarray(n * 500 + i * 25, n * 500 + i * 25 + 25), n * 1024 + i * 32);
    const a = await run(ours.cell_classifier, small, [2, 1, 20, 25]);
    const b = await run(torch.cell_classifier, padded, [2, 1, 32, 32]);
    expect(maxAbsDiff(a.data as Float32Array, b.data as Float32Array)).toBeLessThanOrEqual(1e-5);
  });
});

/**
 * The converter on every case of test-support/converter (scripts/make-converter-fixtures.py: random
 * weights, PyTorch 1.13 forward outputs): each converted model, run by onnxruntime-node, reproduces
 * the PyTorch output to 1e-5 of its largest value (measured: about 1e-7); each broken
 * checkpoint is refused naming its tensor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpyFloat32, readTorchCheckpoint } from '../io';
import { loadModel, releaseAll } from '../workers/ort';
import { ConversionError, convertTorchModel } from '.';
import { initializerNames, maxAbs, maxAbsDiff, tempModelDir } from './testing';

const DIR = path.resolve(__dirname, '../../test-support/converter');
interface Case {
  name: string;
  architecture: string;
  note: string;
  input?: number[];
  refused?: boolean;
  /** The case whose metadata, input and output this checkpoint shares (same values, other bytes). */
  same_as?: string;
  tensor?: string;
  model_args?: Record<string, unknown>;
}
const cases = (JSON.parse(fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;
const read = (f: string): Buffer => fs.readFileSync(path.join(DIR, f));
const npy = (f: string) => readNpyFloat32(read(f), f);
const modelArgs = (name: string): Record<string, unknown> =>
  JSON.parse(read(`${name}.json`).toString()).model_args;

const tmp = tempModelDir();
afterAll(async () => {
  await releaseAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('converted fixtures reproduce PyTorch', () => {
  it('covers the architectures and options the brief names', () => {
    const names = cases.map((c) => c.name);
    for (const n of ['nafnet_l0', 'nafnet_l2', 'nafnet_l3', 'unet_r0_l3', 'unet_r2_l4', 'unet_k5_up3_nobias'])
      expect(names).toContain(n);
    expect(names.filter((n) => n.startsWith('flex_')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.filter((c) => !c.refused).map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const pth = read(`${name}.pth`);
    const res = await convertTorchModel({
      checkpoint: pth,
      architecture: c.architecture,
      modelArgs: modelArgs(c.same_as ?? name),
      key: name,
      file: `${name}.pth`,
    });
    expect(res.opset).toBe(17);
    // Every state_dict tensor is an initializer under its own key, or a part of one folded into a
    // conv (`encoders.0.0.conv3.weight*encoders.0.0.beta`); num_batches_tracked is never read.
    const parts = new Set(initializerNames(res.onnx).flatMap((n) => n.split(/[*+]/)));
    const keys = (await readTorchCheckpoint(pth)).tensors.map((t) => t.name);
    expect(keys.filter((k) => !k.endsWith('num_batches_tracked') && !parts.has(k))).toEqual([]);
    expect(res.tensors).toBe(keys.length);

    const file = path.join(tmp, `${name}.onnx`);
    fs.writeFileSync(file, res.onnx);
    const { runner } = await loadModel(file, { prefer: 'cpu', threads: 1, key: name });
    const x = npy(`${c.same_as ?? name}_input.npy`);
    const ref = npy(`${c.same_as ?? name}_output.npy`);
    const out = (await runner.run({ input: { data: x.data, dims: x.shape } })).output;
    expect([...out.dims]).toEqual(ref.shape);
    const diff = maxAbsDiff(out.data as Float32Array, ref.data);
    expect(diff, `${c.note}: max |ONNX − PyTorch| ${diff}`).toBeLessThanOrEqual(1e-5 * maxAbs(ref.data));
  });
});

describe('broken checkpoints are refused naming the tensor', () => {
  it.each(cases.filter((c) => c.refused).map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const err = await convertTorchModel({
      checkpoint: read(`${name}.pth`),
      architecture: c.architecture,
      modelArgs: c.model_args ?? {},
      file: `${name}.pth`,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConversionError);
    const e = err as ConversionError;
    expect(e.tensor).toBe(c.tensor);
    expect(e.file).toBe(`${name}.pth`);
    expect(e.message).toContain(c.tensor);
    expect(e.message).toContain(`${name}.pth`);
    expect(e.fix.length).toBeGreaterThan(20);
  });

  it('the wrong shape says the expected and the found shape', async () => {
    const c = cases.find((k) => k.name === 'nafnet_l2_wrong_shape') as Case;
    const e = (await convertTorchModel({
      checkpoint: read('nafnet_l2_wrong_shape.pth'),
      architecture: 'NAFNet',
      modelArgs: c.model_args ?? {},
    }).catch((x: unknown) => x)) as ConversionError;
    expect([e.expected, e.actual]).toEqual(['(16)', '(17)']);
    expect(e.message).toMatch(
      /encoders\.1\.0\.conv2\.bias has shape \(17\) in the checkpoint, model_args imply \(16\)/,
    );
  });

  it('the missing and the extra tensor say absent on their side', async () => {
    const args = (cases.find((k) => k.name === 'nafnet_l2_missing') as Case).model_args ?? {};
    const missing = (await convertTorchModel({
      checkpoint: read('nafnet_l2_missing.pth'),
      architecture: 'nafnet',
      modelArgs: args,
    }).catch((x: unknown) => x)) as ConversionError;
    expect([missing.expected, missing.actual]).toEqual(['(8)', 'absent']);
    const extra = (await convertTorchModel({
      checkpoint: read('nafnet_l2_extra.pth'),
      architecture: 'NAFNet',
      modelArgs: args,
    }).catch((x: unknown) => x)) as ConversionError;
    expect([extra.expected, extra.actual]).toEqual(['absent', '(1,16,1,1)']);
  });
});

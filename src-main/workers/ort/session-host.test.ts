import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelInputError, ModelOutputError } from '../../inference';
import { fromHalf, toHalf } from './float16';
import { bindingDir, cudaProviderInstalled, providerOrder } from './providers';
import { cachedModels, loadModel, release, releaseAll } from './session-host';

const MODELS = path.resolve(__dirname, '../../../test-support/models');
const cpu = { prefer: 'cpu' as const, threads: 1 };
afterAll(() => releaseAll());

describe('ORT session host', () => {
  it('wraps a session as a ModelRunner with specs and custom metadata', async () => {
    const m = await loadModel(path.join(MODELS, 'pi_plain.onnx'), cpu);
    expect(m.provider).toBe('cpu');
    expect(m.runner.key).toBe('pi_plain.onnx');
    expect(m.runner.inputs).toEqual([{ name: 'features', isTensor: true, type: 'float32', shape: ['N', 3] }]);
    expect(m.runner.metadata.feature_names).toBe('area,mean_intensity,rel_mean_intensity');
    const res = await m.runner.run({
      features: { data: new Float32Array([1, 120, 1, 1, 80, 1]), dims: [2, 3] },
    });
    expect(Array.from(res.output_label.data as BigInt64Array)).toEqual([1n, 0n]);
    expect(res.output_probability.dims).toEqual([2, 2]);
  });

  it('caches one session per model path and releases it', async () => {
    const file = path.join(MODELS, 'double.onnx');
    const a = await loadModel(file, cpu);
    const b = await loadModel(path.join(MODELS, '..', 'models', 'double.onnx'), cpu);
    expect(b).toBe(a);
    expect(cachedModels()).toContain(path.resolve(file));
    await release(file);
    expect(cachedModels()).not.toContain(path.resolve(file));
    const c = await loadModel(file, cpu);
    expect(c).not.toBe(a);
  });

  it('falls back to CPU with a visible warning when a provider cannot be created', async () => {
    const warnings: string[] = [];
    const file = path.join(MODELS, 'identity.onnx');
    await release(file);
    const m = await loadModel(file, {
      providers: ['cuda'],
      threads: 1,
      allowSpinning: false,
      onWarning: (w) => warnings.push(w),
    });
    expect(m.provider).toBe('cpu');
    expect(m.warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /model 'identity.onnx': execution provider 'cuda' could not be used.*falling back/,
    );
    const out = await m.runner.run({ input: { data: new Float32Array([3]), dims: [1, 1, 1, 1] } });
    expect(Array.from(out.output.data as Float32Array)).toEqual([3]);
  });

  it('orders providers for the platform and always ends with CPU', () => {
    const order = providerOrder();
    expect(order[order.length - 1]).toBe('cpu');
    if (process.platform === 'linux') expect(order.filter((p) => p !== 'cuda' && p !== 'cpu')).toEqual([]);
    expect(providerOrder('cpu')).toEqual(['cpu']);
  });

  it('looks for the CUDA provider library next to the binding', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-ort-bin-'));
    expect(cudaProviderInstalled(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'libonnxruntime_providers_cuda.so'), '');
    expect(cudaProviderInstalled(dir)).toBe(true);
    expect(fs.existsSync(path.join(bindingDir(), 'onnxruntime_binding.node'))).toBe(true);
  });

  it('rejects a non-ONNX file and a missing file, naming the file', async () => {
    const bad = path.join(MODELS, 'not-a-model.onnx');
    await expect(loadModel(bad, cpu)).rejects.toThrow(
      new RegExp(`Cannot load model '${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'.*not an ONNX model`),
    );
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-ort-')), 'empty.onnx');
    fs.writeFileSync(empty, '');
    await expect(loadModel(empty, cpu)).rejects.toThrow(/empty\.onnx.*empty/);
    await expect(loadModel('/nonexistent/model.onnx', cpu)).rejects.toThrow(/model\.onnx.*does not exist/);
  });

  it('validates rank and channel count against the input metadata', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'double_fixed_b4_16.onnx'), cpu);
    const feed = (dims: number[]) =>
      runner.run({ input: { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims } });
    await expect(feed([4, 2, 16, 16])).rejects.toThrow(ModelInputError);
    await expect(feed([4, 2, 16, 16])).rejects.toThrow(
      /model 'double_fixed_b4_16.onnx', input 'input'.*channel count 1 \[4, 1, 16, 16\], got 2/,
    );
    await expect(feed([4, 16, 16])).rejects.toThrow(/rank 4.*got rank 3/);
    await expect(runner.run({ wrong: { data: new Float32Array(1), dims: [1] } })).rejects.toThrow(
      /input 'input'.*Feed every input/,
    );
  });

  it('refuses to fetch a non-tensor (ZipMap) output, naming it', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_zipmap.onnx'), cpu);
    expect(runner.outputs.map((o) => o.isTensor)).toEqual([true, false]);
    const feeds = { features: { data: new Float32Array([1, 150, 2]), dims: [1, 3] } };
    await expect(runner.run(feeds, ['output_probability'])).rejects.toThrow(ModelOutputError);
    const res = await runner.run(feeds);
    expect(Object.keys(res)).toEqual(['output_label']);
  });

  it('feeds and reads float16 models through float32 arrays', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'double_fp16.onnx'), cpu);
    expect(runner.inputs[0].type).toBe('float16');
    const res = await runner.run({
      input: { data: new Float32Array([1.5, -3, 0.1, 1000]), dims: [1, 1, 2, 2] },
    });
    expect(res.output.type).toBe('float16');
    expect(res.output.data).toBeInstanceOf(Float32Array);
    const got = Array.from(res.output.data as Float32Array);
    [3, -6, 0.2, 2000].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 3));
  });

  it('converts float16 both ways', () => {
    for (const v of [0, 1, -2.5, 65504, 1e-5, 0.333251953125]) expect(fromHalf(toHalf(v))).toBeCloseTo(v, 4);
    expect(toHalf(1)).toBe(0x3c00);
    expect(fromHalf(0x7c00)).toBe(Infinity);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelPlan } from '../../collections';
import { WHY_CPU, WHY_FEATURE_TABLE } from '../../inference';
import { loadJobModel } from '../models';
import { loadModel, loadStageModel, releaseAll, releaseAllPools } from '.';

/**
 * `half_precision` in the session host: what runs on which provider, and what it says. No GPU here:
 * the GPU path (fp16 graph on cuda/dml/coreml) is the one `halfPrecisionOnCpu` forces on the CPU, and
 * an unusable CUDA provider shows the fallback.
 */
const ROOT = path.resolve(__dirname, '../../..');
const MODELS = path.join(ROOT, 'test-support/models');
const DEMO = path.join(ROOT, 'models/demo-collection/models');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-fp16-'));
afterAll(async () => {
  await releaseAllPools();
  await releaseAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('half precision in the session host', () => {
  it('runs fp32 on the CPU provider and says why; the fp32 graph gets its exact rewrites', async () => {
    const m = await loadModel(path.join(DEMO, 'MonaiUnet-segmentation.onnx'), {
      prefer: 'cpu',
      threads: 1,
      halfPrecision: true,
    });
    expect(m.precision).toEqual({ requested: 'fp16', used: 'fp32', why: WHY_CPU });
    expect(m.rewrites).toEqual(['4 single-slope PRelu → LeakyRelu']);
    expect(m.runner.inputs[0].type).toBe('float32');
  });

  it('falls back from an unusable CUDA provider to fp32 on the CPU', async () => {
    const warnings: string[] = [];
    const m = await loadModel(path.join(MODELS, 'double.onnx'), {
      providers: ['cuda'],
      threads: 1,
      halfPrecision: true,
      onWarning: (w) => warnings.push(w),
    });
    expect(m.provider).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(m.precision).toEqual({ requested: 'fp16', used: 'fp32', why: WHY_CPU });
  });

  it('runs the fp16 graph it made where fp16 is asked (forced on the CPU here), cached apart from fp32', async () => {
    const file = path.join(DEMO, 'MonaiUnet-segmentation.onnx');
    const half = await loadModel(file, {
      prefer: 'cpu',
      threads: 1,
      halfPrecision: true,
      halfPrecisionOnCpu: true,
    });
    const full = await loadModel(file, { prefer: 'cpu', threads: 1 });
    expect(half).not.toBe(full);
    expect(half.precision).toMatchObject({ requested: 'fp16', used: 'fp16' });
    expect(half.precision.why).toMatch(
      /^fp16 graph made from the fp32 one at load time in \d+ ms: 18 weight tensor\(s\) in fp16, 15 node\(s\) compute in fp16$/,
    );
    expect(half.rewrites).toEqual(['4 single-slope PRelu → LeakyRelu']); // applied before the transform
    expect(full.precision).toEqual({ requested: 'fp32', used: 'fp32' });
  });

  it('runs fp32 with the reason when the transform refuses the model', async () => {
    const m = await loadModel(path.join(MODELS, 'fp16_if.onnx'), {
      prefer: 'cpu',
      threads: 1,
      halfPrecision: true,
      halfPrecisionOnCpu: true,
    });
    expect(m.precision).toEqual({
      requested: 'fp16',
      used: 'fp32',
      why: "fp16 transform refused: node 'branch' (If) holds a subgraph",
    });
    const out = await m.runner.run({ x: { data: new Float32Array([1, 2]), dims: [2] } });
    expect(Array.from(out.y.data as Float32Array)).toEqual([1, 1]);
  });

  it("uses the collection's own <model>.fp16.onnx when it ships one", async () => {
    const dir = path.join(tmp, 'own');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(MODELS, 'double.onnx'), path.join(dir, 'double.onnx'));
    fs.copyFileSync(path.join(MODELS, 'double_fp16.onnx'), path.join(dir, 'double.fp16.onnx'));
    const m = await loadModel(path.join(dir, 'double.onnx'), {
      prefer: 'cpu',
      threads: 1,
      halfPrecision: true,
      halfPrecisionOnCpu: true,
    });
    expect(m.precision).toEqual({
      requested: 'fp16',
      used: 'fp16',
      why: "the collection's own fp16 export double.fp16.onnx",
    });
    expect(m.runner.inputs[0].type).toBe('float16');
    const out = await m.runner.run({ input: { data: new Float32Array([1.5, -3]), dims: [1, 1, 1, 2] } });
    expect(Array.from(out.output.data as Float32Array)).toEqual([3, -6]);
  });

  it('reports the precision of a pool of session threads (a tiled model)', async () => {
    const m = await loadStageModel(path.join(DEMO, 'NAFNet-bf_focus_restoration.onnx'), {
      key: 'bf_focus',
      threads: 2,
      provider: 'cpu',
      halfPrecision: true,
      halfPrecisionOnCpu: true,
    });
    expect(m.sessions).toBe(2);
    expect(m.precision).toMatchObject({ requested: 'fp16', used: 'fp16' });
    expect(m.precision.conversion?.nodesFp16).toBeGreaterThan(100);
  });
});

describe('half precision of a job model', () => {
  const plan = (key: ModelPlan['key'], weights: string): ModelPlan => ({
    key,
    weights,
    metadata: null,
    infererArgs: { half_precision: true },
    modelArgs: {},
  });

  it('leaves the PI classifier (a feature table: scikit-learn or ONNX) as it is', async () => {
    const forest = await loadJobModel(
      plan('pi_classification', path.join(ROOT, 'test-support/sklearn/models/random_forest.p4.pkl')),
      { provider: 'cpu' },
    );
    expect(forest.precision).toEqual({ requested: 'fp16', used: 'fp32', why: WHY_FEATURE_TABLE });
    const onnx = await loadJobModel(plan('pi_classification', path.join(DEMO, 'PIClassifier.onnx')), {
      provider: 'cpu',
    });
    expect(onnx.precision).toEqual({ requested: 'fp16', used: 'fp32', why: WHY_FEATURE_TABLE });
  });

  it('asks for fp16 for an image model, which the CPU provider runs fp32', async () => {
    const m = await loadJobModel(
      plan('cell_classifier', path.join(DEMO, 'FlexResNet-cell_classifier.onnx')),
      {
        provider: 'cpu',
        threads: 1,
      },
    );
    expect(m.precision).toEqual({ requested: 'fp16', used: 'fp32', why: WHY_CPU });
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelInputError } from '../../inference';
import { restoreFrame } from '../../inference';
import { segmentFrame } from '../../inference';
import { predictorFromRunner } from '../../inference';
import { loadModelPool, releaseAllPools, releasePool } from './session-pool';
import { loadModel, releaseAll } from './session-host';
import { loadStageModel, sessionCount } from './stage-models';

const ROOT = path.resolve(__dirname, '../../..');
const MODELS = path.join(ROOT, 'test-support/models');
const DEMO = path.join(ROOT, 'models/demo-collection/models');
const COMPILED = path.join(ROOT, 'dist/node/src-main/workers/ort');

beforeAll(() => {
  // Session threads run compiled JavaScript; `npm test` builds it before the unit tests.
  if (!fs.existsSync(path.join(COMPILED, 'session-thread.js')))
    throw new Error(`${COMPILED}/session-thread.js is missing: run \`npm run build:main\` first.`);
});
afterAll(async () => {
  await releaseAllPools();
  await releaseAll();
});

function frame(h: number, w: number, seed: number): Float32Array {
  const d = new Float32Array(h * w);
  for (let i = 0; i < d.length; i++) d[i] = 0.5 + 0.4 * Math.sin(i * 0.0131 + seed) * Math.cos(i * 0.00077);
  return d;
}

describe('session pool (sessions on worker threads)', () => {
  it('works on several calls at once, each on its own copy of the input', async () => {
    const file = path.join(MODELS, 'double.onnx');
    const pool = await loadModelPool(file, { sessions: 2, threads: 2, prefer: 'cpu' });
    expect(pool.sessions).toBe(2);
    expect(pool.runner.concurrency).toBe(2);
    const inputs = Array.from({ length: 6 }, (_, k) =>
      Float32Array.from({ length: 64 }, (_, i) => i + k * 100),
    );
    const expected = inputs.map((x) => Array.from(x, (v) => 2 * v));
    const calls = inputs.map((data) => pool.runner.run({ input: { data, dims: [1, 1, 8, 8] } }));
    inputs.forEach((x) => x.fill(-1)); // the caller reuses its buffers at once
    const outs = await Promise.all(calls);
    outs.forEach((o, k) => expect(Array.from(o.output.data as Float32Array)).toEqual(expected[k]));
    await releasePool(file);
  });

  it('gives the same objects and restored pixels as one session, with windows in flight on both threads', async () => {
    const seg = path.join(DEMO, 'MonaiUnet-segmentation.onnx');
    const bf = path.join(DEMO, 'NAFNet-bf_focus_restoration.onnx');
    const H = 300;
    const W = 420;
    const data = frame(H, W, 1);
    const opts = { patchSize: 256, overlap: 0.25, batchSize: 1, minSize: 20, probability: false };
    const one = await segmentFrame(
      { data, height: H, width: W },
      predictorFromRunner((await loadModel(seg)).runner),
      opts,
    );
    const pooled = await loadModelPool(seg, { sessions: 2, threads: 2 });
    const two = await segmentFrame({ data, height: H, width: W }, predictorFromRunner(pooled.runner), opts);
    expect(two.count).toBe(one.count);
    expect(Array.from(two.labels)).toEqual(Array.from(one.labels));

    const rOpts = { patchSize: 128, overlap: 0.25, rescale: false, scaleMethod: 'range01' as const };
    const raw = frame(H, W, 2).map((v) => v * 4000);
    const r1 = await restoreFrame(
      { data: raw, height: H, width: W },
      predictorFromRunner((await loadModel(bf)).runner),
      rOpts,
    );
    const r2 = await restoreFrame(
      { data: raw, height: H, width: W },
      predictorFromRunner((await loadModelPool(bf, { sessions: 2, threads: 2 })).runner),
      rOpts,
    );
    let maxDiff = 0;
    for (let i = 0; i < r1.restored.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(r1.restored.data[i] - r2.restored.data[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('checks feeds before they leave the calling thread, and names the file it cannot load', async () => {
    const pool = await loadModelPool(path.join(MODELS, 'double.onnx'), { sessions: 2, threads: 2 });
    await expect(
      pool.runner.run({ input: { data: new Float32Array(8), dims: [1, 2, 2, 2] } }),
    ).rejects.toThrow(ModelInputError);
    await expect(loadModelPool(path.join(MODELS, 'not-a-model.onnx'), { sessions: 2 })).rejects.toThrow(
      /not-a-model\.onnx.*not an ONNX model/,
    );
  });

  it('fails calls still waiting when the model is released', async () => {
    const file = path.join(MODELS, 'identity.onnx');
    const pool = await loadModelPool(file, { sessions: 1, threads: 1 });
    const big = new Float32Array(64 * 256 * 256);
    const calls = [1, 2, 3].map(() => pool.runner.run({ input: { data: big, dims: [64, 1, 256, 256] } }));
    calls.forEach((c) => c.catch(() => undefined));
    await releasePool(file);
    const settled = await Promise.allSettled(calls);
    expect(settled.some((s) => s.status === 'rejected' && /released|stopped/.test(String(s.reason)))).toBe(
      true,
    );
  });

  it('does not keep a process alive once its calls are answered', () => {
    const script = `
      const { loadModelPool } = require(${JSON.stringify(path.join(COMPILED, 'session-pool.js'))});
      loadModelPool(${JSON.stringify(path.join(MODELS, 'double.onnx'))}, { sessions: 2, threads: 2 })
        .then((m) => m.runner.run({ input: { data: new Float32Array([1, 2, 3, 4]), dims: [1, 1, 2, 2] } }))
        .then((o) => console.log(Array.from(o.output.data).join(',')));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe('2,4,6,8');
    expect(r.status).toBe(0);
  });

  it('stage models: tiled keys get a pool with two or more threads, others and HITMIC_SESSION_THREADS=0 one session', async () => {
    const seg = await loadStageModel(path.join(DEMO, 'MonaiUnet-segmentation.onnx'), {
      key: 'segmentation',
      threads: 2,
    });
    expect(seg.sessions).toBe(2);
    expect(seg.rewrites).toEqual(['4 single-slope PRelu → LeakyRelu']);
    const cls = await loadStageModel(path.join(DEMO, 'FlexResNet-cell_classifier.onnx'), {
      key: 'cell_classifier',
      threads: 2,
    });
    expect(cls.sessions).toBe(1);
    const lone = await loadStageModel(path.join(DEMO, 'NAFNet-fl_focus_restoration.onnx'), {
      key: 'fl_focus',
      threads: 1,
    });
    expect(lone.sessions).toBe(1);
    process.env.HITMIC_SESSION_THREADS = '0';
    try {
      const off = await loadStageModel(path.join(DEMO, 'NAFNet-bf_focus_restoration.onnx'), {
        key: 'bf_focus',
        threads: 2,
      });
      expect(off.sessions).toBe(1);
    } finally {
      delete process.env.HITMIC_SESSION_THREADS;
    }
  });

  it('shares the threads among at most four sessions, evenly where it can', () => {
    expect([2, 3, 4, 5, 6, 8, 12, 16].map(sessionCount)).toEqual([2, 3, 4, 4, 3, 4, 4, 4]);
  });
});

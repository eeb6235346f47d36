import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../jobs';
import { workerTestTensorRunner } from '../jobs';
import { inspectCollection } from './inspect';
import { FolderSource } from './source';
import { verifyCollection } from './verify';

/**
 * The bundled demo collection (issue 3): a real HiTMicTools bundle whose every ONNX model loads in
 * onnxruntime-node, declares the inputs and outputs its metadata promises, and reproduces its test
 * tensor; every file matches the sha256 in manifest.json.
 */
const DEMO = path.resolve(__dirname, '..', '..', 'models', 'demo-collection');

const EXPECTED: Record<string, { inputs: [string, (number | string | null)[]][]; outputs: string[] }> = {
  bf_focus: { inputs: [['input', [null, 1, null, null]]], outputs: ['output'] },
  fl_focus: { inputs: [['input', [null, 1, null, null]]], outputs: ['output'] },
  segmentation: { inputs: [['input', [null, 1, null, null]]], outputs: ['output'] },
  cell_classifier: { inputs: [['input', [null, 1, 32, 32]]], outputs: ['output'] },
  pi_classification: { inputs: [['features', [null, 5]]], outputs: ['label', 'probabilities'] },
  oof_detector: { inputs: [['input', [null, 3, 128, 128]]], outputs: ['pred_boxes', 'pred_logits'] },
};

describe('the demo model collection', () => {
  const worker = new WorkerClient({ name: 'demo-collection-test' });
  afterAll(() => worker.dispose());

  it('is a HiTMicTools bundle whose models declare the expected tensors', async () => {
    const r = await inspectCollection(new FolderSource(DEMO));
    expect(r.layout).toBe('hitmictools-bundle');
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.models.map((m) => m.key).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const m of r.models) {
      const want = EXPECTED[m.key];
      expect(m.format, m.key).toBe('onnx');
      expect(m.runnable, `${m.key}: ${m.runnableReason}`).toBe(true);
      expect(m.onnx?.opset, m.key).toBeLessThanOrEqual(17);
      for (const [name, shape] of want.inputs) {
        const t = m.inputs.find((i) => i.name === name);
        expect(t?.type, `${m.key} input ${name}`).toBe('float32');
        // Free dims (batch, H, W) are symbolic names; fixed ones must match.
        expect(
          t?.shape?.map((d) => (typeof d === 'number' ? d : null)),
          `${m.key} input ${name}`,
        ).toEqual(shape);
      }
      expect(
        m.outputs.map((o) => o.name),
        m.key,
      ).toEqual(want.outputs);
      expect(
        m.problems.filter((p) => p.severity === 'error'),
        m.key,
      ).toEqual([]);
    }
    const pi = r.models.find((m) => m.key === 'pi_classification');
    expect(pi?.onnx?.metadata.feature_names).toBe(
      'mean_intensity,max_intensity,roi_std_dev,area,rel_mean_intensity',
    );
    expect(r.tracking?.maxSearchRadius).toBeGreaterThan(0);
  });

  it('matches its manifest and reproduces every test tensor within 1e-4 in onnxruntime-node', async () => {
    const r = await verifyCollection(new FolderSource(DEMO), {
      runTestTensor: workerTestTensorRunner(worker),
    });
    expect(r.files.filter((f) => !f.ok)).toEqual([]);
    expect(r.files.length).toBeGreaterThanOrEqual(20);
    expect(r.tests.map((t) => t.key).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const t of r.tests) {
      expect(t.ok, `${t.key}: ${t.message ?? ''}`).toBe(true);
      expect(t.max_abs_err!, t.key).toBeLessThan(1e-4);
    }
    expect(r.ok).toBe(true);
  }, 120_000);
});

describe('inspect checks a model against its settings', () => {
  it('names missing inferer_args and class names that do not match the classifier outputs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-settings-'));
    try {
      fs.cpSync(DEMO, dir, { recursive: true });
      const config = path.join(dir, 'config.yml');
      const text = fs.readFileSync(config, 'utf8');
      const edited = text
        .replace(/(bf_focus:\n(?: {2}model_\w+: .*\n)+) {2}inferer_args:\n(?: {4}.*\n)+/, '$1')
        .replace('      4: joint-cell\n', '');
      expect(edited).not.toBe(text);
      fs.writeFileSync(config, edited);
      const r = await inspectCollection(new FolderSource(dir));
      const codes = (key: string) => r.models.find((m) => m.key === key)?.problems.map((p) => p.code);
      expect(codes('bf_focus')).toContain('missing-inferer-args');
      expect(codes('fl_focus')).not.toContain('missing-inferer-args');
      const classes = r.models.find((m) => m.key === 'cell_classifier')?.problems.find((p) => p.code === 'class-count');
      expect(classes?.message).toMatch(/names 4 class\(es\).*has 5 outputs/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

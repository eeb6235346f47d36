import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy, readNpyFloat32 } from '../io';
import { loadModel, releaseAll } from '../workers/ort';
import { classifyCells } from './adapters/classify-cells';
import { classifyPi } from './adapters/classify-pi';
import { restoreFrame } from './adapters/restore';
import { segmentFrame } from './adapters/segment';
import type { ModelRunner } from './model-runner';
import { predictorFromRunner } from './tiling/predictor';

// Parity with HiTMicTools-faithful PyTorch outputs (models/demo-collection-reference/README.md): two
// 256×256 crops of the demo movie run through the demo collection's models. Criteria:
// restored frames: max |ours − ref| ≤ 1e-3 · max |ref|; segmentation probability: max |Δ| ≤ 1e-3;
// labels: identical, else every reference object matched with IoU ≥ 0.99; classifier: argmax identical
// (probabilities within 1e-3); PI: labels identical (P(piPOS) within 1e-3).
// Each stage gets the reference output of the previous stage, so a failure points at one stage.
const ROOT = path.resolve(__dirname, '../..');
const REF = path.join(ROOT, 'models/demo-collection-reference');
const COL = path.join(ROOT, 'models/demo-collection/models');
const NEEDED = ['t00', 't10'].flatMap((t) =>
  [
    'input_bf.npy',
    'input_fl.npy',
    'bf_restored.npy',
    'fl_restored.npy',
    'seg_prob.npy',
    'labels.npy',
    'classifier.csv',
    'pi.csv',
  ].map((f) => path.join(REF, `${t}_${f}`)),
);
const MODELS = [
  'NAFNet-bf_focus_restoration',
  'NAFNet-fl_focus_restoration',
  'MonaiUnet-segmentation',
  'FlexResNet-cell_classifier',
  'PIClassifier',
];
const present = [...NEEDED, ...MODELS.map((m) => path.join(COL, `${m}.onnx`))].every((f) => fs.existsSync(f));
if (!present)
  console.warn(`SKIPPED demo parity tests: reference files in ${REF} or models in ${COL} not found`);

const CLASSES = { 0: 'single-cell', 1: 'clump', 2: 'noise', 3: 'off-focus', 4: 'joint-cell' };

function npy(name: string): { data: Float32Array; shape: number[] } {
  const a = readNpyFloat32(fs.readFileSync(path.join(REF, name)), name);
  return { data: a.data, shape: a.shape };
}

function labelsNpy(name: string): Uint16Array {
  const a = readNpy(fs.readFileSync(path.join(REF, name)), name);
  if (!(a.data instanceof Uint16Array)) throw new Error(`${name}: expected uint16 labels`);
  return a.data;
}

function csv(name: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(path.join(REF, name), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** IoU of every reference object with the object of ours that overlaps it most. */
function objectIous(ours: ArrayLike<number>, ref: ArrayLike<number>): number[] {
  const pairs = new Map<string, number>();
  const areaO = new Map<number, number>();
  const areaR = new Map<number, number>();
  for (let i = 0; i < ref.length; i++) {
    const o = ours[i];
    const r = ref[i];
    if (o) areaO.set(o, (areaO.get(o) ?? 0) + 1);
    if (r) areaR.set(r, (areaR.get(r) ?? 0) + 1);
    if (o && r) pairs.set(`${r}:${o}`, (pairs.get(`${r}:${o}`) ?? 0) + 1);
  }
  return [...areaR.keys()].map((r) => {
    let best = 0;
    for (const [key, inter] of pairs) {
      const [rk, ok] = key.split(':').map(Number);
      if (rk === r) best = Math.max(best, inter / (areaR.get(r)! + areaO.get(ok)! - inter));
    }
    return best;
  });
}

describe.skipIf(!present).each(['t00', 't10'])('demo collection parity, frame %s', (t) => {
  const runners: Record<string, ModelRunner> = {};
  beforeAll(async () => {
    const load = async (key: string, file: string) => {
      runners[key] = (await loadModel(path.join(COL, file), { prefer: 'cpu', key })).runner;
    };
    await load('bf_focus', 'NAFNet-bf_focus_restoration.onnx');
    await load('fl_focus', 'NAFNet-fl_focus_restoration.onnx');
    await load('segmentation', 'MonaiUnet-segmentation.onnx');
    await load('cell_classifier', 'FlexResNet-cell_classifier.onnx');
    await load('pi_classification', 'PIClassifier.onnx');
  });
  afterAll(() => releaseAll());

  it('bf_focus: range01 (1, 99.8), Gaussian windows of 128, not rescaled', async () => {
    const x = npy(`${t}_input_bf.npy`);
    const ref = npy(`${t}_bf_restored.npy`);
    const res = await restoreFrame(
      { data: x.data, height: 256, width: 256 },
      predictorFromRunner(runners.bf_focus),
      {
        patchSize: 128,
        overlap: 0.25,
        scaleMethod: 'range01',
        scalerArgs: { pmin: 1, pmax: 99.8 },
        rescale: false,
      },
    );
    expect(maxAbsDiff(res.restored.data, ref.data)).toBeLessThanOrEqual(1e-3 * maxAbs(ref.data));
  });

  it('fl_focus: fixed_range 12 bit, rescaled to counts', async () => {
    const x = npy(`${t}_input_fl.npy`);
    const ref = npy(`${t}_fl_restored.npy`);
    const res = await restoreFrame(
      { data: x.data, height: 256, width: 256 },
      predictorFromRunner(runners.fl_focus),
      {
        patchSize: 128,
        overlap: 0.25,
        scaleMethod: 'fixed_range',
        scalerArgs: { bitDepth: 12 },
        rescale: true,
      },
    );
    expect(maxAbsDiff(res.restored.data, ref.data)).toBeLessThanOrEqual(1e-3 * maxAbs(ref.data));
  });

  it('segmentation: constant window of 256, sigmoid, > 0.5, 4-connected, ≥ 20 px', async () => {
    const bf = npy(`${t}_bf_restored.npy`);
    const refProb = npy(`${t}_seg_prob.npy`);
    const refLabels = labelsNpy(`${t}_labels.npy`);
    const res = await segmentFrame(
      { data: bf.data, height: 256, width: 256 },
      predictorFromRunner(runners.segmentation),
      {
        patchSize: 256,
        overlap: 0.25,
        scaleMethod: 'none',
      },
    );
    expect(maxAbsDiff(res.probability!.data, refProb.data)).toBeLessThanOrEqual(1e-3);
    const identical = res.labels.every((v, i) => v === refLabels[i]);
    if (!identical) {
      const ious = objectIous(res.labels, refLabels);
      expect(Math.min(...ious)).toBeGreaterThanOrEqual(0.99);
    }
    expect(res.count).toBe(Math.max(...refLabels));
    // The pipeline's path (objects only, decided from the logit sums) gives the same labels.
    const objectsOnly = await segmentFrame(
      { data: bf.data, height: 256, width: 256 },
      predictorFromRunner(runners.segmentation),
      { patchSize: 256, overlap: 0.25, scaleMethod: 'none', probability: false },
    );
    expect(Array.from(objectsOnly.labels)).toEqual(Array.from(res.labels));
  });

  it('cell_classifier: masked crops → 32×32, softmax argmax identical', async () => {
    const bf = npy(`${t}_bf_restored.npy`);
    const labels = labelsNpy(`${t}_labels.npy`);
    const ref = csv(`${t}_classifier.csv`);
    const res = await classifyCells(labels, bf.data, 256, 256, runners.cell_classifier, {
      size: 32,
      batchSize: 512,
      classes: CLASSES,
    });
    expect(Array.from(res.labels)).toEqual(ref.map((r) => Number(r.label)));
    expect(Array.from(res.classIndex)).toEqual(ref.map((r) => Number(r.class_id)));
    expect(res.className).toEqual(ref.map((r) => r.class_name));
    const names = Object.values(CLASSES);
    ref.forEach((r, i) =>
      names.forEach((n, c) =>
        expect(Math.abs(res.probabilities[i * 5 + c] - Number(r[`p_${n}`]))).toBeLessThan(1e-3),
      ),
    );
  });

  it('chained (our restored BF → our segmentation → our classifier) gives the reference labels and classes', async () => {
    const x = npy(`${t}_input_bf.npy`);
    const refLabels = labelsNpy(`${t}_labels.npy`);
    const ref = csv(`${t}_classifier.csv`);
    const bf = await restoreFrame(
      { data: x.data, height: 256, width: 256 },
      predictorFromRunner(runners.bf_focus),
      {
        patchSize: 128,
        overlap: 0.25,
        rescale: false,
      },
    );
    const seg = await segmentFrame(bf.restored, predictorFromRunner(runners.segmentation), {
      patchSize: 256,
      overlap: 0.25,
    });
    const ious = objectIous(seg.labels, refLabels);
    expect(Math.min(...ious)).toBeGreaterThanOrEqual(0.99);
    const cls = await classifyCells(seg.labels, bf.restored.data, 256, 256, runners.cell_classifier, {
      size: 32,
      classes: CLASSES,
    });
    expect(cls.className).toEqual(ref.map((r) => r.class_name));
  });

  it('pi_classification: features by the model metadata, label and P(piPOS)', async () => {
    const ref = csv(`${t}_pi.csv`);
    const table: Record<string, Float32Array> = {};
    for (const col of Object.keys(ref[0]))
      if (col !== 'pi_class') table[col] = Float32Array.from(ref.map((r) => Number(r[col])));
    const res = await classifyPi(table, runners.pi_classification);
    expect(res.piClass).toEqual(ref.map((r) => r.pi_class));
    ref.forEach((r, i) => expect(Math.abs(res.probability[i] - Number(r.p_piPOS))).toBeLessThan(1e-3));
  });
});

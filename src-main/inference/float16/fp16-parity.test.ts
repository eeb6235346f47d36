import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpyFloat32 } from '../../io';
import { loadModel, releaseAll } from '../../workers/ort';
import { classifyCells } from '../adapters/classify-cells';
import { restoreFrame } from '../adapters/restore';
import { segmentFrame } from '../adapters/segment';
import type { ModelRunner } from '../model-runner';
import { predictorFromRunner } from '../tiling/predictor';
import { fromHalf, toHalf } from './half';

/**
 * fp16 graphs made by the transform, run with onnxruntime's CPU provider (forced with the session
 * host's test option `halfPrecisionOnCpu`; onnxruntime casts to fp32 around CPU kernels that lack
 * fp16) against the fp32 graphs on the same inputs. There is no GPU here: this proves the graphs are
 * valid and what fp16 weights and activations do to the results, not GPU speed.
 *
 * Tolerances on the demo collection (models/demo-collection, inputs: the two 256×256 crops of the demo
 * movie in models/demo-collection-reference), each about 3× what was measured:
 * - restored intensities (bf_focus in range01 units, fl_focus rescaled to counts):
 *   max |fp16 − fp32| ≤ 4e-3 × max |fp32|  (measured 1.2e-3 BF, 4.5e-4 FL);
 * - segmentation: sigmoid probability max |Δ| ≤ 0.02 (measured 0.008); the same objects — equal count,
 *   every fp32 object matched by an fp16 one with IoU ≥ 0.98 (measured: identical labels);
 * - cell classifier, on the same crops: argmax identical for every object, probabilities within 2e-3
 *   (measured 2.4e-4).
 */
const ROOT = path.resolve(__dirname, '../../..');
const MODELS = path.join(ROOT, 'test-support/models');
const REF = path.join(ROOT, 'models/demo-collection-reference');
const COL = path.join(ROOT, 'models/demo-collection/models');
const DEMO = {
  bf_focus: 'NAFNet-bf_focus_restoration.onnx',
  fl_focus: 'NAFNet-fl_focus_restoration.onnx',
  segmentation: 'MonaiUnet-segmentation.onnx',
  cell_classifier: 'FlexResNet-cell_classifier.onnx',
} as const;
type Key = keyof typeof DEMO;
const NEEDED = [
  ...Object.values(DEMO).map((f) => path.join(COL, f)),
  ...['t00', 't10'].flatMap((t) => [`${t}_input_bf.npy`, `${t}_input_fl.npy`].map((f) => path.join(REF, f))),
];
const present = NEEDED.every((f) => fs.existsSync(f));
if (!present)
  console.warn(`SKIPPED fp16 demo parity: demo models or reference crops missing (${REF}, ${COL})`);

const fp16OnCpu = { prefer: 'cpu' as const, threads: 2, halfPrecision: true, halfPrecisionOnCpu: true };
afterAll(() => releaseAll());

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
const maxAbs = (a: ArrayLike<number>) => maxAbsDiff(a, new Float32Array(a.length));

/** For every object of `ref`, the best IoU with an object of `ours`. */
function bestIous(ours: ArrayLike<number>, ref: ArrayLike<number>): number[] {
  const inter = new Map<number, Map<number, number>>();
  const area = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const areaO = new Map<number, number>();
  const areaR = new Map<number, number>();
  for (let i = 0; i < ref.length; i++) {
    if (ours[i]) area(areaO, ours[i]);
    if (ref[i]) area(areaR, ref[i]);
    if (ours[i] && ref[i]) {
      const row = inter.get(ref[i]) ?? new Map<number, number>();
      inter.set(ref[i], area(row, ours[i]));
    }
  }
  return [...areaR].map(([r, ar]) =>
    Math.max(0, ...[...(inter.get(r) ?? [])].map(([o, n]) => n / (ar + areaO.get(o)! - n))),
  );
}

describe('fp16 graphs on the CPU provider', () => {
  it("runs a Resize whose scales stay float32: the output size is the fp32 graph's", async () => {
    const file = path.join(MODELS, 'fp16_resize.onnx');
    const half = await loadModel(file, fp16OnCpu);
    expect(half.precision).toMatchObject({ requested: 'fp16', used: 'fp16' });
    expect(half.precision.conversion?.keptFp32.map((k) => k.op)).toEqual(['Div', 'Concat']);
    const x = Float32Array.from({ length: 100 }, (_, i) => (i % 7) / 4); // exact in fp16, doubled too
    const feed = { input: { data: x, dims: [1, 1, 10, 10] } };
    const a = (await half.runner.run(feed)).output;
    const b = (await (await loadModel(file, { prefer: 'cpu', threads: 1 })).runner.run(feed)).output;
    // 1.3 in fp16 is 1.2998: 20 × that would give 25 rows, not 26
    expect(a.dims).toEqual([1, 1, 26, 26]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(b.data as Float32Array));
  });

  it('runs Constants that were value_float(s)', async () => {
    const half = await loadModel(path.join(MODELS, 'fp16_value_floats.onnx'), fp16OnCpu);
    const out = await half.runner.run({ x: { data: new Float32Array([1, -2, 0.25]), dims: [3] } });
    expect(Array.from(out.y.data as Float32Array)).toEqual([1.5, -3.5, 1.25]);
  });

  it('computes the mixed graph with fp16 weights (clamped and raised as reported) and fp32 CumSum', async () => {
    const half = await loadModel(path.join(MODELS, 'fp16_mixed.onnx'), fp16OnCpu);
    const x = new Float32Array([0.25, 1, 0.5, 1, -1, 0.5, 0.25, -0.5]);
    const out = await half.runner.run({ x: { data: x, dims: [2, 4] } });
    const w = [0.5, 1e-9, 1e6, -2].map((v) =>
      fromHalf(toHalf(Math.max(-65504, Math.min(65504, v === 1e-9 ? 1e-7 : v)))),
    );
    for (let r = 0; r < 2; r++) {
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const a = x[r * 4 + j] * w[j];
        sum += a;
        const near = (got: number, want: number) =>
          expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-3 * Math.abs(want) + 1e-6);
        near((out.a.data as Float32Array)[r * 4 + j], a);
        near((out.c.data as Float32Array)[r * 4 + j], sum);
        near((out.y.data as Float32Array)[r * 4 + j], sum + 4); // + 0 + the number of columns
      }
    }
    expect(half.runner.inputs[0].type).toBe('float32'); // keep_io_types
  });
});

const FIXTURES = path.resolve(ROOT, '../shared/fixtures/onnx');
const UNETS = ['nuclei_unet_opset12', 'tiktorch_unet2d_onnx_opset9_upsample'];
const fixtures =
  fs.existsSync(path.join(FIXTURES, 'nuclei_unet_opset12/test_input.npy')) &&
  UNETS.every((u) => fs.existsSync(path.join(FIXTURES, u, 'weights.onnx')));
if (!fixtures) console.warn(`SKIPPED fp16 parity of the bioimage.io U-Nets: ${FIXTURES} not found`);

/**
 * The bioimage.io nuclei U-Net, exported with Resize (opset 12) and with Upsample (opset 9), on its own
 * test image (normalised as its spec says): probability max |fp16 − fp32| ≤ 1e-3 (measured 2.1e-4) and
 * at most 0.01 % of the pixels on the other side of 0.5 (measured 1 of 262144). Their scales are
 * initializers: they stay float32, so nothing is kept fp32 around them.
 */
describe.skipIf(!fixtures).each(UNETS)('fp16 vs fp32, real U-Net %s', (unet) => {
  it('gives the same probabilities to 1e-3, its Resize/Upsample scales kept float32', async () => {
    const file = path.join(FIXTURES, unet, 'weights.onnx');
    const x = readNpyFloat32(fs.readFileSync(path.join(FIXTURES, 'nuclei_unet_opset12/test_input.npy')), 'x');
    const n = x.data.length;
    const mean = x.data.reduce((a, v) => a + v, 0) / n;
    const sd = Math.sqrt(x.data.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const feed = {
      'input.1': { data: Float32Array.from(x.data, (v) => (v - mean) / (sd + 1e-6)), dims: x.shape },
    };
    const half = await loadModel(file, { ...fp16OnCpu, threads: 1 });
    const full = await loadModel(file, { prefer: 'cpu', threads: 1 });
    // 39 initializers: the 36 weights and biases in fp16, the 3 scales left float32
    expect(half.precision.conversion).toMatchObject({ initializers: 36, keptFp32: [] });
    const name = full.runner.outputs[0].name;
    const a = (await full.runner.run(feed))[name].data as Float32Array;
    const b = (await half.runner.run(feed))[name].data as Float32Array;
    expect(maxAbsDiff(b, a)).toBeLessThanOrEqual(1e-3);
    let flipped = 0;
    for (let i = 0; i < n; i++) if (a[i] > 0.5 !== b[i] > 0.5) flipped++;
    expect(flipped).toBeLessThanOrEqual(n * 1e-4);
  });
});

describe.skipIf(!present).each(['t00', 't10'])('fp16 vs fp32 on the demo collection, crop %s', (t) => {
  const fp32: Partial<Record<Key, ModelRunner>> = {};
  const fp16: Partial<Record<Key, ModelRunner>> = {};
  beforeAll(async () => {
    for (const [key, file] of Object.entries(DEMO) as [Key, string][]) {
      fp32[key] = (await loadModel(path.join(COL, file), { prefer: 'cpu', threads: 2, key })).runner;
      const half = await loadModel(path.join(COL, file), { ...fp16OnCpu, key });
      expect(half.precision.used, key).toBe('fp16');
      fp16[key] = half.runner;
    }
  });
  const npy = (name: string) => readNpyFloat32(fs.readFileSync(path.join(REF, name)), name).data;
  const bfOptions = {
    patchSize: 128,
    overlap: 0.25,
    scaleMethod: 'range01' as const,
    scalerArgs: { pmin: 1, pmax: 99.8 },
    rescale: false,
  };
  const restoreBf = (r: ModelRunner) =>
    restoreFrame(
      { data: npy(`${t}_input_bf.npy`), height: 256, width: 256 },
      predictorFromRunner(r),
      bfOptions,
    );

  it('restorers: max |fp16 − fp32| ≤ 4e-3 × max |fp32| of the restored intensities', async () => {
    const [a, b] = [await restoreBf(fp32.bf_focus!), await restoreBf(fp16.bf_focus!)];
    expect(maxAbsDiff(b.restored.data, a.restored.data)).toBeLessThanOrEqual(4e-3 * maxAbs(a.restored.data));
    const fl = (r: ModelRunner) =>
      restoreFrame({ data: npy(`${t}_input_fl.npy`), height: 256, width: 256 }, predictorFromRunner(r), {
        patchSize: 128,
        overlap: 0.25,
        scaleMethod: 'fixed_range',
        scalerArgs: { bitDepth: 12 },
        rescale: true,
      });
    const [c, d] = [await fl(fp32.fl_focus!), await fl(fp16.fl_focus!)];
    expect(maxAbsDiff(d.restored.data, c.restored.data)).toBeLessThanOrEqual(4e-3 * maxAbs(c.restored.data));
  });

  it('segmentation: probability within 0.02, the same objects (IoU ≥ 0.98); classifier: the same classes', async () => {
    const bf = (await restoreBf(fp32.bf_focus!)).restored;
    const options = { patchSize: 256, overlap: 0.25, scaleMethod: 'none' as const };
    const a = await segmentFrame(bf, predictorFromRunner(fp32.segmentation!), options);
    const b = await segmentFrame(bf, predictorFromRunner(fp16.segmentation!), options);
    expect(maxAbsDiff(b.probability!.data, a.probability!.data)).toBeLessThanOrEqual(0.02);
    expect(a.count).toBeGreaterThan(10);
    expect(b.count).toBe(a.count);
    expect(Math.min(...bestIous(b.labels, a.labels))).toBeGreaterThanOrEqual(0.98);
    const classify = (r: ModelRunner) =>
      classifyCells(a.labels, bf.data, 256, 256, r, { size: 32, batchSize: 512 });
    const [c32, c16] = [await classify(fp32.cell_classifier!), await classify(fp16.cell_classifier!)];
    expect(Array.from(c16.classIndex)).toEqual(Array.from(c32.classIndex));
    expect(maxAbsDiff(c16.probabilities, c32.probabilities)).toBeLessThanOrEqual(2e-3);
  });
});

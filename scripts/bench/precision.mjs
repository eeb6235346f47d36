#!/usr/bin/env node
// half_precision benchmark: each demo image model in fp32 and as the fp16 graph HiTMic Studio makes
// (src-main/inference/float16), on one 2048×2048 frame, as the pipeline runs it (restorers and segmenter
// as a pool of one-thread sessions on 2 threads, the classifier as one session): time per precision
// (fastest of --repeat runs, fp32 and fp16 alternating so a slow spell hits both) and how far fp16 is
// from fp32 — restored intensities (max |Δ| ÷ max |fp32|, mean |Δ|), segmentation (objects, foreground
// pixels that differ, worst IoU of an fp32 object), classifier (argmax agreement, max |Δp|). Also the
// time the transform takes per model (first call in this process, then the median of 5).
// The fp16 graph runs on the CPU provider through the session host's test option halfPrecisionOnCpu:
// onnxruntime casts to fp32 around CPU kernels without fp16, so no gain is expected here; with
// `--provider cuda` (or dml, coreml) the same script measures a GPU. Never fails on timing.
// Options: --size N (2048), --repeat N (2), --provider cpu|cuda|dml|coreml (cpu), --threads N (2).
import fs from 'node:fs';
import path from 'node:path';
import { loadCompiled, numberArg } from '../bench-support.mjs';

const inf = loadCompiled('src-main/inference/index.js');
const host = loadCompiled('src-main/workers/ort/index.js');
const { openMovie } = loadCompiled('src-main/io/index.js');

const SIZE = numberArg('size', 2048);
const REPEAT = Math.max(1, numberArg('repeat', 2));
const THREADS = numberArg('threads', 2);
const pi = process.argv.indexOf('--provider');
const PROVIDER = pi >= 0 ? process.argv[pi + 1] : 'cpu';
const root = path.resolve('.');
const COL = path.join(root, 'models/demo-collection/models');
const FILES = {
  bf_focus: 'NAFNet-bf_focus_restoration.onnx',
  fl_focus: 'NAFNet-fl_focus_restoration.onnx',
  segmentation: 'MonaiUnet-segmentation.onnx',
  cell_classifier: 'FlexResNet-cell_classifier.onnx',
};
const CLASSES = { 0: 'single-cell', 1: 'clump', 2: 'noise', 3: 'off-focus', 4: 'joint-cell' };
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

// --- the transform's own cost ---------------------------------------------------------------------
console.log(`fp16 transform time per model (first call in this process, then median of 5):`);
for (const [key, file] of Object.entries(FILES)) {
  const bytes = fs.readFileSync(path.join(COL, file));
  let t0 = performance.now();
  const first = inf.toFloat16Model(bytes, { label: key });
  const cold = performance.now() - t0;
  const warm = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    inf.toFloat16Model(bytes, { label: key });
    warm.push(performance.now() - t0);
  }
  const r = first.report;
  console.log(
    `  ${key.padEnd(16)} ${(bytes.length / 1024).toFixed(0).padStart(5)} KB: ${cold.toFixed(1)} ms, then ${median(warm).toFixed(1)} ms` +
      ` (${r.initializers + r.constants} tensors, ${r.nodesFp16} nodes fp16, ${r.keptFp32.length} kept fp32)`,
  );
}

// --- the frames -----------------------------------------------------------------------------------
const movie = await openMovie(path.join(root, 'resources/demo/demo_movie.tif'));
const tile = async (c) => {
  const plane = await movie.readPlane({ t: 0, c });
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      out[y * SIZE + x] = plane.data[(y % plane.height) * plane.width + (x % plane.width)];
  return { data: out, height: SIZE, width: SIZE };
};
const bfFrame = await tile(0);
const flFrame = await tile(1);
await movie.close();

const load = (key, half) =>
  host.loadStageModel(path.join(COL, FILES[key]), {
    key,
    threads: THREADS,
    provider: PROVIDER,
    halfPrecision: half,
    halfPrecisionOnCpu: half && PROVIDER === 'cpu',
  });

/** Runs work(fp32 runner) and work(fp16 runner) REPEAT times, alternating; the fastest of each. */
async function both(key, work) {
  const m32 = await load(key, false);
  const m16 = await load(key, true);
  if (m16.precision.used !== 'fp16') throw new Error(`${key}: fp16 did not run: ${m16.precision.why}`);
  const best = { fp32: { ms: Infinity }, fp16: { ms: Infinity } };
  for (let r = 0; r < REPEAT; r++) {
    const order = r % 2 === 0 ? ['fp32', 'fp16'] : ['fp16', 'fp32'];
    for (const p of order) {
      const t0 = performance.now();
      const out = await work((p === 'fp32' ? m32 : m16).runner);
      const ms = performance.now() - t0;
      if (ms < best[p].ms) best[p] = { ms, out };
    }
  }
  return { ...best, provider: m16.provider, sessions: m16.sessions };
}

const rows = [];
function report(key, res, accuracy) {
  const ratio = res.fp16.ms / res.fp32.ms;
  rows.push({ key, fp32: res.fp32.ms, fp16: res.fp16.ms, ratio, accuracy });
  console.log(
    `${key.padEnd(16)} on ${res.provider} (${res.sessions} session(s)): fp32 ${res.fp32.ms.toFixed(0)} ms, fp16 ${res.fp16.ms.toFixed(0)} ms, ` +
      `fp16 ÷ fp32 ${ratio.toFixed(2)}; ${accuracy}`,
  );
}

function diff(a, b) {
  let max = 0;
  let sum = 0;
  let ref = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
    ref = Math.max(ref, Math.abs(a[i]));
  }
  return { max, mean: sum / a.length, rel: max / ref };
}

console.log(`\n${SIZE}×${SIZE} frame (demo movie frame 0 tiled), ${THREADS} threads, fastest of ${REPEAT}:`);
const restoreOpts = {
  bf_focus: {
    patchSize: 128,
    overlap: 0.25,
    scaleMethod: 'range01',
    scalerArgs: { pmin: 1, pmax: 99.8 },
    rescale: false,
  },
  fl_focus: {
    patchSize: 128,
    overlap: 0.25,
    scaleMethod: 'fixed_range',
    scalerArgs: { bitDepth: 12 },
    rescale: true,
  },
};
let restoredBf;
for (const key of ['bf_focus', 'fl_focus']) {
  const frame = key === 'bf_focus' ? bfFrame : flFrame;
  const res = await both(key, (runner) =>
    inf.restoreFrame(frame, inf.predictorFromRunner(runner), restoreOpts[key]),
  );
  const d = diff(res.fp32.out.restored.data, res.fp16.out.restored.data);
  if (key === 'bf_focus') restoredBf = res.fp32.out.restored;
  report(
    key,
    res,
    `max |Δ| ${d.max.toPrecision(3)} (${(d.rel * 100).toFixed(3)} % of max), mean |Δ| ${d.mean.toPrecision(3)}`,
  );
}

const segOpts = { patchSize: 256, overlap: 0.25, scaleMethod: 'none', batchSize: 4 };
const seg = await both('segmentation', (runner) =>
  inf.segmentFrame(restoredBf, inf.predictorFromRunner(runner), segOpts),
);
const [la, lb] = [seg.fp32.out.labels, seg.fp16.out.labels];
let differ = 0;
for (let i = 0; i < la.length; i++) if (la[i] > 0 !== lb[i] > 0) differ++;
report(
  'segmentation',
  seg,
  `objects ${seg.fp32.out.count} vs ${seg.fp16.out.count}, foreground differs on ${differ} px (${((differ / la.length) * 100).toFixed(4)} %), ` +
    `probability max |Δ| ${diff(seg.fp32.out.probability.data, seg.fp16.out.probability.data).max.toPrecision(3)}`,
);

const cls = await both('cell_classifier', (runner) =>
  inf.classifyCells(la, restoredBf.data, SIZE, SIZE, runner, { size: 32, batchSize: 512, classes: CLASSES }),
);
let agree = 0;
const n = cls.fp32.out.classIndex.length;
for (let i = 0; i < n; i++) if (cls.fp32.out.classIndex[i] === cls.fp16.out.classIndex[i]) agree++;
report(
  'cell_classifier',
  cls,
  `argmax agrees on ${agree}/${n} objects, max |Δp| ${diff(cls.fp32.out.probabilities, cls.fp16.out.probabilities).max.toPrecision(3)}`,
);
console.log(
  'pi_classification: not benchmarked — a feature-table model (scikit-learn tree ensemble or its ONNX export) always runs as it is.',
);
await host.releaseAllPools();
await host.releaseAll();

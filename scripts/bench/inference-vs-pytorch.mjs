#!/usr/bin/env node
// Inference vs PyTorch: per-stage milliseconds for one 2048×2048 frame (the demo movie's frame 0 tiled
// 4×4; channel 0 for bf_focus and segmentation, channel 1 for fl_focus) through our compiled stages —
// onnxruntime-node, 2 intra-op threads, the demo collection's settings exactly as the pipeline uses
// them (restoreOptions / segmentOptions) — and the same weights through PyTorch
// (scripts/bench/pytorch_reference.py: Debian's torch, torch.set_num_threads(2), HiTMicTools' scaling
// and MONAI sliding window), as a ratio ours ÷ PyTorch. Target: ratio ≤ 0.5.
// Stages: bf_focus (range01 → Gaussian sliding window, no rescale), fl_focus (fixed_range → Gaussian
// sliding window → ×4095), segmentation (constant sliding window on the restored BF → sigmoid → > 0.5 →
// 4-connected components → < 20 px dropped).
// Run after `npx tsc -p tsconfig.main.json`:  node scripts/bench/inference-vs-pytorch.mjs
// Environment: BENCH_SIZE (2048), BENCH_REPEAT (3, 1–3; fastest kept), BENCH_THREADS (2),
// BENCH_PT_MODES (single,batched), BENCH_SKIP_PYTORCH=1 (ours only); the environment goes to the Python
// child, so OMP_WAIT_POLICY=PASSIVE steadies PyTorch on a busy machine. Repetitions alternate: ours,
// then one PyTorch repetition, and again; each side keeps its fastest. Never fails on timing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'dist/node/src-main');
for (const f of [
  'inference/index.js',
  'workers/ort/index.js',
  'pipeline/model-settings.js',
  'collections/index.js',
  'io/index.js',
]) {
  if (!fs.existsSync(path.join(dist, f))) {
    console.error(`dist/node is missing (${f}): run \`npx tsc -p tsconfig.main.json\` first.`);
    process.exit(1);
  }
}
const inf = require(path.join(dist, 'inference/index.js'));
const ortHost = require(path.join(dist, 'workers/ort/index.js'));
const settings = require(path.join(dist, 'pipeline/model-settings.js'));
const { planCollection } = require(path.join(dist, 'collections/index.js'));
const { openMovie } = require(path.join(dist, 'io/index.js'));

const SIZE = Number(process.env.BENCH_SIZE ?? 2048);
const REPEAT = Math.max(1, Math.min(3, Number(process.env.BENCH_REPEAT ?? 3)));
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const SPIN = process.env.BENCH_SPIN !== '0';
const MIN_OBJECT_PX = 20; // as analyse-movie.ts
const TARGET = 0.5;
const collectionDir = path.join(root, 'models/demo-collection');
const moviePath = path.join(root, 'resources/demo/demo_movie.tif');
const pyScript = path.join(root, 'scripts/bench/pytorch_reference.py');
const PYTHON = '/usr/bin/python3';

const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const loadStart = load();

// The frame: demo frame 0 tiled to SIZE×SIZE (same as the Python side).
async function tiledFrame(movie, c) {
  const plane = await movie.readPlane({ t: 0, c });
  const { width: w, height: h } = plane;
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const src = (y % h) * w;
    for (let x = 0; x < SIZE; x++) out[y * SIZE + x] = plane.data[src + (x % w)];
  }
  return out;
}
function crop(data, n) {
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) out.set(data.subarray(y * SIZE, y * SIZE + n), y * n);
  return out;
}

const movie = await openMovie(moviePath);
const bf = await tiledFrame(movie, 0);
const fl = await tiledFrame(movie, 1);
await movie.close();

const plan = await planCollection(collectionDir);
const models = {};
for (const key of ['bf_focus', 'fl_focus', 'segmentation']) {
  const p = plan.models[key];
  if (!p) throw new Error(`the demo collection has no ONNX '${key}' model`);
  // As the pipeline's worker (pipeline-method.ts) loads them for a run with one worker: 2 threads, as a
  // pool of one-thread sessions (ort/stage-models.ts; HITMIC_SESSION_THREADS=0: one session with 2
  // threads, spinning on unless BENCH_SPIN=0).
  const hosted = await ortHost.loadStageModel(p.weights, { key, threads: THREADS, allowSpinning: SPIN });
  models[key] = {
    plan: p,
    predictor: inf.predictorFromRunner(hosted.runner),
    provider: hosted.provider,
    sessions: hosted.sessions,
  };
}
const provider = models.bf_focus.provider;
const bfOpts = settings.restoreOptions(models.bf_focus.plan, false);
const flOpts = settings.restoreOptions(models.fl_focus.plan, true);
// The pipeline needs only the objects, not the probability map (PyTorch still computes its sigmoid).
const segOpts = settings.segmentOptions(models.segmentation.plan, MIN_OBJECT_PX, undefined, false);
console.log(
  `frame ${SIZE}×${SIZE} (demo frame 0 tiled), onnxruntime-node on ${provider}, ${THREADS} threads as ${models.bf_focus.sessions} session(s) per model (as the pipeline with one worker), ` +
    `restorers patch ${bfOpts.patchSize} overlap ${bfOpts.overlap} batch ${bfOpts.batchSize}, segmentation patch ${segOpts.patchSize} ` +
    `overlap ${segOpts.overlap} batch ${segOpts.batchSize}; ${REPEAT} rep(s), fastest kept; load average at start ${loadStart}`,
);

// Process CPU time (user + system, all threads, ms): a busy shared machine distorts it less than wall time.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function stagesOnce(bfData, flData, n) {
  const ms = {};
  const cpu = {};
  const model = {};
  const timed = async (k, fn) => {
    const c0 = cpuNow();
    const t0 = performance.now();
    const r = await fn();
    ms[k] = performance.now() - t0;
    cpu[k] = cpuNow() - c0;
    model[k] = r.modelMs;
    return r;
  };
  const bfR = await timed('bf_focus', () =>
    inf.restoreFrame({ data: bfData, height: n, width: n }, models.bf_focus.predictor, bfOpts),
  );
  await timed('fl_focus', () =>
    inf.restoreFrame({ data: flData, height: n, width: n }, models.fl_focus.predictor, flOpts),
  );
  const seg = await timed('segmentation', () =>
    inf.segmentFrame(
      { data: bfR.restored.data, height: n, width: n },
      models.segmentation.predictor,
      segOpts,
    ),
  );
  return { ms, cpu, model, objects: seg.count };
}

// Warm-up on a 512×512 crop (first run of each session at its fixed batch shape, JIT).
await stagesOnce(crop(bf, Math.min(512, SIZE)), crop(fl, Math.min(512, SIZE)), Math.min(512, SIZE));
// PyTorch availability, checked before timing anything.
let pySkip = null;
if (process.env.BENCH_SKIP_PYTORCH === '1') pySkip = 'BENCH_SKIP_PYTORCH=1';
else if (!fs.existsSync(PYTHON)) pySkip = `${PYTHON} not found`;
else {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, tifffile, scipy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0)
    pySkip = `torch (or tifffile/scipy/numpy) is not importable by ${PYTHON}: ${(probe.stderr || '').trim().split('\n').pop()}`;
}
if (pySkip) {
  console.log(
    `PyTorch reference skipped: ${pySkip}. (Debian: apt-get install python3-torch python3-tifffile python3-scipy)`,
  );
} else {
  console.log(
    `PyTorch reference: ${path.relative(root, pyScript)}, one repetition after each of ours (never at the same time: the machine has few cores; alternating spreads the shared machine's slow spells over both sides)`,
  );
}

/** One PyTorch repetition (its own warm-up on a crop, then one timed pass per mode); null on failure. */
function pytorchOnce() {
  const r = spawnSync(
    PYTHON,
    [
      pyScript,
      '--size',
      String(SIZE),
      '--repeat',
      '1',
      '--threads',
      String(THREADS),
      '--batch',
      String(bfOpts.batchSize),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 },
  );
  const line = (r.stdout || '').trim().split('\n').pop() ?? '';
  try {
    if (r.status !== 0) throw new Error(`exit ${r.status}`);
    return JSON.parse(line);
  } catch (e) {
    console.log(
      `PyTorch reference failed (${e instanceof Error ? e.message : e}); stdout tail: ${line.slice(-300)}`,
    );
    return null;
  }
}

/** Keeps, per stage and mode, the fastest PyTorch time and the CPU time of that repetition. */
function mergePytorch(best, run) {
  if (!run) return best;
  if (!best) return run;
  for (const [mode, key] of [
    ['single', null],
    ['batched', '_batched'],
  ]) {
    const dst = key ? best[key] : best;
    const src = key ? run[key] : run;
    if (!dst || !src) continue;
    for (const k of Object.keys(src)) {
      if (k.startsWith('_') || !(src[k] < (dst[k] ?? Infinity))) continue;
      dst[k] = src[k];
      const cpu = run._meta?.cpu_ms?.[mode]?.[k];
      if (cpu !== undefined && best._meta?.cpu_ms?.[mode]) best._meta.cpu_ms[mode][k] = cpu;
    }
  }
  best._meta.segmentation_objects = run._meta?.segmentation_objects ?? best._meta.segmentation_objects;
  return best;
}

const ours = { bf_focus: Infinity, fl_focus: Infinity, segmentation: Infinity };
const oursModel = {};
const oursCpu = {};
let objects = 0;
let py = null;
for (let r = 0; r < REPEAT; r++) {
  const res = await stagesOnce(bf, fl, SIZE);
  for (const k of Object.keys(ours)) {
    if (res.ms[k] < ours[k]) [ours[k], oursModel[k], oursCpu[k]] = [res.ms[k], res.model[k], res.cpu[k]];
  }
  objects = res.objects;
  console.log(
    `ours rep ${r + 1}/${REPEAT}: ` +
      Object.entries(res.ms)
        .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
        .join(', '),
  );
  if (!pySkip) py = mergePytorch(py, pytorchOnce());
}
await ortHost.releaseAllPools();
await ortHost.releaseAll();

const fmt = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(0) : '—');
const ratio = (a, b) => (typeof b === 'number' && b > 0 ? a / b : NaN);
const verdict = (x) => (Number.isFinite(x) ? (x <= TARGET ? 'meets' : 'misses') : '');
const single = py ?? {};
const batched = py?._batched ?? {};
const bs = bfOpts.batchSize;
console.log(
  `\nper ${SIZE}×${SIZE} frame, ms (fastest of ${REPEAT}); ratio = ours ÷ PyTorch, target ≤ ${TARGET}`,
);
const head = [
  'stage'.padEnd(13),
  'ours ms'.padStart(9),
  '(run())'.padStart(9),
  'PyTorch sw1'.padStart(12),
  'ratio'.padStart(7),
  'target'.padStart(8),
  '',
  `PyTorch sw${bs}`.padStart(12),
  'ratio'.padStart(7),
  '',
];
console.log(head.join(' '));
for (const k of Object.keys(ours)) {
  const r1 = ratio(ours[k], single[k]);
  const r2 = ratio(ours[k], batched[k]);
  console.log(
    [
      k.padEnd(13),
      fmt(ours[k]).padStart(9),
      fmt(oursModel[k]).padStart(9),
      fmt(single[k]).padStart(12),
      (Number.isFinite(r1) ? r1.toFixed(3) : '—').padStart(7),
      `≤ ${TARGET}`.padStart(8),
      verdict(r1).padEnd(6),
      fmt(batched[k]).padStart(12),
      (Number.isFinite(r2) ? r2.toFixed(3) : '—').padStart(7),
      verdict(r2),
    ].join(' '),
  );
}
const total = (o) => ['bf_focus', 'fl_focus', 'segmentation'].reduce((s, k) => s + (o[k] ?? NaN), 0);
const oursTotal = total(ours);
console.log(
  [
    'all three'.padEnd(13),
    fmt(oursTotal).padStart(9),
    fmt(total(oursModel)).padStart(9),
    fmt(total(single)).padStart(12),
    (Number.isFinite(ratio(oursTotal, total(single)))
      ? ratio(oursTotal, total(single)).toFixed(3)
      : '—'
    ).padStart(7),
    `≤ ${TARGET}`.padStart(8),
    verdict(ratio(oursTotal, total(single))).padEnd(6),
    fmt(total(batched)).padStart(12),
    (Number.isFinite(ratio(oursTotal, total(batched)))
      ? ratio(oursTotal, total(batched)).toFixed(3)
      : '—'
    ).padStart(7),
    verdict(ratio(oursTotal, total(batched))),
  ].join(' '),
);
console.log(
  `'(run())' = time waiting for the model (a pool's sessions overlap with the blending); PyTorch sw1 = sw_batch_size 1 (HiTMicTools' default, the target's baseline), ` +
    `sw${bs} = the same MONAI windows ${bs} per call (as ours). Segmentation goes from frame to labelled objects on both sides (PyTorch: sigmoid, > 0.5, labelling; ours: logits > 0 with the same float32 decision, labelling) ` +
    `(ours found ${objects} objects${py?._meta?.segmentation_objects != null ? `, PyTorch ${py._meta.segmentation_objects}` : ''}).`,
);
const pyCpu = py?._meta?.cpu_ms ?? {};
console.log(
  `process CPU time of the kept repetitions, ms (ours / PyTorch sw1 / sw${bs}): ` +
    Object.keys(ours)
      .map((k) => {
        const c1 = pyCpu.single?.[k];
        const c2 = pyCpu.batched?.[k];
        return `${k} ${fmt(oursCpu[k])} / ${fmt(c1)} / ${fmt(c2)}${c1 ? ` (ratio ${(oursCpu[k] / c1).toFixed(2)})` : ''}`;
      })
      .join('; ') +
    ' — less distorted by other load than wall time, but it counts threads spinning while they wait.',
);
if (py?._meta) {
  console.log(
    `PyTorch ${py._meta.torch}, ${py._meta.threads} threads, OMP_WAIT_POLICY ${py._meta.omp_wait_policy ?? 'unset (libgomp default: waiting threads spin)'}` +
      (py._meta.omp_wait_policy
        ? ''
        : '; on a busy machine its sw1 times can swing 10× between repetitions — OMP_WAIT_POLICY=PASSIVE steadies them'),
  );
}
console.log(
  `load average at start ${loadStart}, at end ${load()} (${os.cpus().length} CPUs; timings on a shared machine vary)`,
);

#!/usr/bin/env node
// Inference-core benchmark: per-stage milliseconds for one 2048×2048 frame through the restorer path
// (range01 → Gaussian sliding window → rescale) and the segmenter path (constant sliding window →
// objects, as the pipeline runs it), and the overhead ratio = (stage time) ÷ (pure session.run time on
// the same windows: one session with all the threads, nothing else), measured side by side. Target:
// ratio ≤ 1.15. Also shown: the stage against its own runner's pure time (as many calls in flight as
// the runner takes), i.e. what the JS work costs on top of the model while sharing the cores. Run after `npx tsc -p tsconfig.main.json`:  node scripts/bench/inference.mjs
// Models are loaded as the pipeline's worker loads them (ort/stage-models.ts: restorers and segmenter
// as a pool of one-thread sessions on 2 threads); HITMIC_SESSION_THREADS=0 measures one session with
// 2 intra-op threads instead. Restorer: models/demo-collection's NAFNet-bf_focus_restoration.onnx, else
// the bioimage.io nuclei U-Net fixture (../shared/fixtures), else test-support/models/double.onnx.
// Environment: BENCH_SIZE (2048), BENCH_REPEAT (3), BENCH_ROI / BENCH_BATCH (restorer fallbacks).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'dist/node/src-main');
if (!fs.existsSync(path.join(dist, 'inference/index.js'))) {
  console.error('dist/node is missing: run `npx tsc -p tsconfig.main.json` first.');
  process.exit(1);
}
const inf = require(path.join(dist, 'inference/index.js'));
const host = require(path.join(dist, 'workers/ort/index.js'));
const YAML = require('yaml');

const SIZE = Number(process.env.BENCH_SIZE ?? 2048);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const THREADS = 2;
const overlap = 0.25;
const demoDir = path.join(root, 'models/demo-collection/models');
const fixture = path.resolve(root, '../shared/fixtures/onnx/nuclei_unet_opset12/weights.onnx');
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** The collection config's patch_size for a model file, if it has one. */
function configPatchSize(file) {
  const cfg = path.join(path.dirname(path.dirname(file)), 'config.yml');
  if (!fs.existsSync(cfg)) return undefined;
  const sections = YAML.parse(fs.readFileSync(cfg, 'utf8'));
  for (const sec of Object.values(sections ?? {})) {
    if (sec?.model_path && path.basename(sec.model_path) === path.basename(file))
      return sec.inferer_args?.patch_size;
  }
  return undefined;
}

/** The restorer: the first image-to-image model found; its key decides how it is loaded. */
async function pickRestorer() {
  const candidates = [
    [path.join(demoDir, 'NAFNet-bf_focus_restoration.onnx'), 'bf_focus'],
    [fixture, 'nuclei_unet'],
    [path.join(root, 'test-support/models/double.onnx'), 'double'],
  ];
  for (const [file, key] of candidates) {
    if (!fs.existsSync(file)) continue;
    const m = await host.loadStageModel(file, { key, threads: THREADS, allowSpinning: true });
    const i = m.runner.inputs[0];
    const o = m.runner.outputs[0];
    if (i.shape.length === 4 && o.isTensor && o.shape.length === 4) return { ...m, file };
  }
  throw new Error('no image-to-image model found');
}

function syntheticFrame(n) {
  // A smooth texture with blobs: the restorer's cost does not depend on the content.
  const d = new Float32Array(n * n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      d[y * n + x] = 500 + 300 * Math.sin(x * 0.05) * Math.cos(y * 0.07) + ((x * 7 + y * 13) % 50);
  return d;
}

/** The windows of the frame, cut beforehand (not timed), as the sliding window would cut them. */
function cutWindows(data, roi) {
  const grid = inf.windowGrid(SIZE, SIZE, roi, roi, overlap);
  const wins = [];
  for (const y of grid.ys)
    for (const x of grid.xs) {
      const w = new Float32Array(roi * roi);
      for (let r = 0; r < roi; r++)
        w.set(data.subarray((y + r) * SIZE + x, (y + r) * SIZE + x + roi), r * roi);
      wins.push(w);
    }
  return wins;
}

/** Pure model time: every window through runner.run, batchSize per call, runner.concurrency in flight. */
async function pureRuns(runner, wins, roi, batchSize) {
  const name = runner.inputs[0].name;
  const depth = Math.max(1, runner.concurrency ?? 1);
  const t0 = performance.now();
  const inFlight = [];
  for (let k = 0; k < wins.length; k += batchSize) {
    const batch = new Float32Array(batchSize * roi * roi);
    for (let b = 0; b < batchSize; b++) batch.set(wins[Math.min(k + b, wins.length - 1)], b * roi * roi);
    inFlight.push(runner.run({ [name]: { data: batch, dims: [batchSize, 1, roi, roi] } }));
    if (inFlight.length >= depth) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return performance.now() - t0;
}

/**
 * Stage and pure runs alternated REPEAT times (the machine is shared): each stage run is paired with
 * the pure run next to it, so a slow spell slows both sides of a ratio. Returns the fastest stage
 * result with its pure run, and the per-repetition ratios.
 */
async function measure(stage, pure, single, repeat) {
  let best;
  const ratios = [];
  const singleRatios = [];
  for (let r = 0; r < repeat; r++) {
    // Alternate which one goes first, so neither always pays for the other's garbage.
    let p = r % 2 === 1 ? await pure() : 0;
    const t0 = performance.now();
    const out = await stage();
    const ms = performance.now() - t0;
    if (r % 2 === 0) p = await pure();
    const q = await single();
    ratios.push(ms / p);
    singleRatios.push(ms / q);
    if (!best || ms < best.ms) best = { ms, pure: p, single: q, out };
  }
  return { ...best, ratios, singleRatios };
}

function report(rows, m, what) {
  for (const [name, ms] of rows) console.log(`${name.padEnd(52)} ${ms.toFixed(1).padStart(10)} ms`);
  const best = (a) => Math.min(...a).toFixed(3);
  console.log(
    `overhead ratio (${what} ÷ pure session.run time of one session with ${THREADS} threads, each repetition ` +
      `against the run next to it): median ${median(m.singleRatios).toFixed(3)}, best ${best(m.singleRatios)}  (target ≤ 1.15)`,
  );
  console.log(
    `  against the same runner's pure time (what the JS work costs on top of the model, sharing the cores): ` +
      `median ${median(m.ratios).toFixed(3)}, best ${best(m.ratios)}`,
  );
}

/** One plain session with all the threads, for the pure session.run baseline. */
async function singleSession(file) {
  const m = await host.loadModel(file, {
    threads: THREADS,
    allowSpinning: true,
    key: `${path.basename(file)} (one session)`,
  });
  return m.runner;
}

// --- restorer -------------------------------------------------------------------------------------
const restorer = await pickRestorer();
const input = restorer.runner.inputs[0];
const roi =
  typeof input.shape[2] === 'number' && input.shape[2] > 0
    ? input.shape[2]
    : Number(process.env.BENCH_ROI ?? configPatchSize(restorer.file) ?? 256);
const batchSize =
  typeof input.shape[0] === 'number' && input.shape[0] > 0
    ? input.shape[0]
    : Number(process.env.BENCH_BATCH ?? 4);
console.log(
  `restorer ${path.relative(root, restorer.file)} on ${restorer.provider}, ${restorer.sessions} session(s) for ${THREADS} threads, ` +
    `window ${roi}, overlap ${overlap}, batch ${batchSize}, frame ${SIZE}×${SIZE}`,
);
const frame = { data: syntheticFrame(SIZE), height: SIZE, width: SIZE };
const predictor = inf.predictorFromRunner(restorer.runner);
const restoreOpts = { patchSize: roi, overlap, rescale: true, batchSize };
// Warm-up at the fixed shape (the first run at a new shape is slow) and of the JS paths (JIT).
await inf.restoreFrame(
  { data: frame.data.subarray(0, 512 * 512), height: 512, width: 512 },
  predictor,
  restoreOpts,
);
const restoreWins = cutWindows(inf.scaleFrame(frame.data, SIZE, SIZE, 'range01').data, roi);
const restorerAlone = await singleSession(restorer.file);
await pureRuns(restorerAlone, restoreWins.slice(0, batchSize), roi, batchSize);
const rest = await measure(
  () => inf.restoreFrame(frame, predictor, restoreOpts),
  () => pureRuns(restorer.runner, restoreWins, roi, batchSize),
  () => pureRuns(restorerAlone, restoreWins, roi, batchSize),
  REPEAT,
);
report(
  [
    ['scale (range01, quantile of quantiles)', rest.out.timings.scale],
    ['sliding window (gather + run + blend)', rest.out.timings.tiles],
    ['  of which waiting for the model', rest.out.modelMs],
    ['rescale', rest.out.timings.rescale],
    ['restore stage total', rest.ms],
    [`pure model time on the same ${restoreWins.length} windows (same runner)`, rest.pure],
    [`pure session.run, one session with ${THREADS} threads`, rest.single],
  ],
  rest,
  'restore stage',
);

// --- segmenter ------------------------------------------------------------------------------------
// As the pipeline runs it (constant blend, objects only, ≥ 20 px), when the demo collection's U-Net is
// there. Input: the demo movie's frame 0 tiled to SIZE×SIZE and range01-scaled (the restored BF has the
// same range), so the object scan and the labelling see real cells.
const segFile = path.join(demoDir, 'MonaiUnet-segmentation.onnx');
const moviePath = path.join(root, 'resources/demo/demo_movie.tif');
if (fs.existsSync(segFile) && fs.existsSync(moviePath)) {
  const { openMovie } = require(path.join(dist, 'io/index.js'));
  const movie = await openMovie(moviePath);
  const plane = await movie.readPlane({ t: 0, c: 0 });
  await movie.close();
  const tiled = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      tiled[y * SIZE + x] = plane.data[(y % plane.height) * plane.width + (x % plane.width)];
  const segInput = inf.scaleFrame(tiled, SIZE, SIZE, 'range01').data;
  const seg = await host.loadStageModel(segFile, {
    key: 'segmentation',
    threads: THREADS,
    allowSpinning: true,
  });
  const segRoi = Number(configPatchSize(segFile) ?? 256);
  const segPredictor = inf.predictorFromRunner(seg.runner);
  const segOpts = { patchSize: segRoi, overlap, batchSize, minSize: 20, probability: false };
  const segFrame = { data: segInput, height: SIZE, width: SIZE };
  const segWins = cutWindows(segInput, segRoi);
  // Two full frames first: the object scan and labelling loops reach optimised code only after a few
  // large calls, which a pipeline pays once per movie.
  for (let i = 0; i < 2; i++) await inf.segmentFrame(segFrame, segPredictor, segOpts);
  const segAlone = await singleSession(segFile);
  await pureRuns(segAlone, segWins.slice(0, batchSize), segRoi, batchSize);
  const s = await measure(
    () => inf.segmentFrame(segFrame, segPredictor, segOpts),
    () => pureRuns(seg.runner, segWins, segRoi, batchSize),
    () => pureRuns(segAlone, segWins, segRoi, batchSize),
    Math.max(REPEAT, 4),
  );
  const t = s.out.timings;
  console.log(
    `\nsegmenter ${path.relative(root, segFile)}, ${seg.sessions} session(s), window ${segRoi}, batch ${batchSize}, ` +
      `${segWins.length} windows, ${s.out.count} objects (fastest of ${s.ratios.length}); graph rewrites: ${seg.rewrites.join(', ') || 'none'}`,
  );
  report(
    [
      ['sliding window (gather + run + sum)', t.tiles],
      ['  of which waiting for the model', s.out.modelMs],
      ['object runs from the logit sums', t.threshold],
      ['label 4-connected + min size 20', t.label],
      ['segment stage total', s.ms],
      [`pure model time on the same ${segWins.length} windows (same runner)`, s.pure],
      [`pure session.run, one session with ${THREADS} threads`, s.single],
    ],
    s,
    'segment stage',
  );
}
await host.releaseAllPools();
await host.releaseAll();

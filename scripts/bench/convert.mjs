#!/usr/bin/env node
// PyTorch → ONNX converter (src-main/convert/): for each demo model with a .pth (bf_focus, fl_focus,
// segmentation, cell_classifier), the time to convert the .pth (fastest of BENCH_REPEAT), then the time
// of one session.run of the converted model and of the ONNX that torch 1.13 exported from the same
// weights (models/demo-collection/models/*.onnx), on the same input: the demo movie's frame 0 tiled
// to BENCH_SIZE×BENCH_SIZE and divided by 4095 for the image models, a batch of BENCH_BATCH 32×32
// crops of it for the classifier. Both sessions come from the app's session host (loadModel: the
// same options and exact rewrites), BENCH_THREADS intra-op threads each; repetitions alternate
// which model runs first; each side keeps its fastest wall time and its smallest process CPU time
// (less distorted when the machine is shared). Ratio = converted ÷ torch (target ≤ 1.05,
// i.e. the converted model at least 0.95× the speed). Never fails on timing.
// The classifier is converted twice: for any crop size (dynamic H and W, as PyTorch takes them) and
// with cropSize 32, the demo config's crop size (static H and W, as torch exported it).
// Run after `npm run build:main`:  node scripts/bench/convert.mjs
// Environment: BENCH_MODELS (comma-separated keys; all four by default), BENCH_SIZE (2048), BENCH_BATCH (512), BENCH_REPEAT (5; six times as many runs for the
// segmenter and the classifier, which take tens of milliseconds), BENCH_THREADS (2).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'dist/node/src-main');
for (const f of ['convert/index.js', 'workers/ort/index.js', 'io/index.js']) {
  if (!fs.existsSync(path.join(dist, f))) {
    console.error(`dist/node is missing (${f}): run \`npm run build:main\` first.`);
    process.exit(1);
  }
}
const { convertTorchModel, CONVERTER_VERSION } = require(path.join(dist, 'convert/index.js'));
const ortHost = require(path.join(dist, 'workers/ort/index.js'));
const { openMovie } = require(path.join(dist, 'io/index.js'));

const SIZE = Number(process.env.BENCH_SIZE ?? 2048);
const BATCH = Number(process.env.BENCH_BATCH ?? 512);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5));
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const TARGET = 1.05;
const COL = path.join(root, 'models/demo-collection');
const ALL_MODELS = [
  { key: 'bf_focus', stem: 'NAFNet-bf_focus_restoration', arch: 'NAFNet' },
  { key: 'fl_focus', stem: 'NAFNet-fl_focus_restoration', arch: 'NAFNet' },
  { key: 'segmentation', stem: 'MonaiUnet-segmentation', arch: 'MonaiUnet' },
  { key: 'cell_classifier', stem: 'FlexResNet-cell_classifier', arch: 'FlexResNet' },
];
const MODELS = process.env.BENCH_MODELS
  ? ALL_MODELS.filter((m) => process.env.BENCH_MODELS.split(',').includes(m.key))
  : ALL_MODELS;

const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

// Demo frame 0 (brightfield) tiled to SIZE×SIZE, in 12-bit units / 4095.
const movie = await openMovie(path.join(root, 'resources/demo/demo_movie.tif'));
const plane = await movie.readPlane({ t: 0, c: 0 });
await movie.close();
const frame = new Float32Array(SIZE * SIZE);
for (let y = 0; y < SIZE; y++)
  for (let x = 0; x < SIZE; x++)
    frame[y * SIZE + x] = plane.data[(y % plane.height) * plane.width + (x % plane.width)] / 4095;
const crops = new Float32Array(BATCH * 32 * 32);
for (let n = 0; n < BATCH; n++) {
  const oy = (n * 37) % (SIZE - 32);
  const ox = (n * 101) % (SIZE - 32);
  for (let y = 0; y < 32; y++)
    crops.set(frame.subarray((oy + y) * SIZE + ox, (oy + y) * SIZE + ox + 32), n * 1024 + y * 32);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-convert-'));
console.log(
  `converter ${CONVERTER_VERSION}; onnxruntime-node CPU, ${THREADS} intra-op threads per session; image models on one ${SIZE}×${SIZE} frame (N=1), ` +
    `classifier on ${BATCH} crops of 32×32; ${REPEAT} repetitions (${REPEAT * 6} for the segmenter and classifier), fastest kept; load average at start ${load()}`,
);
// Process CPU time (user + system, all threads, ms): a busy shared machine distorts it less than wall time.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// The demo config's cell_classifier min_size: the crops the pipeline feeds (ConvertInput.cropSize).
const CROP = 32;

/** Runs each session in turn `reps` times, rotating who goes first; fastest wall and CPU per session. */
async function race(runners, feed, reps) {
  for (const r of runners) await r.run(feed); // first runs at a new shape plan memory: not timed
  const wall = runners.map(() => Infinity);
  const cpu = runners.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    for (let k0 = 0; k0 < runners.length; k0++) {
      const k = (k0 + r) % runners.length;
      const c0 = cpuNow();
      const t0 = performance.now();
      await runners[k].run(feed);
      wall[k] = Math.min(wall[k], performance.now() - t0);
      cpu[k] = Math.min(cpu[k], cpuNow() - c0);
    }
  }
  return { wall, cpu };
}

try {
  for (const m of MODELS) {
    const meta = JSON.parse(fs.readFileSync(path.join(COL, 'metadata', `${m.stem}.json`), 'utf8'));
    const pth = fs.readFileSync(path.join(COL, 'models', `${m.stem}.pth`));
    const classifier = m.key === 'cell_classifier';
    // The classifier converts twice: for any crop size (dynamic H, W) and for the pipeline's crops.
    const variants = classifier ? [undefined, CROP] : [undefined];
    const files = [];
    let convertMs = Infinity;
    for (const cropSize of variants) {
      let res;
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        res = await convertTorchModel({
          checkpoint: pth,
          architecture: m.arch,
          modelArgs: meta.model_args,
          key: m.key,
          cropSize,
        });
        convertMs = Math.min(convertMs, performance.now() - t0);
      }
      const file = path.join(tmp, `${m.stem}-${cropSize ?? 'any'}.onnx`);
      fs.writeFileSync(file, res.onnx);
      files.push(file);
    }
    const torchFile = path.join(COL, 'models', `${m.stem}.onnx`);
    const opts = { prefer: 'cpu', threads: THREADS, key: m.key };
    const runners = [];
    for (const f of [torchFile, ...files]) runners.push((await ortHost.loadModel(f, opts)).runner);
    const feed = classifier
      ? { input: { data: crops, dims: [BATCH, 1, CROP, CROP] } }
      : { input: { data: frame, dims: [1, 1, SIZE, SIZE] } };
    // The small models run in tens of milliseconds, where a shared machine's noise is largest: more tries.
    const { wall, cpu } = await race(
      runners,
      feed,
      classifier || m.key === 'segmentation' ? REPEAT * 6 : REPEAT,
    );
    for (const f of [torchFile, ...files]) await ortHost.release(f);
    const verdict = (ratio) => `target ≤ ${TARGET}${ratio <= TARGET ? ', met' : ', NOT met'}`;
    const parts = variants.map((cropSize, i) => {
      const label =
        cropSize === undefined
          ? classifier
            ? 'converted (any crop)'
            : 'converted'
          : `converted (cropSize ${cropSize})`;
      const ratio = wall[i + 1] / wall[0];
      return (
        `${label} ${wall[i + 1].toFixed(0)} ms, ratio ${ratio.toFixed(3)} (${verdict(ratio)}), ` +
        `CPU ${cpu[i + 1].toFixed(0)} ms, ratio ${(cpu[i + 1] / cpu[0]).toFixed(3)}`
      );
    });
    console.log(
      `${m.key.padEnd(16)} convert ${convertMs.toFixed(0).padStart(4)} ms (${(pth.length / 1024).toFixed(0)} KiB .pth); ` +
        `run: torch export ${wall[0].toFixed(0)} ms (CPU ${cpu[0].toFixed(0)} ms); ${parts.join('; ')}`,
    );
  }
} finally {
  await ortHost.releaseAll();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`load average at end ${load()}`);

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
// Run after `npm run build:main`:  node scripts/bench/convert.mjs
// Environment: BENCH_SIZE (2048), BENCH_BATCH (512), BENCH_REPEAT (5; six times as many runs for the
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
const MODELS = [
  { key: 'bf_focus', stem: 'NAFNet-bf_focus_restoration', arch: 'NAFNet' },
  { key: 'fl_focus', stem: 'NAFNet-fl_focus_restoration', arch: 'NAFNet' },
  { key: 'segmentation', stem: 'MonaiUnet-segmentation', arch: 'MonaiUnet' },
  { key: 'cell_classifier', stem: 'FlexResNet-cell_classifier', arch: 'FlexResNet' },
];

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
try {
  for (const m of MODELS) {
    const meta = JSON.parse(fs.readFileSync(path.join(COL, 'metadata', `${m.stem}.json`), 'utf8'));
    const pth = fs.readFileSync(path.join(COL, 'models', `${m.stem}.pth`));
    let convertMs = Infinity;
    let res;
    for (let r = 0; r < REPEAT; r++) {
      const t0 = performance.now();
      res = await convertTorchModel({
        checkpoint: pth,
        architecture: m.arch,
        modelArgs: meta.model_args,
        key: m.key,
      });
      convertMs = Math.min(convertMs, performance.now() - t0);
    }
    const file = path.join(tmp, `${m.stem}.onnx`);
    fs.writeFileSync(file, res.onnx);
    const opts = { prefer: 'cpu', threads: THREADS, key: m.key };
    const ours = (await ortHost.loadModel(file, opts)).runner;
    const torch = (await ortHost.loadModel(path.join(COL, 'models', `${m.stem}.onnx`), opts)).runner;
    const feed =
      m.key === 'cell_classifier'
        ? { input: { data: crops, dims: [BATCH, 1, 32, 32] } }
        : { input: { data: frame, dims: [1, 1, SIZE, SIZE] } };
    // First runs at a new shape plan memory and kernels: not timed.
    await ours.run(feed);
    await torch.run(feed);
    const best = { ours: Infinity, torch: Infinity };
    const cpu = { ours: Infinity, torch: Infinity };
    // The small models run in tens of milliseconds, where a shared machine's noise is largest: more tries.
    const reps = m.key === 'bf_focus' || m.key === 'fl_focus' ? REPEAT : REPEAT * 6;
    for (let r = 0; r < reps; r++) {
      const order = r % 2 ? ['torch', 'ours'] : ['ours', 'torch'];
      for (const side of order) {
        const c0 = cpuNow();
        const t0 = performance.now();
        await (side === 'ours' ? ours : torch).run(feed);
        best[side] = Math.min(best[side], performance.now() - t0);
        cpu[side] = Math.min(cpu[side], cpuNow() - c0);
      }
    }
    await ortHost.release(file);
    await ortHost.release(path.join(COL, 'models', `${m.stem}.onnx`));
    const ratio = best.ours / best.torch;
    const cpuRatio = cpu.ours / cpu.torch;
    console.log(
      `${m.key.padEnd(16)} convert ${convertMs.toFixed(0).padStart(5)} ms (${(pth.length / 1024).toFixed(0)} KiB .pth)   ` +
        `run: converted ${best.ours.toFixed(0).padStart(6)} ms, torch export ${best.torch.toFixed(0).padStart(6)} ms, ` +
        `ratio ${ratio.toFixed(3)} (target ≤ ${TARGET}${ratio <= TARGET ? ', met' : ', NOT met'}); ` +
        `CPU time ${cpu.ours.toFixed(0)} / ${cpu.torch.toFixed(0)} ms, ratio ${cpuRatio.toFixed(3)}`,
    );
  }
} finally {
  await ortHost.releaseAll();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`load average at end ${load()}`);

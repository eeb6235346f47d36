#!/usr/bin/env node
// Benchmark of the image-analysis core on 2048×2048 frames (HiTMicTools' typical size, ~500 cells).
// Runs over the compiled output: first `npx tsc -p tsconfig.main.json`, then
//   nice -n 10 node scripts/bench/analysis.mjs [--size 2048] [--objects 500] [--repeat 5] [--full-fft] [--basic-frames 50]
// Prints the median wall time per frame of each stage. Timing only: it never fails on speed.
import { loadCompiled, mulberry32 as rng, numberArg } from '../bench-support.mjs';
import { cpus, loadavg } from 'node:os';

const a = loadCompiled('src-main/analysis/index.js');

const N = numberArg('size', 2048);
const OBJECTS = numberArg('objects', 500);
const REPEAT = numberArg('repeat', 5);

function median(xs) {
  const s = [...xs].sort((p, q) => p - q);
  return s[s.length >> 1];
}

function time(fn) {
  const runs = [];
  let out;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = process.hrtime.bigint();
    out = fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(runs), out };
}

// Synthetic frame: rod-shaped cells (ellipses 6–14 × 2.5–5 px semi-axes, random angle) on a textured background.
const rand = rng(42);
const labels = new Uint16Array(N * N);
let placed = 0;
for (let k = 0; k < OBJECTS * 4 && placed < OBJECTS; k++) {
  const cy = 20 + rand() * (N - 40);
  const cx = 20 + rand() * (N - 40);
  const A = 6 + rand() * 8;
  const B = 2.5 + rand() * 2.5;
  const t = rand() * Math.PI;
  const r = Math.ceil(A) + 1;
  let free = true;
  for (let y = Math.floor(cy - r); y <= cy + r && free; y++)
    for (let x = Math.floor(cx - r); x <= cx + r; x++) if (labels[y * N + x]) free = false;
  if (!free) continue;
  placed++;
  for (let y = Math.floor(cy - r); y <= cy + r; y++) {
    for (let x = Math.floor(cx - r); x <= cx + r; x++) {
      const u = (x - cx) * Math.cos(t) + (y - cy) * Math.sin(t);
      const v = -(x - cx) * Math.sin(t) + (y - cy) * Math.cos(t);
      if ((u / A) ** 2 + (v / B) ** 2 <= 1) labels[y * N + x] = placed;
    }
  }
}
const noise = new Float32Array(N * N).map(() => rand());
const tex = new a.GaussianBlur(9).apply(noise, N, N);
const intensity = new Float32Array(N * N);
for (let i = 0; i < intensity.length; i++)
  intensity[i] = 100 + 300 * tex[i] + (labels[i] ? 500 + 50 * noise[i] : 0);

// Calibration: one plain pass summing a 4M-pixel float32 frame, to compare runs on busy machines.
const calib = time(() => {
  let s = 0;
  for (let i = 0; i < intensity.length; i++) s += intensity[i];
  return s;
});
console.log(
  `load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs; calibration pass (sum of ${N}×${N}) ${calib.ms.toFixed(1)} ms`,
);
console.log(
  `analysis bench: ${N}×${N} frame, ${placed} objects, median of ${REPEAT} runs (node ${process.version})`,
);
const hull = new a.ConvexAreaCounter();
const m = time(() => a.measureFrame(labels, intensity, N, N, { frame: 0, channel: 1, hull }));
console.log(`  measureFrame (13 columns)          ${m.ms.toFixed(1)} ms  (${m.out.label.length} rows)`);
const scratch = new Float32Array(N * N);
const bg = time(() => a.backgroundLevel(intensity, labels, N, N, { scratch }));
console.log(`  backgroundLevel (10th percentile)  ${bg.ms.toFixed(1)} ms  (background ${bg.out.toFixed(3)})`);
for (const px of [0.65, 0.325]) {
  const k = a.backgroundKernelSize(px);
  const blur = new a.GaussianBlur(k);
  const out = new Float32Array(N * N);
  const g = time(() => a.correctBackgroundStandard(intensity, N, N, px, out, blur));
  console.log(`  correctBackgroundStandard k=${String(k).padEnd(3)}   ${g.ms.toFixed(1)} ms  (${px} µm/px)`);
}
// Drift: frame 1 is frame 0's texture moved by (+13.4, −7.6) px.
const frame1 = a.applyShift(intensity, N, N, 13.4, -7.6);
for (let i = 0; i < frame1.length; i++) if (frame1[i] === 0) frame1[i] = 100;
const d = time(() => {
  const est = new a.DriftEstimator(N, N);
  est.next(intensity);
  const t0 = process.hrtime.bigint();
  const s = est.next(frame1);
  return { s, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
});
console.log(
  `  DriftEstimator.next (pyramid)      ${d.out.ms.toFixed(1)} ms  (found dx ${d.out.s.dx}, dy ${d.out.s.dy}; expected −13.4, +7.6)`,
);
if (process.argv.includes('--full-fft')) {
  const est = new a.DriftEstimator(N, N, { coarseSize: N });
  est.next(intensity);
  const t0 = process.hrtime.bigint();
  const s = est.next(frame1);
  console.log(
    `  DriftEstimator.next (full FFT)     ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms  (found dx ${s.dx}, dy ${s.dy})`,
  );
}
// BaSiC (basicpy / basicpy_fl): shrinking one frame to the working size, the fit over a movie's
// working-size stack, and the per-frame transform at full size.
{
  const stack = new a.BasicStack(N, N, 1);
  const add = time(() => stack.add(intensity));
  console.log(`  BasicStack.add (to 128×128)        ${add.ms.toFixed(1)} ms per frame`);
  const FRAMES = numberArg('basic-frames', 50);
  const small = stack.images.slice(0, 128 * 128);
  const movie = new a.BasicStack(128, 128, FRAMES);
  const frame = new Float32Array(128 * 128);
  const rand2 = rng(7);
  for (let t = 0; t < FRAMES; t++) {
    // Each frame its own level (bleaching) and objects moved: roll the small frame by t·5 px.
    for (let i = 0; i < frame.length; i++)
      frame[i] = small[(i + t * 5 * 128) % frame.length] * (1 - 0.005 * t) + rand2();
    movie.add(frame);
  }
  const t0 = process.hrtime.bigint();
  const fit = a.fitBasic(movie);
  const fitMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(
    `  fitBasic (${FRAMES} frames at 128×128)     ${fitMs.toFixed(0)} ms  (iterations ${fit.iterations.join(', ')})`,
  );
  const flat = a.basicFlatfieldAtSize(fit, N, N);
  const out = new Float32Array(N * N);
  const tr = time(() => a.correctBasicTimelapse(intensity, flat, fit.baseline[0], out));
  console.log(`  correctBasicTimelapse              ${tr.ms.toFixed(1)} ms per frame`);
}

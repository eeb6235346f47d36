#!/usr/bin/env node
// Benchmark of the tracking core on a HiTMicTools-sized movie: 100 frames × 500 cells
// (2048×2048 field, random walk σ≈1.2 px/frame, 2 % detections missed per frame, slow growth).
// Runs over the compiled output: first `npx tsc -p tsconfig.main.json`, then
//   nice -n 10 node scripts/bench/tracking.mjs [--frames 100] [--cells 500] [--repeat 3]
// Prints the median wall time of each tracker (and of one 1000×1000 assignment) and the track
// counts, so a speed-up that breaks linking is visible. Timing only: it never fails on speed.
import { loadCompiled, mulberry32 as rng, numberArg } from '../bench-support.mjs';

const t = loadCompiled('src-main/tracking/index.js');

const FRAMES = numberArg('frames', 100);
const CELLS = numberArg('cells', 500);
const REPEAT = numberArg('repeat', 3);

function movie() {
  const r = rng(2024);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const cells = Array.from({ length: CELLS }, () => ({ y: r() * 2048, x: r() * 2048, a: 60 + 40 * r() }));
  const frame = [],
    c0 = [],
    c1 = [],
    area = [],
    major = [],
    minor = [];
  for (let f = 0; f < FRAMES; f++) {
    for (const c of cells) {
      c.y += 1.2 * gauss();
      c.x += 1.2 * gauss();
      c.a *= 1.002;
      if (r() < 0.02) continue;
      frame.push(f);
      c0.push(c.y);
      c1.push(c.x);
      area.push(c.a);
      major.push(Math.sqrt(c.a) * 1.3);
      minor.push(Math.sqrt(c.a) * 0.8);
    }
  }
  return {
    frame: Int32Array.from(frame),
    centroid_0: Float64Array.from(c0),
    centroid_1: Float64Array.from(c1),
    area: Float64Array.from(area),
    major_axis_length: Float64Array.from(major),
    minor_axis_length: Float64Array.from(minor),
  };
}

function time(fn) {
  const ms = [];
  let out;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], out };
}

const table = movie();
console.log(
  `tracking: ${FRAMES} frames × ${CELLS} cells = ${table.frame.length} detections, median of ${REPEAT}`,
);
const cell = t.parseBtrackConfig({
  motion_model: {
    measurements: 3,
    states: 6,
    max_lost: 5,
    A: {
      matrix: [
        1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
        0, 1,
      ],
    },
    H: { matrix: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
    P: {
      sigma: 150,
      matrix: [
        0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 1,
      ],
    },
    G: { sigma: 15, matrix: [0.5, 0.5, 0.5, 1, 1, 1] },
    R: { sigma: 5, matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  },
  max_search_radius: 50,
});
const rows = [
  ['Hungarian v2 (defaults)', () => t.trackHungarianV2(table)],
  ['Hungarian v5 (defaults)', () => t.trackHungarianV5(table)],
  ['Kalman linker (btrack cell model, r=50)', () => t.trackKalman(cell, table)],
];
for (const [name, fn] of rows) {
  const { ms, out } = time(fn);
  const s = out.summary;
  console.log(
    `${name.padEnd(42)} ${ms.toFixed(0).padStart(7)} ms  (${((ms / FRAMES) * 1000).toFixed(0)} µs/frame)  ` +
      `tracks ${s.tracks}, full-length ${s.fullLengthTracks}, links ${s.links}, bridged ${s.bridgedLinks}` +
      (s.tracker === 'hungarian-v5'
        ? `, reid ${s.reidentified}, divisions ${s.divisions}, stitches ${s.stitches}`
        : ''),
  );
}
const r = rng(7);
const big = Float64Array.from({ length: 1000 * 1000 }, () => r() * 1000);
const { ms } = time(() => t.linearSumAssignment(big, 1000, 1000));
console.log(`${'linearSumAssignment 1000×1000 (uniform random)'.padEnd(42)} ${ms.toFixed(0).padStart(7)} ms`);

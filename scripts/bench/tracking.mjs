#!/usr/bin/env node
// Benchmark of tracking, in two parts (timing only: it never fails on speed or scores):
//
// 1. Cell Tracking Challenge scores and wall time of `hitmic track` (the real CLI, reading the label
//    movie and writing a CTC result) for each backend on the synthetic dense colony
//    (test-support/tracking/colony-dense: 53 frames of 1300×1000, 3471 objects, 330 divisions, labels
//    renumbered at random in every frame), scored by `hitmic evaluate-tracking` against its ground
//    truth.
// 2. Time of the tracker cores against frames × objects on a random-walk movie (2048×2048 field,
//    σ≈1.2 px/frame, 2 % detections missed per frame, slow growth), median of --repeat runs.
//
//   npm run bench -- tracking [--repeat 3] [--sizes 50x250,100x500,100x1000] [--skip-colony]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCompiled, mulberry32 as rng, numberArg } from '../bench-support.mjs';

const t = loadCompiled('src-main/tracking/index.js');
const REPEAT = numberArg('repeat', 3);
const sizesArg = process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1] : null;
const SIZES = (sizesArg ?? '50x250,100x500,100x1000').split(',').map((s) => s.split('x').map(Number));
const colony = path.resolve('test-support/tracking/colony-dense');

function hitmic(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.resolve('bin/hitmic.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hitmic ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

const pct = (x) => (x === null ? '   n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);

if (!process.argv.includes('--skip-colony')) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-tracking-'));
  // btrack's cell_config.json as published (btrack's user guide), and at btrack's default accuracy
  const cell = (accuracy) => ({
    name: 'cell_config',
    motion_model: {
      ...t.BACTERIA_BTRACK_CONFIG.motion_model,
      accuracy,
      prob_not_assign: 0.1,
      max_lost: 5,
      P: { ...t.BACTERIA_BTRACK_CONFIG.motion_model.P, sigma: 150 },
      G: { ...t.BACTERIA_BTRACK_CONFIG.motion_model.G, sigma: 15 },
      R: { ...t.BACTERIA_BTRACK_CONFIG.motion_model.R, sigma: 5 },
    },
    hypothesis_model: t.BACTERIA_BTRACK_CONFIG.hypothesis_model,
  });
  fs.writeFileSync(path.join(tmp, 'cell_config.json'), JSON.stringify(cell(7.5)));
  fs.writeFileSync(path.join(tmp, 'cell_config_acc2.json'), JSON.stringify(cell(2)));
  fs.writeFileSync(
    path.join(tmp, 'v5_25px.yml'),
    'tracking:\n  backend: hungarian\n  version: v5\n  parameters:\n    division_search_radius: 25\n',
  );
  const backends = [
    ['btrack, built-in (hitmic_bacteria)', []],
    ["btrack, btrack's cell_config", ['--btrack-config', path.join(tmp, 'cell_config.json')]],
    ['btrack, cell_config at accuracy 2', ['--btrack-config', path.join(tmp, 'cell_config_acc2.json')]],
    ['Hungarian v2, defaults (25 px)', ['--backend', 'hungarian', '--version', 'v2']],
    ['Hungarian v5, defaults', ['--backend', 'hungarian', '--version', 'v5']],
    ['Hungarian v5, division_search_radius 25', ['--config', path.join(tmp, 'v5_25px.yml')]],
  ];
  console.log(
    'dense colony (53 frames 1300×1000, 3471 objects, 330 divisions): hitmic track wall time and CTC scores',
  );
  console.log(
    `${'backend'.padEnd(44)} ${'track s'.padStart(8)}   DET     TRA    link P  link R   div P   div R`,
  );
  try {
    for (const [name, args] of backends) {
      const out = path.join(tmp, `res-${backends.findIndex((b) => b[0] === name)}`);
      const run = hitmic(['track', path.join(colony, 'labels.tif'), '--output', out, ...args]);
      const s = JSON.parse(hitmic(['evaluate-tracking', out, path.join(colony, 'GT'), '--json']).stdout);
      console.log(
        `${name.padEnd(44)} ${(run.ms / 1000).toFixed(1).padStart(8)}  ${s.DET.toFixed(4)}  ${s.TRA.toFixed(4)}  ${pct(s.links.precision)}  ${pct(s.links.recall)}  ${pct(s.divisions.precision)}  ${pct(s.divisions.recall)}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
}

function movie(frames, cells) {
  const r = rng(2024);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const pop = Array.from({ length: cells }, () => ({ y: r() * 2048, x: r() * 2048, a: 60 + 40 * r() }));
  const cols = { frame: [], c0: [], c1: [], area: [], major: [], minor: [] };
  for (let f = 0; f < frames; f++) {
    for (const c of pop) {
      c.y += 1.2 * gauss();
      c.x += 1.2 * gauss();
      c.a *= 1.002;
      if (r() < 0.02) continue;
      cols.frame.push(f);
      cols.c0.push(c.y);
      cols.c1.push(c.x);
      cols.area.push(c.a);
      cols.major.push(Math.sqrt(c.a) * 1.3);
      cols.minor.push(Math.sqrt(c.a) * 0.8);
    }
  }
  return {
    frame: Int32Array.from(cols.frame),
    centroid_0: Float64Array.from(cols.c0),
    centroid_1: Float64Array.from(cols.c1),
    area: Float64Array.from(cols.area),
    major_axis_length: Float64Array.from(cols.major),
    minor_axis_length: Float64Array.from(cols.minor),
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

const cell = t.parseBtrackConfig(t.BACTERIA_BTRACK_CONFIG);
const trackers = [
  ['Hungarian v2', (tb) => t.trackHungarianV2(tb)],
  ['Hungarian v5', (tb) => t.trackHungarianV5(tb)],
  [
    'btrack (built-in config)',
    (tb) => t.trackKalman(cell, tb, { volume: { minX: 0, maxX: 2048, minY: 0, maxY: 2048 } }),
  ],
];
console.log(`tracker cores vs frames × cells (random walk on 2048×2048), median of ${REPEAT}, ms`);
console.log(
  `${'frames × cells'.padEnd(16)} ${'detections'.padStart(10)} ${trackers.map(([n]) => n.padStart(26)).join('')}`,
);
for (const [frames, cells] of SIZES) {
  const table = movie(frames, cells);
  const cols = trackers.map(([, fn]) => {
    const { ms, out } = time(() => fn(table));
    return `${ms.toFixed(0)} (${out.summary.tracks} tracks)`.padStart(26);
  });
  console.log(
    `${`${frames} × ${cells}`.padEnd(16)} ${String(table.frame.length).padStart(10)} ${cols.join('')}`,
  );
}
const r = rng(7);
const big = Float64Array.from({ length: 1000 * 1000 }, () => r() * 1000);
const { ms } = time(() => t.linearSumAssignment(big, 1000, 1000));
console.log(`linearSumAssignment 1000×1000 (uniform random): ${ms.toFixed(0)} ms`);

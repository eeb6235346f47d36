#!/usr/bin/env node
// Pipeline memory: peak RSS of the whole `hitmic run` process tree (the CLI process plus its worker
// processes) over a long 2048×2048 movie against a short one. The pipeline streams frames, so memory
// must not grow with movie length. Target: peak(long) ≤ 1.3 × peak(short).
// The movies are synthetic, written with our HyperstackWriter into os.tmpdir(): 2048×2048, 2 channels
// (bright field, PI), uint16, uncompressed; frame t = demo movie frame (t mod 20) tiled 4×4.
// Each run is `node bin/hitmic.js run CONFIG --json` in its own child process (ASCT_focusrestore, the demo
// collection, tracking with hungarian v5, export_labelled_masks), sampled every 200 ms: VmRSS of the CLI
// pid and all its descendants (summed = tree RSS), plus each process's VmHWM as last seen before it exits.
// Run after `npx tsc -p tsconfig.main.json`:
//   node scripts/bench/pipeline-memory.mjs [--frames-short 10] [--frames-long 100] [--no-focus] [--keep]
// or through `npm run bench -- pipeline-memory` with the environment: BENCH_FRAMES_SHORT, BENCH_FRAMES_LONG,
// BENCH_NO_FOCUS=1, BENCH_SIZE (2048), BENCH_SAMPLE_MS (200), BENCH_KEEP=1.
// Several seconds per frame on 2 CPU cores (halved by --no-focus: focus_correction false, no restorers).
// Never fails on the ratio; exits non-zero only when a run itself fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'dist/node/src-main');
if (!fs.existsSync(path.join(dist, 'io/index.js')) || !fs.existsSync(path.join(dist, 'cli/main.js'))) {
  console.error('dist/node is missing: run `npx tsc -p tsconfig.main.json` first.');
  process.exit(1);
}
if (!fs.existsSync('/proc/self/status')) {
  console.log('pipeline-memory: no /proc on this system (Linux only); skipped.');
  process.exit(0);
}
const { HyperstackWriter, openMovie } = require(path.join(dist, 'io/index.js'));
const { demoConfig } = require(path.join(dist, 'demo/index.js'));

const { values: opt } = parseArgs({
  options: {
    'frames-short': { type: 'string', default: process.env.BENCH_FRAMES_SHORT ?? '10' },
    'frames-long': { type: 'string', default: process.env.BENCH_FRAMES_LONG ?? '100' },
    'no-focus': { type: 'boolean', default: process.env.BENCH_NO_FOCUS === '1' },
    keep: { type: 'boolean', default: process.env.BENCH_KEEP === '1' },
    size: { type: 'string', default: process.env.BENCH_SIZE ?? '2048' },
    'sample-ms': { type: 'string', default: process.env.BENCH_SAMPLE_MS ?? '200' },
  },
});
const SIZE = Number(opt.size);
const SHORT = Number(opt['frames-short']);
const LONG = Number(opt['frames-long']);
const FOCUS = !opt['no-focus'];
const SAMPLE_MS = Number(opt['sample-ms']);
const TARGET = 1.3;
const MB = 1024 * 1024;
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-memory-'));
const collection = path.join(root, 'models/demo-collection');
const demoMovie = path.join(root, 'resources/demo/demo_movie.tif');

// ---------------------------------------------------------------- movies
async function writeMovie(file, frames) {
  const demo = await openMovie(demoMovie);
  const T0 = demo.info.shape.t;
  const w = await HyperstackWriter.create(file, {
    width: SIZE,
    height: SIZE,
    dtype: 'uint16',
    channels: 2,
    frames,
    frameIntervalS: demo.info.frameIntervalS ?? 600,
    pixelSizeUm: demo.info.pixelSizeUm ?? 0.65,
  });
  const plane = new Uint16Array(SIZE * SIZE);
  try {
    for (let t = 0; t < frames; t++) {
      for (let c = 0; c < 2; c++) {
        const p = await demo.readPlane({ t: t % T0, c });
        const { width: pw, height: ph } = p;
        for (let y = 0; y < SIZE; y++) {
          const src = (y % ph) * pw;
          for (let x = 0; x < SIZE; x++) plane[y * SIZE + x] = p.data[src + (x % pw)];
        }
        await w.writePlane(plane);
      }
    }
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  } finally {
    await demo.close();
  }
}

function writeConfig(name, movieFile, outDir) {
  const file = path.join(work, `${name}_config.yml`);
  const config = demoConfig({ movie: movieFile, collection }, outDir, {
    focusCorrection: FOCUS,
    header: 'written by scripts/bench/pipeline-memory.mjs',
  });
  fs.writeFileSync(file, config);
  return file;
}

// ---------------------------------------------------------------- /proc sampling
function readStatus(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) * 1024 : 0;
    };
    const name = (s.match(/^Name:\s+(.*)$/m) ?? [])[1] ?? '?';
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), name };
  } catch {
    return null; // gone
  }
}
const haveChildrenFile = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
function childrenOf(pid) {
  if (haveChildrenFile) {
    const out = [];
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        try {
          const txt = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
          if (txt) out.push(...txt.split(/\s+/).map(Number));
        } catch {
          /* thread gone */
        }
      }
    } catch {
      /* process gone */
    }
    return out;
  }
  // Fallback: scan /proc/*/stat for the parent pid (field 4, after the parenthesised name).
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

// ---------------------------------------------------------------- one run
function runPipeline(name, config) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/hitmic.js'), 'run', config, '--json', '--force'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const procs = new Map(); // pid -> {name, hwm, rss, first, last}
    let peakTree = 0;
    let peakAt = 0;
    let peakCount = 0;
    const marks = []; // progress lines with the tree RSS at that moment
    let lastTree = 0;
    const sample = () => {
      let sum = 0;
      const pids = tree(child.pid);
      for (const pid of pids) {
        const s = readStatus(pid);
        if (!s) continue;
        sum += s.rss;
        const p = procs.get(pid) ?? { name: s.name, hwm: 0, rss: 0, first: Date.now() - t0, pid };
        p.hwm = Math.max(p.hwm, s.hwm);
        p.rss = Math.max(p.rss, s.rss);
        p.last = Date.now() - t0;
        procs.set(pid, p);
      }
      lastTree = sum;
      if (sum > peakTree) [peakTree, peakAt, peakCount] = [sum, Date.now() - t0, pids.length];
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      for (const line of String(d).split('\n')) {
        const m = line.match(/: frames (\d+)\/(\d+)/);
        if (m) {
          sample();
          marks.push({
            done: Number(m[1]),
            total: Number(m[2]),
            s: (Date.now() - t0) / 1000,
            treeMb: lastTree / MB,
          });
          console.log(
            `  [${name}] frames ${m[1]}/${m[2]} after ${((Date.now() - t0) / 1000).toFixed(0)} s, tree RSS ${(lastTree / MB).toFixed(0)} MB, peak so far ${(peakTree / MB).toFixed(0)} MB`,
          );
        } else if (line.trim() && !/^\S+: \w+ \d+\/\d+$/.test(line.trim())) {
          console.log(`  [${name}] ${line.trim()}`);
        }
      }
    });
    child.on('close', (code) => {
      clearInterval(timer);
      let report = null;
      try {
        report = JSON.parse(stdout);
      } catch {
        /* not JSON */
      }
      resolve({
        code,
        seconds: (Date.now() - t0) / 1000,
        peakTree,
        peakAt: peakAt / 1000,
        peakCount,
        procs: [...procs.values()],
        marks,
        report,
        stderr,
      });
    });
  });
}

// ---------------------------------------------------------------- main
console.log(
  `pipeline-memory: ${SIZE}×${SIZE}, 2 channels uint16, ${SHORT} vs ${LONG} frames, focus_correction ${FOCUS}` +
    `${FOCUS ? '' : ' (--no-focus: restorers skipped to halve the time)'}, sampling every ${SAMPLE_MS} ms; ` +
    `${os.cpus().length} CPUs, load average ${load()}; work folder ${work}`,
);
const runs = [];
let failed = false;
try {
  for (const [name, frames] of [
    ['short', SHORT],
    ['long', LONG],
  ]) {
    const movie = path.join(work, `mem_${name}_${frames}f.tif`);
    const t0 = Date.now();
    await writeMovie(movie, frames);
    console.log(
      `wrote ${path.basename(movie)} (${frames} frames, ${(fs.statSync(movie).size / MB).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const config = writeConfig(name, movie, path.join(work, `out_${name}`));
    console.log(`running the pipeline on ${frames} frames (load average ${load()}) …`);
    const r = await runPipeline(name, config);
    const m = r.report?.movies?.[0];
    if (r.code !== 0 || !m?.ok) {
      failed = true;
      console.log(
        `  run '${name}' failed (exit ${r.code}): ${m?.error ?? r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    runs.push({ name, frames, ...r, objects: m?.objects, tracks: m?.tracks, timings: m?.timings_ms });
    fs.rmSync(movie, { force: true }); // 16 MB a frame: do not keep it around longer than needed
  }
} finally {
  if (!opt.keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

console.log(
  `\npeak RSS of the process tree (CLI + workers), sampled every ${SAMPLE_MS} ms; focus_correction ${FOCUS}`,
);
console.log(
  [
    'run'.padEnd(6),
    'frames'.padStart(6),
    'seconds'.padStart(8),
    's/frame'.padStart(8),
    'peak tree MB'.padStart(13),
    'at s'.padStart(6),
    'objects'.padStart(8),
    'tracks'.padStart(7),
    '  per-process VmHWM MB',
  ].join(' '),
);
for (const r of runs) {
  const hwm = r.procs
    .filter((p) => p.hwm > 0)
    .sort((a, b) => b.hwm - a.hwm)
    .map((p) => `${p.pid === r.procs[0]?.pid ? 'cli' : p.name} ${(p.hwm / MB).toFixed(0)}`)
    .join(', ');
  console.log(
    [
      r.name.padEnd(6),
      String(r.frames).padStart(6),
      r.seconds.toFixed(0).padStart(8),
      (r.seconds / r.frames).toFixed(1).padStart(8),
      (r.peakTree / MB).toFixed(0).padStart(13),
      r.peakAt.toFixed(0).padStart(6),
      String(r.objects ?? '—').padStart(8),
      String(r.tracks ?? '—').padStart(7),
      `  ${hwm}`,
    ].join(' '),
  );
}
for (const r of runs) {
  if (r.marks.length)
    console.log(
      `${r.name}: tree RSS at progress marks: ${r.marks.map((k) => `${k.done}/${k.total} ${k.treeMb.toFixed(0)} MB`).join(', ')}`,
    );
  if (r.timings) console.log(`${r.name}: stage ms ${JSON.stringify(r.timings)}`);
}
if (runs.length === 2 && runs[0].peakTree > 0 && runs[1].peakTree > 0) {
  const ratio = runs[1].peakTree / runs[0].peakTree;
  const hwmSum = (r) => r.procs.reduce((s, p) => s + p.hwm, 0);
  console.log(
    `ratio long/short peak tree RSS: ${ratio.toFixed(3)} (${runs[1].frames} vs ${runs[0].frames} frames; target ≤ ${TARGET}: ${ratio <= TARGET ? 'meets' : 'misses'}); ` +
      `sum of per-process VmHWM: ${(hwmSum(runs[1]) / MB).toFixed(0)} vs ${(hwmSum(runs[0]) / MB).toFixed(0)} MB (ratio ${(hwmSum(runs[1]) / hwmSum(runs[0])).toFixed(3)})`,
  );
}
console.log(`load average at end ${load()}`);
process.exit(failed ? 1 : 0);

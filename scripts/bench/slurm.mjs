#!/usr/bin/env node
// Slurm: four copies of the demo movie analysed (a) by `hitmic run --workers 2` on this machine and
// (b) by `hitmic submit --slurm` as a four-task array on a real single-node Slurm started here
// (test-support/local-slurm.mjs: munged, slurmctld, slurmd on localhost), each task with one CPU, so
// that both sides use the same cores: two movies at a time, one onnxruntime thread each. Wall time
// from the command to the last result (for Slurm: submit, then `hitmic status --wait`). Repetitions
// alternate the two sides. Prints the times and their ratio; never fails on them.
// Needs root and Debian's slurm-wlm + munge (as .ci/run installs them); says why and exits 0 otherwise.
//   npm run bench -- slurm [--repeat 1] [--frames 0:20] [--no-focus] [--movies 4]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCompiled } from '../bench-support.mjs';
import { startLocalSlurm } from '../../test-support/local-slurm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);
const { demoConfig, demoPaths } = loadCompiled('src-main/demo/index.js');
const { values: opt } = parseArgs({
  options: {
    repeat: { type: 'string', default: '1' },
    frames: { type: 'string', default: '0:20' },
    movies: { type: 'string', default: '4' },
    'no-focus': { type: 'boolean', default: false },
  },
});
const CLI = path.join(root, 'bin', 'hitmic.js');
const MOVIES = Number(opt.movies);

function hitmic(args, env) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const slurm = await startLocalSlurm();
if (!slurm.ok) {
  console.log(`slurm: skipped — ${slurm.reason}`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-slurm-'));
const env = { ...slurm.env, HITMIC_JOBS_DIR: path.join(tmp, 'jobs') };
let failed = false;
try {
  const movies = path.join(tmp, 'movies');
  fs.mkdirSync(movies);
  const demo = demoPaths();
  for (let i = 0; i < MOVIES; i++) fs.copyFileSync(demo.movie, path.join(movies, `movie_${i}.tif`));
  const config = (out) => {
    const file = path.join(tmp, `${path.basename(out)}.yml`);
    const text = demoConfig({ movie: path.join(movies, 'x.tif'), collection: demo.collection }, out, {
      focusCorrection: !opt['no-focus'],
    }).replace(/file_pattern: .*/, 'file_pattern: ""');
    fs.writeFileSync(file, `${text}\ncluster:\n  cpus_per_task: 1\n  mem: 4G\n`);
    return file;
  };
  const times = { local: [], slurm: [] };
  console.log(
    `${MOVIES} demo movies (512×512, frames ${opt.frames}, focus restoration ${opt['no-focus'] ? 'off' : 'on'}), ` +
      `${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
  );
  for (let rep = 0; rep < Number(opt.repeat); rep++) {
    const order = rep % 2 === 0 ? ['local', 'slurm'] : ['slurm', 'local'];
    for (const side of order) {
      const out = path.join(tmp, `out-${side}-${rep}`);
      const cfg = config(out);
      const t0 = performance.now();
      if (side === 'local') {
        const r = await hitmic(
          ['run', cfg, '--workers', '2', '--frames', opt.frames, '--force', '--json'],
          env,
        );
        if (r.status !== 0) throw new Error(`hitmic run failed: ${r.stderr}`);
      } else {
        const s = await hitmic(['submit', cfg, '--slurm', '--frames', opt.frames, '--force'], env);
        if (s.status !== 0) throw new Error(`hitmic submit failed: ${s.stderr}`);
        const job = s.stdout.trim();
        const w = await hitmic(['status', job, '--wait', '--interval', '0.5', '--json'], env);
        const st = JSON.parse(w.stdout);
        if (st.counts.complete !== MOVIES) throw new Error(`job ${job}: ${JSON.stringify(st.counts)}`);
      }
      const s = (performance.now() - t0) / 1000;
      times[side].push(s);
      console.log(
        `  ${side === 'local' ? 'hitmic run --workers 2' : 'Slurm array, 1 CPU/task'}: ${s.toFixed(1)} s`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const l = median(times.local);
  const sl = median(times.slurm);
  console.log(
    `median wall time: hitmic run --workers 2 ${l.toFixed(1)} s, Slurm array ${sl.toFixed(1)} s ` +
      `(Slurm ÷ local ${(sl / l).toFixed(2)}; load now ${os.loadavg()[0].toFixed(2)})`,
  );
} catch (err) {
  failed = true;
  console.error(`slurm bench: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await slurm.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

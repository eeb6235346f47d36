// Benchmark of resource control (not a test; prints numbers, never fails on timing).
//   node scripts/bench/resources.mjs [--iterations N] [--workers K] [--seconds S]
// 1. Uncontended acquire + release on a private booking directory: median and p90 (target < 10 ms).
// 2. Throughput under contention: K processes loop acquire(1 GB of 2 GB) → release for S seconds;
//    prints grants per second and the median wait per grant.
// Requires the compiled Node side: npm run build:main.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const libPath = path.resolve(here, '../../dist/node/src-main/resources/index.js');
if (!fs.existsSync(libPath)) {
  console.error(`resources bench: ${libPath} is missing; run 'npm run build:main' first`);
  process.exit(2);
}
const { acquireReservation } = createRequire(import.meta.url)(libPath);
const quiet = { info() {}, warn() {} };

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Worker mode: loop acquire/release until the deadline, then print one JSON line of results. */
async function worker(dir, untilMs) {
  const waits = [];
  let grants = 0;
  while (Date.now() < untilMs) {
    const t0 = performance.now();
    const r = await acquireReservation({
      device: 'cpu',
      gb: 1,
      capacityGb: 2,
      dir,
      timeoutMs: 30_000,
      log: quiet,
    });
    waits.push(performance.now() - t0);
    grants++;
    await r.release();
  }
  process.stdout.write(`${JSON.stringify({ grants, waits })}\n`);
}

async function main() {
  if (process.argv[2] === '--worker') return worker(process.argv[3], Number(process.argv[4]));
  const iterations = arg('iterations', 200);
  const workers = arg('workers', 4);
  const seconds = arg('seconds', 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-res-bench-'));
  try {
    // 1. Uncontended.
    const total = [];
    const acq = [];
    const rel = [];
    for (let i = 0; i < iterations + 10; i++) {
      const t0 = performance.now();
      const r = await acquireReservation({ device: 'cpu', gb: 1, capacityGb: 2, dir, log: quiet });
      const t1 = performance.now();
      await r.release();
      const t2 = performance.now();
      if (i < 10) continue; // warm-up
      acq.push(t1 - t0);
      rel.push(t2 - t1);
      total.push(t2 - t0);
    }
    const ms = (x) => `${x.toFixed(2)} ms`;
    console.log(
      `machine: ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, booking dir ${os.tmpdir()}`,
    );
    console.log(
      `uncontended acquire+release (n=${iterations}): median ${ms(quantile(total, 0.5))}, p90 ${ms(quantile(total, 0.9))} (target < 10 ms)`,
    );
    console.log(`  acquire median ${ms(quantile(acq, 0.5))}, release median ${ms(quantile(rel, 0.5))}`);

    // 2. Contention: K processes, capacity for 2 at a time, hold time ~0.
    const until = Date.now() + 1500 + seconds * 1000; // processes start within the first 1.5 s
    const startAt = Date.now();
    const self = fileURLToPath(import.meta.url);
    const results = await Promise.all(
      Array.from({ length: workers }, () => {
        const p = spawn(process.execPath, [self, '--worker', dir, String(until)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        return new Promise((resolve) => p.on('exit', () => resolve(JSON.parse(out))));
      }),
    );
    const elapsedS = (Date.now() - startAt) / 1000;
    const grants = results.reduce((a, r) => a + r.grants, 0);
    const waits = results.flatMap((r) => r.waits);
    console.log(
      `contention (${workers} processes, 1 GB each of 2 GB, no hold): ${grants} grants in ${elapsedS.toFixed(1)} s ` +
        `= ${(grants / elapsedS).toFixed(0)} grants/s; wait per grant median ${ms(quantile(waits, 0.5))}, p90 ${ms(quantile(waits, 0.9))}, ` +
        `max ${ms(Math.max(...waits))}; per process: ${results.map((r) => r.grants).join(', ')}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api';
import { readBookingFile } from '../resources';
import { WorkerPool } from './worker-pool';

/** Real worker processes and a real booking file in a private TMPDIR. */
describe('WorkerPool', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-pool-'));
  const savedTmp = process.env.TMPDIR;
  let pool: WorkerPool;
  beforeAll(() => {
    process.env.TMPDIR = tmp; // inherited by the forked workers: their booking file lives here
    pool = new WorkerPool(2, { cancelGraceMs: 500 });
  });
  afterAll(async () => {
    await pool.dispose();
    process.env.TMPDIR = savedTmp;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs jobs on num_workers processes in parallel', async () => {
    const t0 = Date.now();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => pool.submit({ method: 'sleep', params: { ms: 400 } })),
    );
    const elapsed = Date.now() - t0;
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(800); // two rounds of two
  });

  it('books memory per job in the worker and never exceeds the capacity', async () => {
    const reservation = { device: 'cpu', gb: 0.6, capacityGb: 1, timeoutMs: 20_000, stage: 'segmentation' };
    const spans: [number, number][] = [];
    await Promise.all(
      [0, 1].map(async () => {
        const start = Date.now();
        await pool.submit({ method: 'sleep', params: { ms: 500 }, reservation });
        spans.push([start, Date.now()]);
      }),
    );
    const [a, b] = spans.sort((x, y) => x[1] - y[1]);
    // 0.6 + 0.6 > 1 GB: the second job had to wait for the first to release.
    expect(b[1] - a[1]).toBeGreaterThanOrEqual(450);
    const file = readBookingFile(path.join(tmp, 'memory_bookings_cpu.json'), Date.now() / 1000);
    expect(Object.keys(file.data.bookings)).toEqual([]);
  });

  it('fails a job whose worker is killed, replaces the worker, and reclaims its booking', async () => {
    const before = pool.status();
    expect(before.running).toEqual([]);
    const job = pool.submit({
      method: 'sleep',
      params: { ms: 30_000 },
      reservation: { device: 'cpu', gb: 0.9, capacityGb: 1, timeoutMs: 20_000 },
      label: 'restoration of movie_01',
    });
    await new Promise((r) => setTimeout(r, 800));
    const pid = pool.status().running[0]?.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const err = await job.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WORKER_CRASHED');
    // The dead worker still has 0.9 GB in the file; the next acquirer reclaims it at once.
    const t0 = Date.now();
    const next = await pool.submit({
      method: 'sleep',
      params: { ms: 10 },
      reservation: { device: 'cpu', gb: 0.9, capacityGb: 1, timeoutMs: 5000 },
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(next.pid).not.toBe(pid);
  });

  it('retries once on a fresh worker when asked', async () => {
    const first = pool.submit({ method: 'sleep', params: { ms: 1500 }, retries: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const victim = pool.status().running[0]?.pid;
    process.kill(victim!, 'SIGKILL');
    const result = await first;
    expect(result.pid).not.toBe(victim);
  });

  it('cancels queued and running jobs', async () => {
    const controller = new AbortController();
    const busy = [
      pool.submit({ method: 'sleep', params: { ms: 600 } }),
      pool.submit({ method: 'sleep', params: { ms: 600 } }),
    ];
    const queued = pool.submit({
      method: 'sleep',
      params: { ms: 600 },
      signal: controller.signal,
      label: 'queued job',
    });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    await Promise.all(busy);
    const c2 = new AbortController();
    const running = pool.submit({ method: 'sleep', params: { ms: 20_000 }, signal: c2.signal });
    await new Promise((r) => setTimeout(r, 300));
    c2.abort();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

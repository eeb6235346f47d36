import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir, Proc, readJson, waitUntil } from './__tests__/helpers';
import { acquireReservation } from './acquire';
import type { Reservation } from './reservation';

const WRITER = path.join(__dirname, '__tests__/foreign-writer.cjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function startWriter(file: string, periodMs: number, gapMs: number, gb: number): Proc {
  return new Proc(
    spawn(process.execPath, [WRITER, file, String(periodMs), String(gapMs), String(gb)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}

async function stopWriter(w: Proc): Promise<{ rounds: number; tornReads: number; defaults: number }> {
  w.child.stdin?.end();
  const [line] = await w.line('{', 5000);
  await w.exit;
  return JSON.parse(line) as { rounds: number; tornReads: number; defaults: number };
}

/**
 * A HiTMicTools-style program rewrites the booking file every 20 ms without our lock, each time
 * from a copy it read 15 ms earlier: bookings made in between are dropped, bookings released in
 * between come back. Twenty holders of this process must get theirs back while they hold, never
 * push the sum past the capacity, and leave nothing of theirs behind once released.
 */
describe('holders against an unlocked writer that rewrites the file every 20 ms', () => {
  it('lost bookings come back while held, released ones do not linger, and no reader ever sees a torn file', async () => {
    const dir = makeBookingDir();
    dirs.push(dir);
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (m: string) => warnings.push(m) };
    const capacityGb = 4;
    const writer = startWriter(file, 20, 15, 1);
    let maxSum = 0;
    let samples = 0;
    const observer = setInterval(() => {
      const data = readJson(file);
      if (!data) return;
      samples++;
      maxSum = Math.max(
        maxSum,
        Object.values(data.bookings).reduce((s, b) => s + b.memory_gb, 0),
      );
    }, 7);
    const held: Reservation[] = [];
    try {
      await writer.line('started');
      for (let i = 0; i < 20; i++) {
        held.push(
          await acquireReservation({
            device: 'cpu',
            gb: 0.1,
            capacityGb,
            dir,
            timeoutMs: 20_000,
            checkMs: 100,
            description: `holder ${i}`,
            log,
          }),
        );
      }
      const keys = held.map((r) => r.key as string);
      // While the writer runs, every holder has been seen back in the file at some instant.
      const seen = new Set<string>();
      await waitUntil(
        () => {
          for (const k of Object.keys(readJson(file)?.bookings ?? {})) seen.add(k);
          return keys.every((k) => seen.has(k));
        },
        'every holder to be seen in the file while the writer runs',
        10_000,
        5,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const counts = await stopWriter(writer);

      // Once the writer has stopped, every holder's booking is back within a few checks.
      await waitUntil(
        () => {
          const inFile = Object.keys(readJson(file)?.bookings ?? {});
          return keys.every((k) => inFile.includes(k));
        },
        'all 20 bookings to be back in the file',
        3000,
      );
      expect(warnings.filter((w) => /vanished .* re-added it/.test(w)).length).toBeGreaterThan(0);
      expect(counts.rounds).toBeGreaterThan(20);
      // HiTMicTools' reader never fell back to an empty list (which it would then have written).
      expect(counts.defaults).toBe(0);

      // Release all while a new writer rewrites from stale copies, then stop it: what it brought
      // back is removed by this process (its pid is alive, so nobody else would).
      const writer2 = startWriter(file, 20, 15, 1);
      await writer2.line('started');
      for (const r of held.splice(0)) await r.release();
      await new Promise((r) => setTimeout(r, 200));
      await stopWriter(writer2);
      await waitUntil(
        () => {
          const data = readJson(file);
          return data && !Object.values(data.bookings).some((b) => b.pid === process.pid);
        },
        'no booking of this process to be left in the file',
        5000,
      );
      expect(maxSum).toBeLessThanOrEqual(capacityGb + 1e-9);
      expect(samples).toBeGreaterThan(100);
    } finally {
      clearInterval(observer);
      for (const r of held) await r.release();
      if (!writer.exited) writer.child.kill('SIGKILL');
    }
  });

  it('a lost booking that no longer fits is not put back, with a warning naming who holds the memory', async () => {
    const dir = makeBookingDir();
    dirs.push(dir);
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (m: string) => warnings.push(m) };
    const r = await acquireReservation({ device: 'cpu', gb: 1.5, capacityGb: 2, dir, checkMs: 50, log });
    try {
      // Another program replaces the file: our booking is gone and a live 1 GB booking took its place.
      const text = JSON.stringify({
        bookings: {
          [String(process.ppid)]: { memory_gb: 1, timestamp: Date.now() / 1000, pid: process.ppid },
        },
        last_cleanup: Date.now() / 1000,
      });
      fs.writeFileSync(`${file}.tmp`, text);
      fs.renameSync(`${file}.tmp`, file);
      await waitUntil(() => warnings.some((w) => w.includes('cannot be put back')), 'the warning', 3000);
      const w = warnings.find((m) => m.includes('cannot be put back')) ?? '';
      expect(w).toContain(`booking ${r.key} (1.5 GB) vanished`);
      expect(w).toContain('only 1 of 2 GB are free now');
      expect(w).toContain(`pid ${process.ppid}`);
      await new Promise((res) => setTimeout(res, 300));
      // Warned once, and the file was not over-committed.
      expect(warnings.filter((m) => m.includes('cannot be put back'))).toHaveLength(1);
      expect(Object.keys(readJson(file)?.bookings ?? {})).toEqual([String(process.ppid)]);

      // Once the other booking goes, ours comes back.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ bookings: {}, last_cleanup: Date.now() / 1000 }));
      fs.renameSync(`${file}.tmp`, file);
      await waitUntil(() => readJson(file)?.bookings[r.key as string], 'our booking to come back', 3000);
    } finally {
      await r.release();
    }
  });
});

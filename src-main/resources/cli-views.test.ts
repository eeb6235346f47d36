import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  makeBookingDir,
  type Proc,
  spawnHitmic,
  spawnHolder,
  waitUntil,
  readJson,
} from './__tests__/helpers';

const dir = makeBookingDir();
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (!p.exited) p.child.kill('SIGKILL');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hitmic devices / bookings / reserve argument handling (real CLI processes)', () => {
  it('devices --json lists cpu with system RAM and what is booked, execution providers not faked', async () => {
    const holder = spawnHolder({ device: 'cpu', gb: 1.25, dir, description: 'dev-test' });
    procs.push(holder);
    await holder.line('granted');
    const p = spawnHitmic(['devices', '--json'], dir);
    expect((await p.exit).code, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout) as { devices: Record<string, unknown>[] };
    const cpu = out.devices.find((d) => d.device === 'cpu');
    expect(cpu).toMatchObject({
      kind: 'cpu',
      bookedGb: 1.25,
      executionProviders: [{ provider: 'cpu', ok: true }],
      bookingFile: path.join(dir, 'memory_bookings_cpu.json'),
    });
    expect(cpu?.totalGb).toBeCloseTo(os.totalmem() / 1024 ** 3, 6);
    expect((cpu?.usedGb as number) + (cpu?.freeGb as number)).toBeCloseTo(cpu?.totalGb as number, 3);
  });

  it('bookings shows holders and waiters in queue order, as JSON and as a table', async () => {
    const holder = spawnHolder({ device: 'cpu', gb: 2, capacityGb: 2, dir, description: 'big job' });
    procs.push(holder);
    await holder.line('granted');
    const w1 = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir, description: 'first waiter' });
    procs.push(w1);
    await w1.line('waiting');
    const w2 = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir, description: 'second waiter' });
    procs.push(w2);
    await w2.line('waiting');

    const j = spawnHitmic(['bookings', '--device', 'cpu', '--json'], dir, { HITMIC_CAPACITY_GB: '2' });
    expect((await j.exit).code, j.stderr).toBe(0);
    const snap = (
      JSON.parse(j.stdout) as {
        devices: {
          holders: { pid: number; foreign: boolean }[];
          waiters: { pid: number; position: number }[];
          capacityGb: number;
          bookedGb: number;
        }[];
      }
    ).devices[0];
    expect(snap.holders.map((h) => [h.pid, h.foreign])).toEqual([[holder.child.pid, false]]);
    expect(snap.waiters.map((w) => [w.position, w.pid])).toEqual([
      [1, w1.child.pid],
      [2, w2.child.pid],
    ]);
    expect([snap.capacityGb, snap.bookedGb]).toEqual([2, 2]);

    const t = spawnHitmic(['bookings'], dir, { HITMIC_CAPACITY_GB: '2' });
    expect((await t.exit).code).toBe(0);
    expect(t.stdout).toMatch(/^cpu: 2 of 2 GB booked, 0 GB free/);
    expect(t.stdout).toMatch(/holders:\n\s+KEY\s+PID.*\n\s+\S+\s+\d+ .*big job/);
    expect(t.stdout).toMatch(
      /waiters \(queue order\):\n.*\n\s+1\s+\d+\s+\d+ .*first waiter\n\s+2\s+\d+\s+\d+ .*second waiter/,
    );
  });

  it('bookings --watch --json prints again when the bookings change, and stops on SIGINT', async () => {
    const watch = spawnHitmic(['bookings', '--device', 'cpu', '--watch', '--json'], dir);
    procs.push(watch);
    await waitUntil(() => watch.lines.length >= 1, 'the first print');
    const holder = spawnHolder({ device: 'cpu', gb: 0.75, dir, description: 'watched' });
    procs.push(holder);
    await holder.line('granted');
    await waitUntil(
      () => watch.lines.some((l) => l.includes('"watched"')),
      'a print showing the new holder',
      5000,
    );
    watch.child.kill('SIGINT');
    expect((await watch.exit).code).toBe(0);
  });

  it('reserve rejects bad arguments with one line and exit 2, booking nothing', async () => {
    const dir = makeBookingDir();
    const cases = [
      [['reserve', '--device', 'cpu', '--', 'true'], /needs --gb/],
      [['reserve', '--device', 'cpu', '--gb', '1'], /needs a command after '--'/],
      [['reserve', '--device', 'tpu', '--gb', '1', '--', 'true'], /unknown device 'tpu'/],
      [['reserve', '--device', 'cpu', '--gb', '-1', '--', 'true'], /--gb' must be a number ≥ 0/],
      [
        ['reserve', '--device', 'cpu', '--gb', '1', '--policy', 'lifo', '--', 'true'],
        /--policy' must be 'fifo' or 'first-fit'/,
      ],
    ] as const;
    for (const [args, message] of cases) {
      const p = spawnHitmic([...args], dir);
      const end = await p.exit;
      expect(end.code, `${args.join(' ')}: ${p.stderr}`).toBe(2);
      expect(p.stderr.trim().split('\n')).toHaveLength(1);
      expect(p.stderr).toMatch(message);
    }
    const big = spawnHitmic(
      ['reserve', '--device', 'cpu', '--gb', '5', '--capacity-gb', '2', '--', 'true'],
      dir,
    );
    expect((await big.exit).code).toBe(1);
    expect(big.stderr).toMatch(/could never be granted/);
    expect(readJson(path.join(dir, 'memory_bookings_cpu.json'))).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

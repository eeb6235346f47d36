import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir, Proc, readJson, waitUntil } from './__tests__/helpers';
import { acquireReservation } from './acquire';
import { ReservationTimeoutError } from './errors';
import { readBookings } from './snapshot';

const PYTHON = '/usr/bin/python3';
const hasPython = fs.existsSync(PYTHON);

/**
 * Writes a booking file exactly as HiTMicTools' ReserveResource does (json.dump indent=2 to
 * `<file>.tmp.<pid>`, fsync, os.rename), with its own live pid booked and a second entry whose pid
 * is certainly dead (a child it started and reaped), then stays alive until stdin closes.
 */
const WRITER = `
import json, os, subprocess, sys, time
path = sys.argv[1]
dead = subprocess.Popen(['true']); dead.wait()
data = {"bookings": {
    str(os.getpid()): {"memory_gb": 1.5, "timestamp": time.time(), "pid": os.getpid()},
    str(dead.pid): {"memory_gb": 4.0, "timestamp": time.time(), "pid": dead.pid}},
  "last_cleanup": time.time()}
tmp = path + ".tmp." + str(os.getpid())
with open(tmp, "w") as f:
    json.dump(data, f, indent=2); f.flush(); os.fsync(f.fileno())
os.rename(tmp, path)
print(json.dumps({"pid": os.getpid(), "dead": dead.pid}), flush=True)
sys.stdin.read()
`;

/** HiTMicTools' view of the file: its booked total and its cleanup's key parsing ("<pid>_<suffix>"). */
const READER = `
import json, sys
data = json.load(open(sys.argv[1]))
print(json.dumps({"booked": sum(b["memory_gb"] for b in data["bookings"].values()),
                  "pids": sorted(int(k.split("_")[0]) for k in data["bookings"])}))
`;

describe.skipIf(!hasPython)(`interoperation with HiTMicTools booking files (needs ${PYTHON})`, () => {
  const dir = makeBookingDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('respects a live HiTMicTools booking, cleans its dead one, and is seen by HiTMicTools', async () => {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const py = new Proc(spawn(PYTHON, ['-c', WRITER, file], { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      const info = JSON.parse((await py.line('{')).join(' ')) as { pid: number; dead: number };

      const before = await readBookings('cpu', { dir, capacityGb: 2 });
      expect(before.holders.map((h) => [h.pid, h.gb, h.foreign, h.app, h.gone]).sort()).toEqual(
        [
          [info.pid, 1.5, true, 'HiTMicTools', false],
          [info.dead, 4, true, 'HiTMicTools', true],
        ].sort(),
      );

      // 1.5 (live) + 0.5 ≤ 2 only if the dead 4 GB entry is removed at this acquire.
      const warnings: string[] = [];
      const log = { info: () => {}, warn: (m: string) => warnings.push(m) };
      const small = await acquireReservation({
        device: 'cpu',
        gb: 0.5,
        capacityGb: 2,
        dir,
        timeoutMs: 3000,
        log,
      });
      expect(warnings.join('\n')).toMatch(
        new RegExp(`removed stale booking ${info.dead} of pid ${info.dead}.*its process is gone`),
      );
      const data = readJson(file);
      expect(Object.keys(data?.bookings ?? {}).sort()).toEqual([String(info.pid), small.key].sort());
      expect(data?.bookings[String(info.pid)]).toEqual({
        memory_gb: 1.5,
        timestamp: expect.any(Number),
        pid: info.pid,
      });

      // The live HiTMicTools booking counts against capacity: 1.5 + 0.5 + 1 > 2 times out, naming it.
      const err = await acquireReservation({
        device: 'cpu',
        gb: 1,
        capacityGb: 2,
        dir,
        timeoutMs: 600,
        log,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReservationTimeoutError);
      const t = err as ReservationTimeoutError;
      expect(t.holders.find((h) => h.pid === info.pid)).toMatchObject({ gb: 1.5, foreign: true });
      expect(t.message).toContain(`pid ${info.pid}`);
      expect(t.message).toContain('HiTMicTools');

      // HiTMicTools reads our file: it counts our booking and parses our "<pid>_<n>" key.
      const view = JSON.parse(execFileSync(PYTHON, ['-c', READER, file], { encoding: 'utf8' })) as {
        booked: number;
        pids: number[];
      };
      expect(view.booked).toBe(2);
      expect(view.pids.sort()).toEqual([info.pid, process.pid].sort());

      // When the HiTMicTools process ends (without cleaning up, as on a crash), its booking is reclaimed.
      py.child.stdin?.end();
      await py.exit;
      await small.release();
      const big = await acquireReservation({
        device: 'cpu',
        gb: 2,
        capacityGb: 2,
        dir,
        timeoutMs: 3000,
        log,
      });
      expect(Object.keys(readJson(file)?.bookings ?? {})).toEqual([big.key]);
      await big.release();
    } finally {
      if (!py.exited) py.child.kill('SIGKILL');
    }
  });

  it("re-adds a holder's booking lost to HiTMicTools' unlocked read-modify-write (a lost update)", async () => {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    // Writes its own booking, then on a line from stdin rewrites the file from its stale copy, as
    // HiTMicTools does when it read the file before our booking and writes after it.
    const staleWriter = WRITER.replace(
      'sys.stdin.read()',
      'sys.stdin.readline()\nwith open(tmp, "w") as f:\n    json.dump(data, f, indent=2)\nos.rename(tmp, path)\nprint("rewrote", flush=True)\nsys.stdin.read()',
    );
    const py = new Proc(spawn(PYTHON, ['-c', staleWriter, file], { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      await py.line('{');
      const warnings: string[] = [];
      const log = { info: () => {}, warn: (m: string) => warnings.push(m) };
      const r = await acquireReservation({
        device: 'cpu',
        gb: 0.5,
        capacityGb: 2,
        dir,
        timeoutMs: 3000,
        refreshMs: 150,
        log,
      });
      py.child.stdin?.write('go\n');
      await py.line('rewrote');
      expect(readJson(file)?.bookings[r.key as string]).toBeUndefined();
      await waitUntil(
        () => readJson(file)?.bookings[r.key as string],
        'the lost booking to be re-added',
        2000,
      );
      expect(warnings.join('\n')).toMatch(/vanished .* re-added it/);
      await r.release();
      expect(readJson(file)?.bookings[r.key as string]).toBeUndefined();
    } finally {
      py.child.kill('SIGKILL');
    }
  });
});

it.runIf(!hasPython)(`HiTMicTools interoperation tests skipped: ${PYTHON} is absent`, () => {
  expect(hasPython).toBe(false);
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  makeBookingDir,
  pidGone,
  Proc,
  REPO,
  readJson,
  spawnHitmic,
  spawnHolder,
  waitUntil,
} from './__tests__/helpers';
import { acquireReservation } from './acquire';
import { parseBookingFile } from './booking-file';

const dirs: string[] = [];
const procs: Proc[] = [];
function freshDir(): string {
  const d = makeBookingDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const p of procs.splice(0)) if (!p.exited) p.child.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('crash safety with real processes', () => {
  it('reclaims the booking of a holder killed with SIGKILL within 1 s, for the next acquirer', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const holder = spawnHolder({ device: 'cpu', gb: 2, capacityGb: 2, dir, description: 'victim' });
    procs.push(holder);
    await holder.line('granted');
    const waiter = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir, timeoutMs: 20_000 });
    procs.push(waiter);
    await waitUntil(
      () => readJson(file)?.hitmic?.queue.some((q) => q.pid === waiter.child.pid),
      'the waiter to queue',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(waiter.lines.some((l) => l.startsWith('granted'))).toBe(false);

    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    const [, grantedAt] = await waiter.line('granted', 5000);
    expect(Number(grantedAt) - killedAt).toBeLessThan(1000);
    expect(waiter.stderr).toMatch(
      new RegExp(`removed stale booking \\S+ of pid ${holder.child.pid}.*"victim".*its process is gone`),
    );
    waiter.child.stdin?.end();
    expect((await waiter.exit).code).toBe(0);
    expect(readJson(file)?.bookings).toEqual({});
  });

  it('a waiter killed with SIGKILL at the head of the queue does not block the ones behind it', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const holder = spawnHolder({ device: 'cpu', gb: 2, capacityGb: 2, dir });
    procs.push(holder);
    await holder.line('granted');
    const head = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir, timeoutMs: 20_000 });
    procs.push(head);
    await head.line('waiting');
    const next = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir, timeoutMs: 20_000 });
    procs.push(next);
    await next.line('waiting');
    head.child.kill('SIGKILL');
    await head.exit;
    expect(readJson(file)?.hitmic?.queue.map((q) => q.pid)).toContain(head.child.pid);
    holder.child.stdin?.end();
    await next.line('granted', 5000);
    await holder.exit;
    // Whoever locked the file first after the death (here: the holder's release) removed it, and said so.
    expect(holder.stderr + next.stderr).toMatch(
      new RegExp(`removed stale waiter ticket \\d+ of pid ${head.child.pid}`),
    );
    expect(readJson(file)?.hitmic?.queue).toEqual([]);
  });

  it('the exit guard releases on SIGTERM (re-raised: the process dies of it) and on an uncaught exception', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const holder = spawnHolder({ device: 'cpu', gb: 1, capacityGb: 2, dir });
    procs.push(holder);
    await holder.line('granted');
    holder.child.kill('SIGTERM');
    expect(await holder.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(readJson(file)?.bookings).toEqual({});

    const lib = JSON.stringify(path.join(REPO, 'dist/node/src-main/resources/index.js'));
    const script =
      `require(${lib}).acquireReservation({device:'cpu',gb:1,capacityGb:2,dir:${JSON.stringify(dir)}})` +
      `.then(()=>{console.log('granted');setTimeout(()=>{throw new Error('boom')},50)})`;
    const crasher = new Proc(spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
    procs.push(crasher);
    await crasher.line('granted');
    expect((await crasher.exit).code).toBe(1);
    expect(crasher.stderr).toContain('boom');
    expect(readJson(file)?.bookings).toEqual({});
  });

  it('SIGTERM to `hitmic reserve` stops the child, releases the booking and exits 143', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const pidFile = path.join(dir, 'child.pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const reserve = spawnHitmic(
      ['reserve', '--device', 'cpu', '--gb', '1', '--capacity-gb', '2', '--', process.execPath, '-e', script],
      dir,
    );
    procs.push(reserve);
    const childPid = Number(
      await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8'), 'the child to start'),
    );
    expect(Object.values(readJson(file)?.bookings ?? {}).map((b) => b.pid)).toEqual([reserve.child.pid]);

    reserve.child.kill('SIGTERM');
    const end = await reserve.exit;
    expect(end.code, reserve.stderr).toBe(143);
    expect(readJson(file)?.bookings).toEqual({});
    await waitUntil(() => pidGone(childPid), 'the child to be gone', 3000);
  });

  it('SIGINT while waiting leaves the queue, books nothing and exits 130', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const holder = spawnHolder({ device: 'cpu', gb: 2, capacityGb: 2, dir });
    procs.push(holder);
    await holder.line('granted');
    const reserve = spawnHitmic(
      ['reserve', '--device', 'cpu', '--gb', '1', '--capacity-gb', '2', '--', process.execPath, '-e', '0'],
      dir,
    );
    procs.push(reserve);
    await waitUntil(
      () => readJson(file)?.hitmic?.queue.some((q) => q.pid === reserve.child.pid),
      'reserve to queue',
    );
    await waitUntil(() => reserve.stderr.includes('waiting for 1 GB on cpu'), 'the waiting status line');
    reserve.child.kill('SIGINT');
    expect((await reserve.exit).code).toBe(130);
    const data = readJson(file);
    expect(data?.hitmic?.queue).toEqual([]);
    expect(Object.values(data?.bookings ?? {}).map((b) => b.pid)).toEqual([holder.child.pid]);
  });

  it('a timeout names the request, the capacity and who holds what; exit status 75', async () => {
    const dir = freshDir();
    const holder = spawnHolder({
      device: 'cpu',
      gb: 1.5,
      capacityGb: 2,
      dir,
      description: 'segmentation of movie7',
    });
    procs.push(holder);
    await holder.line('granted');
    const reserve = spawnHitmic(
      [
        'reserve',
        '--device',
        'cpu',
        '--gb',
        '1',
        '--capacity-gb',
        '2',
        '--timeout',
        '0.6',
        '--',
        process.execPath,
        '-e',
        '0',
      ],
      dir,
    );
    procs.push(reserve);
    const end = await reserve.exit;
    expect(end.code).toBe(75);
    const last = reserve.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      /^hitmic: timed out after 0\.\d s waiting to reserve 1 GB on cpu \(capacity 2 GB, 1\.5 GB booked, 0\.5 GB free/,
    );
    expect(last).toContain(`pid ${holder.child.pid}`);
    expect(last).toContain('"segmentation of movie7"');
  });

  it('a child exit code passes through, and a missing command is exit 127 with the booking released', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const ok = spawnHitmic(
      ['reserve', '-d', 'cpu', '--gb', '0.5', '--', process.execPath, '-e', 'process.exit(7)'],
      dir,
    );
    const missing = spawnHitmic(
      ['reserve', '-d', 'cpu', '--gb', '0.5', '--', 'no-such-command-hitmic-test'],
      dir,
    );
    procs.push(ok, missing);
    expect((await ok.exit).code).toBe(7);
    expect((await missing.exit).code).toBe(127);
    expect(missing.stderr).toMatch(/could not start 'no-such-command-hitmic-test'/);
    expect(readJson(file)?.bookings).toEqual({});
  });
});

describe('damaged booking files', () => {
  it.each([
    ['empty', ''],
    ['garbage', '\u0000\u0001not json at all'],
    ['truncated', '{\n  "bookings": {\n    "123": {\n      "memory_gb": 1.0,\n      "timest'],
  ])('%s file: read as empty with a warning, repaired, nobody crashes', async (_name, content) => {
    const dir = freshDir();
    const file = path.join(dir, 'memory_bookings_cpu.json');
    fs.writeFileSync(file, content);
    const warnings: string[] = [];
    const r = await acquireReservation({
      device: 'cpu',
      gb: 1,
      capacityGb: 2,
      dir,
      timeoutMs: 5000,
      log: { info: () => {}, warn: (m) => warnings.push(m) },
    });
    expect(warnings.join('\n')).toMatch(/booking file .*memory_bookings_cpu\.json: .*repaired the file/);
    const during = parseBookingFile(fs.readFileSync(file, 'utf8'), Date.now() / 1000);
    expect(during.problems).toEqual([]);
    expect(Object.keys(during.data.bookings)).toEqual([r.key]);
    await r.release();
    await r.release(); // idempotent
    const after = parseBookingFile(fs.readFileSync(file, 'utf8'), Date.now() / 1000);
    expect(after.problems).toEqual([]);
    expect(after.data.bookings).toEqual({});
  });
});

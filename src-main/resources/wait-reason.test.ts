import fs from 'node:fs';
import os from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeBookingDir, type Proc, spawnHitmic } from './__tests__/helpers';
import { commandLabel, parsePasswd } from './process-info';
import { readBookings, type BookingSnapshot } from './snapshot';
import { waitReason } from './wait-reason';

const dir = makeBookingDir();

/** Reads the booking file until `ok` holds for it (real processes take a moment to book or queue). */
async function snapshotWhen(ok: (s: BookingSnapshot) => boolean, what: string): Promise<BookingSnapshot> {
  const end = Date.now() + 20_000;
  for (;;) {
    const s = await readBookings('cpu', { dir });
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (!p.exited) p.child.kill('SIGKILL');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('why a waiter waits', () => {
  const holder = { pid: 1234, command: 'hitmic run', user: 'ana', gb: 2 };
  it.each([
    [
      'its own capacity is full (not the device)',
      {
        waiter: { gb: 3, position: 1, capacityGb: 3, capacityFrom: '--capacity-gb' },
        bookedGb: 2,
        holders: [holder],
      },
      'waits for 3.0 GB of the 3 GB capacity set by --capacity-gb; 2.0 GB of it is booked (1.0 GB free), held by pid 1234 (hitmic run, user ana) 2 GB',
    ],
    [
      'it fits but queues behind the head (FIFO)',
      {
        waiter: { gb: 1, position: 2, capacityGb: 8, capacityFrom: "the device's memory" },
        bookedGb: 2,
        holders: [holder],
        ahead: [{ pid: 99, gb: 4, host: 'node7' }],
      },
      "fits in the 6.0 GB free of the 8 GB capacity set by the device's memory, but waits its turn: 1 ahead in the queue, first pid 99 @node7 asking 4.0 GB",
    ],
    [
      'a waiter that recorded no capacity (older versions) is measured against ours',
      { waiter: { gb: 5, position: 1 }, bookedGb: 2, holders: [holder] },
      'waits for 5.0 GB of the 6 GB capacity set by this app; 2.0 GB of it is booked (4.0 GB free), held by pid 1234 (hitmic run, user ana) 2 GB',
    ],
  ])('%s', (_, input, expected) => {
    expect(waitReason({ readerCapacityGb: 6, ahead: [], localHost: 'here', ...input })).toBe(expected);
  });

  it('names programs and users as a microscopist knows them', () => {
    expect(commandLabel(['/usr/bin/node', '/opt/hitmic/bin/hitmic.js', 'run', 'cfg.yml', '--force'])).toBe(
      'hitmic run',
    );
    expect(commandLabel(['node', '/x/dist/node/src-main/workers/worker-main.js'])).toBe('worker');
    expect(commandLabel(['/usr/bin/python3.11', '-m', 'HiTMicTools.main', 'run'])).toBe(
      'python3.11 -m HiTMicTools.main',
    );
    expect(commandLabel(['python', 'run_pipeline.py', '-c', 'x.yml'])).toBe('python run_pipeline.py');
    expect(commandLabel(['/bin/sleep', '30'])).toBe('sleep');
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\nana:x:1000:1000::/home/ana:/bin/sh\n')).toEqual(
      new Map([
        [0, 'root'],
        [1000, 'ana'],
      ]),
    );
  });

  it('says it for real processes: a waiter held back by its own --capacity-gb while the device has room', async () => {
    // The holder books 2 GB; the waiter asks 3 GB with --capacity-gb 3. The machine has more free
    // memory than that; the reason is the waiter's own capacity, and the holder is named.
    const holder = spawnHitmic(['reserve', '--device', 'cpu', '--gb', '2', '--', 'sleep', '60'], dir);
    procs.push(holder);
    await snapshotWhen((s) => s.holders.length === 1, 'the holder');
    const waiter = spawnHitmic(
      ['reserve', '--device', 'cpu', '--gb', '3', '--capacity-gb', '3', '--timeout', '60', '--', 'true'],
      dir,
    );
    procs.push(waiter);
    const snap = await snapshotWhen((s) => s.waiters.length === 1, 'the waiter in the queue');
    const me = os.userInfo().username;
    expect(snap.holders[0]).toMatchObject({ pid: holder.child.pid, command: 'hitmic reserve', user: me });
    expect(snap.waiters[0]).toMatchObject({
      capacityGb: 3,
      capacityFrom: '--capacity-gb',
      command: 'hitmic reserve',
    });
    expect(snap.waiters[0].reason).toBe(
      `waits for 3.0 GB of the 3 GB capacity set by --capacity-gb; 2.0 GB of it is booked (1.0 GB free), held by pid ${holder.child.pid} (hitmic reserve, user ${me}) 2 GB`,
    );
  }, 30_000);
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir, readJson } from './__tests__/helpers';
import { bookingContext, transact } from './booking-transaction';
import { Waiter } from './waiter';

const dir = makeBookingDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };

/** What another program (HiTMicTools) does: a new file renamed over the booking file. */
function replaceByRename(file: string, bookings: Record<string, unknown>): void {
  fs.writeFileSync(
    `${file}.tmp.foreign`,
    JSON.stringify({ bookings, last_cleanup: Date.now() / 1000 }, null, 2),
  );
  fs.renameSync(`${file}.tmp.foreign`, file);
}

describe('a locked step whose file another program replaces meanwhile', () => {
  it('is done again on the new content, so neither its change nor the other program’s is lost', async () => {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    replaceByRename(file, {});
    const inode = fs.statSync(file).ino;
    const foreign = { memory_gb: 1, timestamp: Date.now() / 1000, pid: process.ppid };
    let runs = 0;
    await transact(bookingContext(file, quiet), (data, nowS) => {
      runs++;
      // The first time, between our read and our write, the other program renames its file over ours.
      if (runs === 1) replaceByRename(file, { [String(process.ppid)]: foreign });
      data.bookings.mine = { memory_gb: 0.5, timestamp: nowS, pid: process.ppid };
      return { result: undefined, changed: true };
    });
    expect(runs).toBe(2);
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(Object.keys(readJson(file)?.bookings ?? {}).sort()).toEqual([String(process.ppid), 'mine'].sort());
  });

  it('a step whose file nobody replaces runs once and keeps the inode', async () => {
    const file = path.join(dir, 'memory_bookings_mps.json');
    replaceByRename(file, {});
    const inode = fs.statSync(file).ino;
    let runs = 0;
    await transact(bookingContext(file, quiet), (data, nowS) => {
      runs++;
      data.bookings.mine = { memory_gb: 0.5, timestamp: nowS, pid: process.ppid };
      return { result: undefined, changed: true };
    });
    expect(runs).toBe(1);
    expect(fs.statSync(file).ino).toBe(inode);
  });

  it('a grant that went into the lost file never happened: the waiter decides again on the new content', async () => {
    const file = path.join(dir, 'memory_bookings_cuda_0.json');
    replaceByRename(file, {});
    const ctx = bookingContext(file, quiet);
    const waiter = new Waiter('cuda_0', 1, 2, ctx, {}, Date.now());
    let runs = 0;
    await transact(ctx, (data, nowS) => {
      const step = waiter.attempt(data, nowS);
      // Granted on the content we read; meanwhile HiTMicTools booked 2 GB of the 2 and renamed.
      if (++runs === 1) {
        expect(waiter.granted).not.toBeNull();
        replaceByRename(file, {
          [String(process.ppid)]: { memory_gb: 2, timestamp: nowS, pid: process.ppid },
        });
      }
      return step;
    });
    expect(runs).toBe(2);
    expect(waiter.granted).toBeNull();
    const data = readJson(file);
    expect(Object.keys(data?.bookings ?? {})).toEqual([String(process.ppid)]);
    expect(data?.hitmic?.queue.map((q) => [q.ticket, q.pid])).toEqual([[waiter.ticket, process.pid]]);
    await transact(ctx, waiter.leaveQueue);
    expect(readJson(file)?.hitmic?.queue).toEqual([]);
  });
});

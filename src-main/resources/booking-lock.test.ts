import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir } from './__tests__/helpers';
import { BookingLock, LOCK_STALE_MS, lockPathFor, takeLock } from './booking-lock';
import { BookingLockError, BookingPermissionError } from './errors';

const dir = makeBookingDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = (): string => path.join(dir, `memory_bookings_cuda_${n++}.json`);

/** A pid that certainly belonged to a process that has ended (a child started and reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

function writeOwner(file: string, record: Record<string, unknown>, ageMs = 0): string {
  const d = lockPathFor(file);
  fs.mkdirSync(d, { recursive: true, mode: 0o777 });
  const owner = path.join(d, 'owner');
  fs.writeFileSync(owner, JSON.stringify(record));
  if (ageMs > 0) {
    const t = (Date.now() - ageMs) / 1000;
    fs.utimesSync(owner, t, t);
  }
  return owner;
}

function take(file: string, onTakeover?: (m: string) => void): BookingLock {
  const r = BookingLock.tryTake(file, onTakeover);
  if (!('lock' in r)) throw new Error(`lock not taken: held by ${JSON.stringify(r.holder)}`);
  return r.lock;
}

describe('the booking-file lock', () => {
  it('is a file in a folder every user may write (0777, not sticky), readable by all, whatever the umask', () => {
    const file = freshFile();
    const old = process.umask(0o077);
    let lock: BookingLock;
    try {
      lock = take(file);
    } finally {
      process.umask(old);
    }
    const folder = fs.statSync(lockPathFor(file));
    expect(folder.mode & 0o7777).toBe(0o777);
    const owner = path.join(lockPathFor(file), 'owner');
    expect(fs.statSync(owner).mode & 0o777).toBe(0o666);
    expect(JSON.parse(fs.readFileSync(owner, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      app: 'hitmic-studio',
    });
    // Held: a second attempt sees the holder.
    const second = BookingLock.tryTake(file);
    expect('holder' in second && second.holder?.pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(owner)).toBe(false);
    take(file).release();
  });

  it('takes over at once a lock whose process is gone, and says so', () => {
    const file = freshFile();
    const pid = deadPid();
    writeOwner(file, { pid, host: os.hostname() });
    const said: string[] = [];
    const lock = take(file, (m) => said.push(m));
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`took over the lock .* of pid ${pid}@.*: its process is gone`)),
    ]);
    expect(lock.held()).toBe(true);
    lock.release();
  });

  it('takes over a lock older than the stale limit even when its process lives (frozen inside a step)', () => {
    const file = freshFile();
    writeOwner(file, { pid: process.ppid, host: os.hostname() }, LOCK_STALE_MS + 1000);
    const said: string[] = [];
    take(file, (m) => said.push(m)).release();
    expect(said.join()).toMatch(/it was held for [67]\.\d s/);
  });

  it('waits for a live young lock, then fails naming who holds it', async () => {
    const file = freshFile();
    writeOwner(file, { pid: process.ppid, host: os.hostname() });
    const err = await takeLock(file, undefined, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingLockError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `still held by pid ${process.ppid}@${os.hostname()} \\(user \\S+, held 0\\.\\d s\\) after 0\\.\\d s`,
      ),
    );
  });

  it('a lock taken over while held is known to be lost (its holder must not write)', () => {
    const file = freshFile();
    const lock = take(file);
    fs.unlinkSync(path.join(lockPathFor(file), 'owner'));
    const other = take(file);
    expect(lock.held()).toBe(false);
    lock.release(); // must not remove the new holder's lock
    expect(other.held()).toBe(true);
    other.release();
  });

  it('only one process breaks a stale lock: a fresh `breaking` guard makes others wait, an old one is cleared', () => {
    const file = freshFile();
    writeOwner(file, { pid: deadPid(), host: os.hostname() });
    const guard = path.join(lockPathFor(file), 'breaking');
    fs.writeFileSync(guard, '');
    expect('holder' in BookingLock.tryTake(file)).toBe(true);
    const t = (Date.now() - LOCK_STALE_MS - 1000) / 1000;
    fs.utimesSync(guard, t, t);
    expect('holder' in BookingLock.tryTake(file)).toBe(true); // clears the dead guard
    expect(fs.existsSync(guard)).toBe(false);
    take(file).release();
  });

  it('refuses a symbolic link in place of the lock folder', () => {
    const file = freshFile();
    const elsewhere = fs.mkdtempSync(path.join(dir, 'elsewhere-'));
    fs.symlinkSync(elsewhere, lockPathFor(file));
    expect(() => BookingLock.tryTake(file)).toThrow(BookingPermissionError);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});

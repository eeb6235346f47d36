import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ownerFacts, permissionError, SHARED_FILE_MODE, userName } from './booking-store';
import { APP_ID } from './booking-file';
import { BookingLockError, BookingPermissionError } from './errors';
import { isLocalProcessGone, LOCAL_HOST, OWN_PROC_START } from './liveness';

/**
 * The cross-process lock around every read-modify-write of a booking file, for a lab where
 * several Unix users share one booking folder.
 *
 * Layout: `<booking file>.lockdir/` is a folder every user may write in (mode 0777, set with chmod
 * so no umask narrows it, and **without** the sticky bit), and the lock is the file `owner` inside
 * it, created with O_EXCL (atomic, also on NFS) and holding who took it. Because the folder is not
 * sticky, anyone may delete an `owner` left by a dead process of another user; in the sticky
 * booking folder itself (`/tmp`) they could not, which is why the lock is not a file next to the
 * booking file (proper-lockfile's `mkdir <file>.lock`, used before, could not be taken over across
 * users for the same reason).
 *
 * A lock is stale, and taken over, when its process is gone (same host: at once) or it is older
 * than {@link LOCK_STALE_MS} (a lock is held only for one synchronous read-modify-write, about a
 * millisecond). Taking over is itself guarded by an O_EXCL `breaking` file and re-checks that the
 * stale `owner` is still the one judged stale, so two waiters cannot both break and both hold.
 */

/** A lock older than this belongs to a process that died or froze inside one read-modify-write. */
export const LOCK_STALE_MS = 5000;
/** A lock folder younger than this may not have had its mode set yet by its creator. */
const FRESH_FOLDER_MS = 1000;
const OWNER = 'owner';
const BREAKING = 'breaking';
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const EXCLUSIVE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;

/** `<booking file>.lockdir`: the folder whose `owner` file is the lock. */
export function lockPathFor(file: string): string {
  return `${file}.lockdir`;
}

/** Who holds a lock, as far as its `owner` file tells. */
export interface LockHolder {
  pid: number | null;
  host: string;
  /** Milliseconds since the lock was taken (from the file's mtime). */
  ageMs: number;
  /** User id of whoever took it (the file's owner). */
  uid: number;
}

/** `pid 123@host (user ana, held 0.2 s)`. */
export function describeLockHolder(h: LockHolder): string {
  return `pid ${h.pid ?? '?'}@${h.host || '?'} (user ${userName(h.uid)}, held ${(h.ageMs / 1000).toFixed(1)} s)`;
}

interface OwnerSnapshot {
  content: string;
  ino: number;
  mtimeMs: number;
  holder: LockHolder;
}

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? '';

function readOwner(file: string): OwnerSnapshot | null {
  let st: fs.Stats;
  let content = '';
  try {
    st = fs.lstatSync(file);
    content = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    // Unreadable record (mode 0600 by an old writer): judge it by its age alone.
    try {
      st = fs.lstatSync(file);
    } catch {
      return null;
    }
  }
  let pid: number | null = null;
  let host = '';
  try {
    const rec = JSON.parse(content) as { pid?: unknown; host?: unknown };
    pid = typeof rec.pid === 'number' ? rec.pid : null;
    host = typeof rec.host === 'string' ? rec.host : '';
  } catch {
    // Empty while its creator writes it, or damaged: judged by age.
  }
  return {
    content,
    ino: st.ino,
    mtimeMs: st.mtimeMs,
    holder: { pid, host, ageMs: Math.max(0, Date.now() - st.mtimeMs), uid: st.uid },
  };
}

/** Why a lock may be taken over, or null while it is live. */
function staleReason(o: OwnerSnapshot): string | null {
  if (o.holder.pid !== null && o.holder.host === LOCAL_HOST) {
    let procStart: string | undefined;
    try {
      const rec = JSON.parse(o.content) as { proc_start?: unknown };
      procStart = typeof rec.proc_start === 'string' ? rec.proc_start : undefined;
    } catch {
      procStart = undefined;
    }
    if (isLocalProcessGone(o.holder.pid, procStart)) return 'its process is gone';
  }
  if (o.holder.ageMs > LOCK_STALE_MS) return `it was held for ${(o.holder.ageMs / 1000).toFixed(1)} s`;
  return null;
}

/** Creates the lock folder (mode 0777, not sticky) if missing; refuses anything but a real folder. */
function ensureLockFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chmodSync(dir, 0o777);
    return;
  } catch (e) {
    if (errno(e) !== 'EEXIST') throw permissionError(dir, 'create', e);
  }
  const st = fs.lstatSync(dir);
  if (!st.isDirectory())
    throw new BookingPermissionError(dir, 'lock', ownerFacts(dir), st.isSymbolicLink() ? 'ELOOP' : 'ENOTDIR');
}

function lockPermissionError(dir: string, e: unknown): Error {
  const code = errno(e);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
    ? new BookingPermissionError(dir, 'lock', ownerFacts(dir), code)
    : (e as Error);
}

/** Removes `owner` if it is still the stale one we looked at; guarded so only one process breaks it. */
function breakStale(dir: string, stale: OwnerSnapshot): boolean {
  const guard = path.join(dir, BREAKING);
  let fd: number;
  try {
    fd = fs.openSync(guard, EXCLUSIVE, SHARED_FILE_MODE);
  } catch (e) {
    if (errno(e) !== 'EEXIST') throw lockPermissionError(dir, e);
    // A breaker that died between two system calls: its guard is removed once old.
    try {
      if (Date.now() - fs.lstatSync(guard).mtimeMs > LOCK_STALE_MS) fs.unlinkSync(guard);
    } catch {
      // Removed by someone else meanwhile.
    }
    return false;
  }
  try {
    const now = readOwner(path.join(dir, OWNER));
    if (!now || now.ino !== stale.ino || now.mtimeMs !== stale.mtimeMs || now.content !== stale.content)
      return false;
    fs.unlinkSync(path.join(dir, OWNER));
    return true;
  } finally {
    fs.closeSync(fd);
    fs.rmSync(guard, { force: true });
  }
}

/** Result of one attempt: the lock, or who holds it. */
export type LockAttempt = { lock: BookingLock } | { holder: LockHolder | null };

/** A held booking-file lock. Held only across one synchronous read-modify-write. */
export class BookingLock {
  private constructor(
    readonly dir: string,
    private readonly record: string,
  ) {}

  /**
   * One attempt, without waiting: takes the lock if free, or if stale (after which `onTakeover`
   * hears whose lock was taken over and why).
   */
  static tryTake(file: string, onTakeover?: (message: string) => void): LockAttempt {
    const dir = lockPathFor(file);
    ensureLockFolder(dir);
    const ownerPath = path.join(dir, OWNER);
    const record = JSON.stringify({
      pid: process.pid,
      host: LOCAL_HOST,
      proc_start: OWN_PROC_START,
      app: APP_ID,
      since: Date.now() / 1000,
      nonce: crypto.randomBytes(6).toString('hex'),
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = fs.openSync(ownerPath, EXCLUSIVE, SHARED_FILE_MODE);
      } catch (e) {
        if (errno(e) === 'EACCES' && folderIsFresh(dir)) return { holder: null };
        if (errno(e) !== 'EEXIST') throw lockPermissionError(dir, e);
        const current = readOwner(ownerPath);
        if (!current) continue; // released meanwhile: try again at once
        const reason = staleReason(current);
        if (reason === null || !breakStale(dir, current)) return { holder: current.holder };
        onTakeover?.(`took over the lock ${dir} of ${describeLockHolder(current.holder)}: ${reason}`);
        continue;
      }
      try {
        fs.writeSync(fd, record);
        fs.fchmodSync(fd, SHARED_FILE_MODE);
      } finally {
        fs.closeSync(fd);
      }
      return { lock: new BookingLock(dir, record) };
    }
    return { holder: readOwner(ownerPath)?.holder ?? null };
  }

  /** Still ours? False when another process took it over as stale (we were paused for > 5 s). */
  held(): boolean {
    try {
      return fs.readFileSync(path.join(this.dir, OWNER), 'utf8') === this.record;
    } catch {
      return false;
    }
  }

  /** Gives the lock back if it is still ours. Never throws. */
  release(): void {
    try {
      if (this.held()) fs.unlinkSync(path.join(this.dir, OWNER));
    } catch {
      // Taken over or removed meanwhile: nothing of ours is left to undo.
    }
  }
}

function folderIsFresh(dir: string): boolean {
  try {
    return Date.now() - fs.statSync(dir).ctimeMs < FRESH_FOLDER_MS;
  } catch {
    return true;
  }
}

/** Retry timing while a lock is busy: short, growing, jittered pauses. */
function nextPauseMs(attempt: number): number {
  return Math.min(20, 2 * 1.2 ** attempt) * (0.5 + Math.random());
}

function busyError(file: string, holder: LockHolder | null, waitedMs: number): BookingLockError {
  const who = holder ? `held by ${describeLockHolder(holder)}` : 'held by another process';
  return new BookingLockError(
    file,
    lockPathFor(file),
    new Error(`still ${who} after ${(waitedMs / 1000).toFixed(1)} s`),
  );
}

/** Takes the lock, waiting up to `maxWaitMs` (default 10 s) while it is busy. */
export async function takeLock(
  file: string,
  onTakeover?: (message: string) => void,
  maxWaitMs = 10_000,
): Promise<BookingLock> {
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    const r = BookingLock.tryTake(file, onTakeover);
    if ('lock' in r) return r.lock;
    if (Date.now() - start > maxWaitMs) throw busyError(file, r.holder, Date.now() - start);
    await new Promise((resolve) => setTimeout(resolve, nextPauseMs(attempt)));
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** {@link takeLock} for exit paths, where nothing asynchronous runs: sleeps in place, at most `maxWaitMs`. */
export function takeLockSync(
  file: string,
  onTakeover?: (message: string) => void,
  maxWaitMs = 2000,
): BookingLock {
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    const r = BookingLock.tryTake(file, onTakeover);
    if ('lock' in r) return r.lock;
    if (Date.now() - start > maxWaitMs) throw busyError(file, r.holder, Date.now() - start);
    Atomics.wait(sleeper, 0, 0, Math.max(1, Math.round(nextPauseMs(attempt))));
  }
}

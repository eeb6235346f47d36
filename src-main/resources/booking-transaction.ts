import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { type BookingFileData, readBookingFile, writeBookingFileAtomic } from './booking-file';
import { BookingLockError } from './errors';
import { isLocalProcessGone, LOCAL_HOST } from './liveness';
import { DEFAULT_STALE_LIMITS, describeRemoval, removeStaleEntries, type StaleLimits } from './stale-cleanup';

/** Where the resource layer reports what it did (stale entries removed, files repaired). */
export interface ResourceLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Default log: warnings as `hitmic: warning: ...` lines on stderr, info discarded. */
export const stderrLog: ResourceLog = {
  info: () => {},
  warn: (m) => process.stderr.write(`hitmic: warning: ${m}\n`),
};

/** What a transaction needs to know about the file it works on. */
export interface BookingContext {
  file: string;
  log: ResourceLog;
  limits: StaleLimits;
}

/** Result of a transaction body: a value, and whether the data was changed and must be written. */
export interface TransactionStep<T> {
  result: T;
  changed: boolean;
}

/**
 * Lock timing. The lock is held only for one read-modify-write (about a millisecond), so a lock
 * older than `stale` belongs to a process that died inside one and is taken over. proper-lockfile
 * refreshes the lock's mtime every `update` ms while held; retries cover more than `stale`, so a
 * dead owner's lock is always recovered before a waiter gives up.
 */
export const LOCK_STALE_MS = 5000;
const LOCK_UPDATE_MS = 1000;
const LOCK_RETRIES = { retries: 800, factor: 1.2, minTimeout: 2, maxTimeout: 20, randomize: true };

/** `<booking file>.lock`: a directory (mkdir is atomic, also on NFS) created by proper-lockfile. */
export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/** The locked body shared by the async and sync paths: read, repair, clean, apply, write if needed. */
function readModifyWrite<T>(
  ctx: BookingContext,
  fn: (data: BookingFileData, nowS: number) => TransactionStep<T>,
  isCompromised: () => boolean,
): T {
  const nowS = Date.now() / 1000;
  const read = readBookingFile(ctx.file, nowS);
  if (read.problems.length > 0) {
    ctx.log.warn(
      `booking file ${ctx.file}: ${read.problems.join('; ')}; read what was valid (else empty) and repaired the file`,
    );
  }
  const removed = removeStaleEntries(read.data, nowS, LOCAL_HOST, isLocalProcessGone, ctx.limits);
  for (const r of removed) ctx.log.warn(`${describeRemoval(r)} (booking file ${ctx.file})`);
  const step = fn(read.data, nowS);
  if (step.changed || removed.length > 0 || read.problems.length > 0) {
    if (isCompromised())
      throw new BookingLockError(ctx.file, lockPathFor(ctx.file), new Error('the lock was lost while held'));
    read.data.last_cleanup = nowS;
    writeBookingFileAtomic(ctx.file, read.data);
  }
  return step.result;
}

function ensureDirectory(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
}

/**
 * Runs `fn` on the current file content under the cross-process lock, after repairing a damaged file
 * and removing stale entries (logged), and writes the result atomically when anything changed.
 * The body must be quick and synchronous: the lock is held while it runs.
 */
export async function transact<T>(
  ctx: BookingContext,
  fn: (data: BookingFileData, nowS: number) => TransactionStep<T>,
): Promise<T> {
  ensureDirectory(ctx.file);
  let compromised = false;
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(ctx.file, {
      realpath: false,
      lockfilePath: lockPathFor(ctx.file),
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: LOCK_RETRIES,
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (e) {
    throw new BookingLockError(ctx.file, lockPathFor(ctx.file), e);
  }
  try {
    return readModifyWrite(ctx, fn, () => compromised);
  } finally {
    await unlock().catch(() => {
      // Already released or taken over as stale: nothing left to undo.
    });
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Synchronous {@link transact}, for `process.on('exit')` where nothing asynchronous runs.
 * Spins (5 ms sleeps) for at most `maxWaitMs` for the lock, then throws {@link BookingLockError}.
 */
export function transactSync<T>(
  ctx: BookingContext,
  fn: (data: BookingFileData, nowS: number) => TransactionStep<T>,
  maxWaitMs = 2000,
): T {
  ensureDirectory(ctx.file);
  const deadline = Date.now() + maxWaitMs;
  let release: (() => void) | undefined;
  for (;;) {
    try {
      release = lockfile.lockSync(ctx.file, {
        realpath: false,
        lockfilePath: lockPathFor(ctx.file),
        stale: LOCK_STALE_MS,
        update: LOCK_UPDATE_MS,
        onCompromised: () => {},
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() > deadline) {
        throw new BookingLockError(ctx.file, lockPathFor(ctx.file), e);
      }
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }
  try {
    return readModifyWrite(ctx, fn, () => false);
  } finally {
    try {
      release();
    } catch {
      // Already released or taken over as stale.
    }
  }
}

/** A booking context with default limits and log. */
export function bookingContext(
  file: string,
  log: ResourceLog = stderrLog,
  limits: StaleLimits = DEFAULT_STALE_LIMITS,
): BookingContext {
  return { file, log, limits };
}

/**
 * Calls `onChange` (best effort) when the booking file is replaced or written, by watching its
 * directory (the file itself is replaced by rename, so a watch on the file would go stale).
 * Returns a function that stops watching. Never throws: where fs.watch is unavailable the caller's
 * poll still wakes it.
 */
export function watchBookingFile(file: string, onChange: () => void): () => void {
  const base = path.basename(file);
  try {
    const watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === base) onChange();
    });
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => {};
  }
}

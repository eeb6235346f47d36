import fs from 'node:fs';
import path from 'node:path';
import {
  type BookingFileData,
  emptyBookingData,
  parseBookingFile,
  serializeBookingFile,
} from './booking-file';
import { type BookingLock, lockPathFor, takeLock, takeLockSync } from './booking-lock';
import { BookingFileHandle } from './booking-store';
import { BookingLockError, BookingPermissionError } from './errors';
import { isLocalProcessGone, LOCAL_HOST } from './liveness';
import { removeOwnGhosts } from './own-entries';
import { DEFAULT_STALE_LIMITS, describeRemoval, removeStaleEntries, type StaleLimits } from './stale-cleanup';

export { lockPathFor } from './booking-lock';

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
 * A body may run more than once: when another program (HiTMicTools, which takes no lock) replaced
 * the file by rename while we wrote it, our write went to the old file and is lost, so the step is
 * done again on the new content. Bodies are written so that this is right (idempotent, or undoing
 * what they did on the content that was lost).
 */
export type TransactionBody<T> = (data: BookingFileData, nowS: number) => TransactionStep<T>;

/** Attempts of one step against a file that keeps being replaced under us. */
const MAX_STEP_ATTEMPTS = 3;

/** The locked body shared by the async and sync paths: read, repair, clean, apply, write if needed. */
function readModifyWrite<T>(ctx: BookingContext, fn: TransactionBody<T>, lock: BookingLock): T {
  for (let attempt = 1; ; attempt++) {
    const handle = BookingFileHandle.open(ctx.file);
    try {
      const nowS = Date.now() / 1000;
      const read = handle.existed
        ? parseBookingFile(handle.text, nowS)
        : { data: emptyBookingData(nowS), problems: [] };
      if (read.problems.length > 0) {
        ctx.log.warn(
          `booking file ${ctx.file}: ${read.problems.join('; ')}; read what was valid and repaired the file`,
        );
      }
      const removed = removeStaleEntries(read.data, nowS, LOCAL_HOST, isLocalProcessGone, ctx.limits);
      for (const r of removed) ctx.log.warn(`${describeRemoval(r)} (booking file ${ctx.file})`);
      const ghosts = removeOwnGhosts(read.data, ctx.file);
      for (const g of ghosts) ctx.log.warn(`${g} (booking file ${ctx.file})`);
      const step = fn(read.data, nowS);
      if (!step.changed && removed.length === 0 && ghosts.length === 0 && read.problems.length === 0)
        return step.result;
      if (!lock.held())
        throw new BookingLockError(
          ctx.file,
          lockPathFor(ctx.file),
          new Error('the lock was taken over while held (was this process paused for more than 5 s?)'),
        );
      read.data.last_cleanup = nowS;
      const wrote = handle.write(serializeBookingFile(read.data));
      // Replaced again and again: what we wrote is lost, and holders and waiters put theirs back.
      if (wrote && (!handle.replacedSinceWrite() || attempt >= MAX_STEP_ATTEMPTS)) return step.result;
      if (attempt >= MAX_STEP_ATTEMPTS)
        throw new BookingLockError(
          ctx.file,
          lockPathFor(ctx.file),
          new Error(`another program created the booking file ${attempt} times while we were about to`),
        );
      ctx.log.info(`booking file ${ctx.file} was replaced by another program during a step; did it again`);
    } finally {
      handle.close();
    }
  }
}

function ensureDirectory(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
}

/**
 * Runs `fn` on the current file content under the cross-process lock (booking-lock.ts), after
 * repairing a damaged file and removing stale entries and this process's ghosts (all logged), and
 * writes the result in place (booking-store.ts) when anything changed. The body must be quick and
 * synchronous: the lock is held while it runs, and it may run again (see {@link TransactionBody}).
 */
export async function transact<T>(ctx: BookingContext, fn: TransactionBody<T>): Promise<T> {
  ensureDirectory(ctx.file);
  let lock: BookingLock;
  try {
    lock = await takeLock(ctx.file, (m) => ctx.log.warn(m));
  } catch (e) {
    throw e instanceof BookingLockError || e instanceof BookingPermissionError
      ? e
      : new BookingLockError(ctx.file, lockPathFor(ctx.file), e);
  }
  // From here to the release nothing awaits: the lock is held for one synchronous step only.
  try {
    return readModifyWrite(ctx, fn, lock);
  } finally {
    lock.release();
  }
}

/**
 * Synchronous {@link transact}, for `process.on('exit')` where nothing asynchronous runs.
 * Waits at most `maxWaitMs` for the lock, then throws {@link BookingLockError}.
 */
export function transactSync<T>(ctx: BookingContext, fn: TransactionBody<T>, maxWaitMs = 2000): T {
  ensureDirectory(ctx.file);
  const lock = takeLockSync(ctx.file, (m) => ctx.log.warn(m), maxWaitMs);
  try {
    return readModifyWrite(ctx, fn, lock);
  } finally {
    lock.release();
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
 * Calls `onChange` (best effort) when the booking file is written or replaced, by watching its
 * directory (HiTMicTools replaces the file by rename, so a watch on the file itself would go stale).
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

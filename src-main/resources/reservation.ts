import { fits, totalBookedGb } from './admission';
import { type BookingEntry, type BookingFileData, readBookingFile } from './booking-file';
import { type BookingContext, transact, transactSync } from './booking-transaction';
import { describeHolder } from './errors';
import { registerForExit, unregisterForExit, type ExitReleasable } from './exit-guard';
import { findOwnGhosts, markBookingReleased } from './own-entries';
import { summarizeBookings } from './snapshot';

/** Facts about a granted reservation. */
export interface ReservationInfo {
  device: string;
  gb: number;
  /** Booking key (`<pid>_<n>`), or null for a 0 GB request, which books nothing (as HiTMicTools). */
  key: string | null;
  ticket: number | null;
  bookingFile: string;
  capacityGb: number;
  description: string;
  stage: string;
  /** Epoch milliseconds of the grant. */
  grantedAtMs: number;
  /** How long the request waited in the queue, in milliseconds. */
  waitedMs: number;
}

/** How long after a release this process looks once more for its booking brought back by an unlocked write. */
const GHOST_CHECK_MS = 2000;
const ghostChecks = new Map<string, NodeJS.Timeout>();

/**
 * Looks at `ctx.file` once, `GHOST_CHECK_MS` after the last release in this process, and removes
 * bookings of this process that an unlocked write (HiTMicTools rewriting from an older copy) put
 * back after they were released: their pid is alive, so nobody else would ever remove them.
 */
function scheduleGhostCheck(ctx: BookingContext): void {
  clearTimeout(ghostChecks.get(ctx.file));
  const timer = setTimeout(() => {
    ghostChecks.delete(ctx.file);
    try {
      const g = findOwnGhosts(readBookingFile(ctx.file, Date.now() / 1000).data, ctx.file);
      if (g.keys.length === 0 && g.tickets.length === 0) return;
    } catch {
      return;
    }
    // The locked step itself removes the ghosts (and logs them); the body changes nothing.
    transact(ctx, () => ({ result: undefined, changed: false })).catch((e: unknown) =>
      ctx.log.warn(`could not clean ${ctx.file}: ${(e as Error).message}`),
    );
  }, GHOST_CHECK_MS);
  timer.unref();
  ghostChecks.set(ctx.file, timer);
}

/** How often a holder's booking is refreshed and looked after (see {@link Reservation}). */
export interface HoldingTimes {
  /** Refresh of the booking's `timestamp` (HiTMicTools purges bookings older than 3600 s). */
  refreshMs: number;
  /** Lock-free look at the file: is our booking still there? */
  checkMs: number;
}

/**
 * A granted memory reservation: a booking in the device's booking file, owned by this process.
 *
 * While held, the booking's `timestamp` is refreshed every `refreshMs` (HiTMicTools deletes
 * bookings older than 3600 s, and other hosts expire ours on it), and every `checkMs` the file is
 * read without the lock to see that the booking is still there: HiTMicTools rewrites the file
 * without our lock, from a copy that may predate our booking. A booking found gone is put back
 * under the lock if the capacity still allows (warning that it had vanished); if something else
 * took the memory meanwhile it warns that the device may be over-committed, and tries again at
 * the next check. It is released by {@link release} (idempotent), or at process exit / SIGINT /
 * SIGTERM through the exit guard, or — after a SIGKILL — by the next acquirer, which sees the pid
 * gone.
 */
export class Reservation implements ReservationInfo, ExitReleasable {
  readonly device: string;
  readonly gb: number;
  readonly key: string | null;
  readonly ticket: number | null;
  readonly bookingFile: string;
  readonly capacityGb: number;
  readonly description: string;
  readonly stage: string;
  readonly grantedAtMs: number;
  readonly waitedMs: number;
  private releasing: Promise<void> | null = null;
  private releasedFlag = false;
  private readonly refreshTimer: NodeJS.Timeout | null;
  private lastRefreshMs: number;
  private checking = false;
  /** Set while our booking is gone from the file and could not be put back (warned once per loss). */
  private displaced = false;

  /** Made by `acquireReservation`; `entry` is the booking as written (null for 0 GB). */
  constructor(
    info: ReservationInfo,
    private readonly ctx: BookingContext,
    private readonly entry: BookingEntry | null,
    private readonly times: HoldingTimes,
  ) {
    this.device = info.device;
    this.gb = info.gb;
    this.key = info.key;
    this.ticket = info.ticket;
    this.bookingFile = info.bookingFile;
    this.capacityGb = info.capacityGb;
    this.description = info.description;
    this.stage = info.stage;
    this.grantedAtMs = info.grantedAtMs;
    this.waitedMs = info.waitedMs;
    this.lastRefreshMs = info.grantedAtMs;
    if (this.key !== null) {
      registerForExit(this);
      const every = Math.max(10, Math.min(times.checkMs, times.refreshMs));
      this.refreshTimer = setInterval(() => void this.check(), every);
      this.refreshTimer.unref();
    } else this.refreshTimer = null;
  }

  /** True once released (by any path). */
  get released(): boolean {
    return this.releasedFlag;
  }

  /**
   * Removes the booking. Idempotent: later calls return the first call's promise. Never rejects: a
   * failure (e.g. the lock cannot be taken) is logged, and the booking then goes when this process
   * ends and the next acquirer sees it gone.
   */
  release(): Promise<void> {
    if (this.releasing) return this.releasing;
    this.stopHolding();
    if (this.key === null) return (this.releasing = Promise.resolve());
    this.releasing = transact(this.ctx, (data) => this.removeOwnEntry(data.bookings)).then(
      () => scheduleGhostCheck(this.ctx),
      (e: unknown) => {
        markBookingReleased(this.bookingFile, this.key as string);
        this.ctx.log.warn(
          `could not release booking ${this.key} in ${this.bookingFile}: ${(e as Error).message}`,
        );
      },
    );
    return this.releasing;
  }

  /** Synchronous {@link release} (blocks up to 2 s for the lock); for exit paths. Never throws. */
  releaseSync(): void {
    if (this.releasing || this.key === null) {
      this.stopHolding();
      return;
    }
    this.stopHolding();
    this.releasing = Promise.resolve();
    try {
      transactSync(this.ctx, (data) => this.removeOwnEntry(data.bookings));
    } catch (e) {
      markBookingReleased(this.bookingFile, this.key);
      this.ctx.log.warn(
        `could not release booking ${this.key} in ${this.bookingFile}: ${(e as Error).message}`,
      );
    }
  }

  /** Called by the exit guard on exit or a fatal signal. */
  releaseAtExit(): void {
    this.releaseSync();
  }

  private stopHolding(): void {
    this.releasedFlag = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    unregisterForExit(this);
  }

  /**
   * Deletes our entry, but only if it is still ours (same pid): never someone else's under our key.
   * From now on this process no longer holds the key, so should another program's write bring it
   * back, the next locked step of this process removes it (own-entries.ts).
   */
  private removeOwnEntry(bookings: Record<string, BookingEntry>): { result: undefined; changed: boolean } {
    const key = this.key as string;
    markBookingReleased(this.bookingFile, key);
    const e = bookings[key];
    if (e && e.pid === process.pid) {
      delete bookings[key];
      return { result: undefined, changed: true };
    }
    return { result: undefined, changed: false };
  }

  /**
   * The periodic look: takes the lock only when the refresh is due, our booking is gone, or a
   * booking this process released was brought back.
   */
  private async check(): Promise<void> {
    if (this.releasedFlag || this.checking || this.key === null) return;
    this.checking = true;
    try {
      const due = Date.now() - this.lastRefreshMs >= this.times.refreshMs;
      if (!due) {
        const data = readBookingFile(this.bookingFile, Date.now() / 1000).data;
        const ghosts = findOwnGhosts(data, this.bookingFile);
        if (data.bookings[this.key]?.pid === process.pid && ghosts.keys.length + ghosts.tickets.length === 0)
          return;
      }
      await transact(this.ctx, this.reassert);
    } catch (e) {
      this.ctx.log.warn(
        `could not refresh booking ${this.key} in ${this.bookingFile}: ${(e as Error).message}`,
      );
    } finally {
      this.checking = false;
    }
  }

  /** Locked body: refresh our timestamp, or put our lost booking back if the capacity allows. */
  private reassert = (data: BookingFileData, nowS: number): { result: undefined; changed: boolean } => {
    const key = this.key as string;
    if (this.releasedFlag || this.entry === null) return { result: undefined, changed: false };
    const current = data.bookings[key];
    if (current && current.pid === process.pid) {
      current.timestamp = nowS;
      this.lastRefreshMs = nowS * 1000;
      return { result: undefined, changed: true };
    }
    // Our key under another pid cannot be ours to overwrite (keys start with our pid): leave it.
    if (current) return { result: undefined, changed: false };
    const freeGb = this.capacityGb - totalBookedGb(data.bookings);
    if (fits(this.gb, freeGb)) {
      this.ctx.log.warn(
        `booking ${key} (${this.gb} GB) vanished from ${this.bookingFile} (another program rewrote the file ` +
          `without the lock); re-added it`,
      );
      data.bookings[key] = { ...this.entry, timestamp: nowS };
      this.lastRefreshMs = nowS * 1000;
      this.displaced = false;
      return { result: undefined, changed: true };
    }
    if (!this.displaced) {
      const held = summarizeBookings(data).holders.map(describeHolder).join('; ') || 'nobody';
      this.ctx.log.warn(
        `booking ${key} (${this.gb} GB) vanished from ${this.bookingFile} (another program rewrote the file ` +
          `without the lock) and cannot be put back: only ${Number(Math.max(0, freeGb).toFixed(2))} of ` +
          `${this.capacityGb} GB are free now (held by ${held}). This job keeps its memory, so ${this.device} ` +
          `may be over-committed until someone releases; trying again every ${this.times.checkMs / 1000} s`,
      );
      this.displaced = true;
    }
    return { result: undefined, changed: false };
  };

  /** Plain facts, e.g. for JSON. */
  toJSON(): ReservationInfo & { released: boolean } {
    return {
      device: this.device,
      gb: this.gb,
      key: this.key,
      ticket: this.ticket,
      bookingFile: this.bookingFile,
      capacityGb: this.capacityGb,
      description: this.description,
      stage: this.stage,
      grantedAtMs: this.grantedAtMs,
      waitedMs: this.waitedMs,
      released: this.releasedFlag,
    };
  }
}

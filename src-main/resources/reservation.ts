import type { BookingEntry } from './booking-file';
import { type BookingContext, transact, transactSync } from './booking-transaction';
import { registerForExit, unregisterForExit, type ExitReleasable } from './exit-guard';

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

/**
 * A granted memory reservation: a booking in the device's booking file, owned by this process.
 *
 * While held, the booking's `timestamp` is refreshed every `refreshMs` (HiTMicTools deletes
 * bookings older than 3600 s, and other hosts expire ours on it) and re-added if a concurrent
 * unlocked HiTMicTools write lost it. It is released by {@link release} (idempotent), or at
 * process exit / SIGINT / SIGTERM through the exit guard, or — after a SIGKILL — by the next
 * acquirer, which sees the pid gone.
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

  /** Made by `acquireReservation`; `entry` is the booking as written (null for 0 GB). */
  constructor(
    info: ReservationInfo,
    private readonly ctx: BookingContext,
    private readonly entry: BookingEntry | null,
    refreshMs: number,
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
    if (this.key !== null) {
      registerForExit(this);
      this.refreshTimer = setInterval(() => void this.refresh(), refreshMs);
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
      () => undefined,
      (e: unknown) =>
        this.ctx.log.warn(
          `could not release booking ${this.key} in ${this.bookingFile}: ${(e as Error).message}`,
        ),
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

  /** Deletes our entry, but only if it is still ours (same pid): never someone else's under our key. */
  private removeOwnEntry(bookings: Record<string, BookingEntry>): { result: undefined; changed: boolean } {
    const key = this.key as string;
    const e = bookings[key];
    if (e && e.pid === process.pid) {
      delete bookings[key];
      return { result: undefined, changed: true };
    }
    return { result: undefined, changed: false };
  }

  /** Refreshes the timestamp; re-adds the entry if a concurrent unlocked write lost it. */
  private async refresh(): Promise<void> {
    if (this.releasedFlag || this.key === null || this.entry === null) return;
    const key = this.key;
    const entry = this.entry;
    try {
      await transact(this.ctx, (data, nowS) => {
        if (this.releasedFlag) return { result: undefined, changed: false };
        const current = data.bookings[key];
        if (!current) {
          this.ctx.log.warn(
            `booking ${key} (${this.gb} GB) vanished from ${this.bookingFile} (a concurrent unlocked write?); re-added it`,
          );
          data.bookings[key] = { ...entry, timestamp: nowS };
        } else current.timestamp = nowS;
        return { result: undefined, changed: true };
      });
    } catch (e) {
      this.ctx.log.warn(`could not refresh booking ${key} in ${this.bookingFile}: ${(e as Error).message}`);
    }
  }

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

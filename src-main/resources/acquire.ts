import { type AdmissionPolicy, fits } from './admission';
import { bookingContext, type ResourceLog, stderrLog, transact } from './booking-transaction';
import {
  bookingDirectory,
  bookingFilePath,
  capacityOrigin,
  normalizeDevice,
  resolveCapacityGb,
} from './devices';
import {
  InvalidReservationRequestError,
  RequestExceedsCapacityError,
  ReservationAbortedError,
  ReservationTimeoutError,
} from './errors';
import { registerForExit, unregisterForExit } from './exit-guard';
import { Reservation } from './reservation';
import { DEFAULT_STALE_LIMITS, type StaleLimits } from './stale-cleanup';
import { BookingFileWaker } from './wake';
import { stateKey, Waiter, type WaitState } from './waiter';

export { DEFAULT_AGING_LIMIT_MS, type WaitState } from './waiter';

export interface AcquireOptions {
  /** `cpu`, `mps`, `cuda_0` (or `cuda:0`, `cuda`). */
  device: string;
  /** GB (1024³ bytes) to book; 0 books nothing and returns at once, as HiTMicTools does. */
  gb: number;
  /** Give up after this long (default 600 000 ms, HiTMicTools' default). */
  timeoutMs?: number;
  /** Cap on what this app may book on the device (see `resolveCapacityGb`); else `HITMIC_CAPACITY_GB`. */
  capacityGb?: number;
  /** What set `capacityGb` (`--capacity-gb`, a config field), said to those who see this wait. */
  capacityFrom?: string;
  /** What the holder does, shown to others (`hitmic bookings`, timeout messages). */
  description?: string;
  /** Pipeline stage (`segmentation`, ...). */
  stage?: string;
  /** `fifo` (default): strict ticket order. `first-fit-aging`: may pass, see `decideAdmission`. */
  policy?: AdmissionPolicy;
  /** For `first-fit-aging`: how long this waiter agrees to be passed by later ones (default 60 000 ms). */
  agingLimitMs?: number;
  /** Cancels the wait (the queue entry is removed); has no effect once granted. */
  signal?: AbortSignal;
  /** Called when the wait starts and whenever what the waiter sees changes. */
  onWait?: (state: WaitState) => void;
  log?: ResourceLog;
  /** Booking directory (default `$TMPDIR`, else the OS temp dir). */
  dir?: string;
  /** Poll interval while waiting, at most 500 ms (default 250 ms). */
  pollMs?: number;
  /** Holder refresh interval (default 300 000 ms). */
  refreshMs?: number;
  /**
   * How often a holder looks, without the lock, whether its booking is still in the file, and puts
   * it back if another program's unlocked write dropped it (default 2000 ms).
   */
  checkMs?: number;
  limits?: StaleLimits;
}

function validate(opts: AcquireOptions): void {
  if (!Number.isFinite(opts.gb) || opts.gb < 0)
    throw new InvalidReservationRequestError('gb', opts.gb, 'a number of GB ≥ 0');
  if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0)) {
    throw new InvalidReservationRequestError(
      'timeoutMs',
      opts.timeoutMs,
      'a positive number of milliseconds',
    );
  }
  if (opts.pollMs !== undefined && !(opts.pollMs > 0 && opts.pollMs <= 500)) {
    throw new InvalidReservationRequestError('pollMs', opts.pollMs, 'between 1 and 500 ms');
  }
}

/**
 * Reserves `gb` of memory on a device, waiting in the device's FIFO queue until admitted.
 *
 * Admission (under the booking file's lock): `capacity − Σ bookings ≥ gb` and the queue policy
 * allows it (see `decideAdmission`). Every locked step first removes entries of processes that are
 * gone (logged). While waiting, the waiter wakes on a change of the file or every `pollMs`.
 * Rejects with {@link RequestExceedsCapacityError} at once when `gb` can never fit,
 * {@link ReservationTimeoutError} after `timeoutMs` (naming holders and waiters ahead), or
 * {@link ReservationAbortedError} when `signal` aborts; the queue entry is removed in each case.
 */
export async function acquireReservation(opts: AcquireOptions): Promise<Reservation> {
  validate(opts);
  const device = normalizeDevice(opts.device);
  const file = bookingFilePath(device, opts.dir ?? bookingDirectory());
  const ctx = bookingContext(file, opts.log ?? stderrLog, opts.limits ?? DEFAULT_STALE_LIMITS);
  const capacityGb = await resolveCapacityGb(device, opts.capacityGb);
  const startMs = Date.now();
  const info = {
    device,
    gb: opts.gb,
    bookingFile: file,
    capacityGb,
    description: opts.description ?? '',
    stage: opts.stage ?? '',
  };
  const times = { refreshMs: opts.refreshMs ?? 300_000, checkMs: opts.checkMs ?? 2000 };
  if (opts.gb === 0)
    return new Reservation(
      { ...info, key: null, ticket: null, grantedAtMs: startMs, waitedMs: 0 },
      ctx,
      null,
      times,
    );
  if (!fits(opts.gb, capacityGb)) throw new RequestExceedsCapacityError(device, opts.gb, capacityGb);
  if (opts.signal?.aborted) throw new ReservationAbortedError(device, opts.gb, 0);

  const capacityFrom =
    opts.capacityGb !== undefined && capacityGb < opts.capacityGb
      ? "the device's memory"
      : capacityOrigin(opts.capacityGb, opts.capacityFrom);
  const waiter = new Waiter(device, opts.gb, capacityGb, ctx, { ...opts, capacityFrom }, startMs);
  const deadline = startMs + (opts.timeoutMs ?? 600_000);
  const pollMs = opts.pollMs ?? 250;
  registerForExit(waiter);
  let waker: BookingFileWaker | null = null;
  let reported = '';
  try {
    await transact(ctx, waiter.attempt);
    while (!waiter.granted) {
      if (!waker) waker = new BookingFileWaker(file, opts.signal);
      const state = waiter.lastState;
      if (state && opts.onWait && stateKey(state) !== reported) {
        reported = stateKey(state);
        opts.onWait({ ...state, waitedMs: Date.now() - startMs });
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const s = waiter.lastState;
        throw new ReservationTimeoutError(
          device,
          opts.gb,
          capacityGb,
          s?.bookedGb ?? 0,
          Date.now() - startMs,
          s?.holders ?? [],
          s?.waitersAhead ?? [],
          file,
        );
      }
      await waker.sleep(Math.min(pollMs, remaining));
      if (opts.signal?.aborted) throw new ReservationAbortedError(device, opts.gb, Date.now() - startMs);
      if (waiter.worthLocking()) await transact(ctx, waiter.attempt);
    }
  } catch (e) {
    if (waiter.ticket !== null && !waiter.granted) {
      await transact(ctx, waiter.leaveQueue).catch(() => {
        // The entry is removed by others once this process is gone.
      });
    }
    throw e;
  } finally {
    waker?.close();
    unregisterForExit(waiter);
  }
  const grantedAtMs = Date.now();
  return new Reservation(
    { ...info, key: waiter.granted.key, ticket: waiter.ticket, grantedAtMs, waitedMs: grantedAtMs - startMs },
    ctx,
    waiter.granted.entry,
    times,
  );
}

/** Acquires, runs `fn`, and releases whatever happens (also when `fn` throws). */
export async function withReservation<T>(
  opts: AcquireOptions,
  fn: (r: Reservation) => Promise<T>,
): Promise<T> {
  const r = await acquireReservation(opts);
  try {
    return await fn(r);
  } finally {
    await r.release();
  }
}

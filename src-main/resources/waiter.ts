import { type AdmissionDecision, type AdmissionPolicy, decideAdmission, totalBookedGb } from './admission';
import {
  APP_ID,
  type BookingEntry,
  type BookingFileData,
  type QueueEntry,
  readBookingFile,
} from './booking-file';
import { type BookingContext, transactSync } from './booking-transaction';
import type { HolderSummary, WaiterSummary } from './errors';
import { isLocalProcessGone, LOCAL_HOST, OWN_PROC_START } from './liveness';
import {
  findOwnGhosts,
  markBookingHeld,
  markBookingReleased,
  markTicketDone,
  markTicketWaiting,
} from './own-entries';
import { summarizeBookings } from './snapshot';

/** What a waiter asked for, besides device and GB (a subset of `AcquireOptions`). */
export interface WaiterRequest {
  policy?: AdmissionPolicy;
  /** What set the capacity this waiter books against (`--capacity-gb`…), recorded in its queue entry. */
  capacityFrom?: string;
  agingLimitMs?: number;
  description?: string;
  stage?: string;
}

/** What a waiter sees, passed to `onWait` whenever it changes. */
export interface WaitState {
  device: string;
  requestGb: number;
  capacityGb: number;
  bookedGb: number;
  freeGb: number;
  ticket: number;
  /** 1 = head of the queue. */
  position: number;
  reason: Exclude<AdmissionDecision, { granted: true }>['reason'];
  holders: HolderSummary[];
  waitersAhead: WaiterSummary[];
  waitedMs: number;
}

/** Waiters refresh their queue heartbeat at most this often (each refresh is a write that wakes others). */
const HEARTBEAT_S = 5;
/** Default aging limit of `first-fit-aging` waiters. */
export const DEFAULT_AGING_LIMIT_MS = 60_000;
let bookingCounter = 0;

/** A per-process unique booking key `<pid>_<n>` (HiTMicTools' cleanup parses the pid before `_`). */
function newBookingKey(bookings: Record<string, BookingEntry>): string {
  let key: string;
  do key = `${process.pid}_${++bookingCounter}`;
  while (key in bookings);
  return key;
}

/** One waiter's state machine; all file changes happen inside `transact` bodies. */
export class Waiter {
  ticket: number | null = null;
  granted: { key: string; entry: BookingEntry } | null = null;
  lastState: WaitState | null = null;
  private readonly policy: AdmissionPolicy;
  private readonly description: string;
  private readonly stage: string;

  constructor(
    readonly device: string,
    readonly gb: number,
    readonly capacityGb: number,
    readonly ctx: BookingContext,
    readonly opts: WaiterRequest,
    readonly startMs: number,
  ) {
    this.policy = opts.policy ?? 'fifo';
    this.description = opts.description ?? '';
    this.stage = opts.stage ?? '';
  }

  private decide(data: BookingFileData, nowS: number): AdmissionDecision {
    return decideAdmission({
      capacityGb: this.capacityGb,
      bookedGb: totalBookedGb(data.bookings),
      queue: data.hitmic.queue.map((q) => ({
        ticket: q.ticket,
        gb: q.memory_gb,
        sinceS: q.since,
        policy: q.policy,
        agingLimitS: typeof q.aging_limit_s === 'number' ? q.aging_limit_s : undefined,
      })),
      ticket: this.ticket ?? -1,
      nowS,
      agingLimitS: DEFAULT_AGING_LIMIT_MS / 1000,
    });
  }

  private queueEntry(ticket: number, nowS: number, since = nowS): QueueEntry {
    const e: QueueEntry = {
      ticket,
      pid: process.pid,
      host: LOCAL_HOST,
      memory_gb: this.gb,
      description: this.description,
      since,
      heartbeat: nowS,
      policy: this.policy,
      app: APP_ID,
    };
    if (this.stage) e.stage = this.stage;
    // Others measure free memory against their own capacity: ours is written down so that a reader
    // can say why we wait (e.g. our --capacity-gb 3 while the device shows 20 GB free).
    e.capacity_gb = this.capacityGb;
    if (this.opts.capacityFrom) e.capacity_from = this.opts.capacityFrom;
    if (this.policy === 'first-fit-aging')
      e.aging_limit_s = (this.opts.agingLimitMs ?? DEFAULT_AGING_LIMIT_MS) / 1000;
    if (OWN_PROC_START) e.proc_start = OWN_PROC_START;
    return e;
  }

  /**
   * The transaction body: join (or re-join) the queue, keep the heartbeat, book if admitted.
   * Run again on a file another program replaced while we wrote it, a grant that went into the
   * lost file never happened: the waiter is back in the queue and admission is decided anew.
   */
  attempt = (data: BookingFileData, nowS: number): { result: undefined; changed: boolean } => {
    const file = this.ctx.file;
    if (this.granted) {
      if (data.bookings[this.granted.key]) return { result: undefined, changed: false };
      markBookingReleased(file, this.granted.key);
      this.granted = null;
      if (this.ticket !== null) markTicketWaiting(file, this.ticket);
    }
    let changed = false;
    const queue = data.hitmic.queue;
    if (this.ticket === null) {
      this.ticket = data.hitmic.next_ticket++;
      queue.push(this.queueEntry(this.ticket, nowS));
      markTicketWaiting(file, this.ticket);
      changed = true;
    } else {
      const mine = queue.find((q) => q.ticket === this.ticket && q.pid === process.pid);
      if (!mine) {
        // Lost by a concurrent unlocked write: re-join with the same ticket, keeping our place.
        this.ctx.log.warn(
          `queue entry ticket ${this.ticket} vanished from ${this.ctx.file}; re-joined with the same ticket`,
        );
        queue.push(this.queueEntry(this.ticket, nowS, this.startMs / 1000));
        queue.sort((a, b) => a.ticket - b.ticket);
        data.hitmic.next_ticket = Math.max(data.hitmic.next_ticket, this.ticket + 1);
        changed = true;
      } else if (nowS - mine.heartbeat >= HEARTBEAT_S) {
        mine.heartbeat = nowS;
        changed = true;
      }
    }
    const decision = this.decide(data, nowS);
    if (decision.granted) {
      data.hitmic.queue = queue.filter((q) => q.ticket !== this.ticket);
      const key = newBookingKey(data.bookings);
      const entry: BookingEntry = {
        memory_gb: this.gb,
        timestamp: nowS,
        pid: process.pid,
        app: APP_ID,
        host: LOCAL_HOST,
        holder: this.description,
        stage: this.stage,
        since: nowS,
        ticket: this.ticket as number,
      };
      if (OWN_PROC_START) entry.proc_start = OWN_PROC_START;
      data.bookings[key] = entry;
      this.granted = { key, entry };
      markTicketDone(file, this.ticket as number);
      markBookingHeld(file, key);
      return { result: undefined, changed: true };
    }
    this.lastState = this.waitState(data, decision);
    return { result: undefined, changed };
  };

  /** Lock-free look at the file: is taking the lock worth it (admission likely, cleanup or heartbeat due)? */
  worthLocking(): boolean {
    const nowS = Date.now() / 1000;
    const read = readBookingFile(this.ctx.file, nowS);
    if (read.problems.length > 0) return true;
    const mine = read.data.hitmic.queue.find((q) => q.ticket === this.ticket && q.pid === process.pid);
    if (!mine || nowS - mine.heartbeat >= HEARTBEAT_S) return true;
    const ghosts = findOwnGhosts(read.data, this.ctx.file);
    if (ghosts.keys.length > 0 || ghosts.tickets.length > 0) return true;
    const sameHost = (h: unknown): boolean => !h || h === LOCAL_HOST;
    for (const b of Object.values(read.data.bookings)) {
      if (
        sameHost(b.host) &&
        isLocalProcessGone(b.pid, typeof b.proc_start === 'string' ? b.proc_start : undefined)
      )
        return true;
    }
    for (const q of read.data.hitmic.queue)
      if (sameHost(q.host) && isLocalProcessGone(q.pid, q.proc_start)) return true;
    const decision = this.decide(read.data, nowS);
    if (!decision.granted) this.lastState = this.waitState(read.data, decision);
    return decision.granted;
  }

  waitState(data: BookingFileData, decision: Exclude<AdmissionDecision, { granted: true }>): WaitState {
    const { holders, waiters } = summarizeBookings(data);
    const position = data.hitmic.queue.findIndex((q) => q.ticket === this.ticket) + 1;
    return {
      device: this.device,
      requestGb: this.gb,
      capacityGb: this.capacityGb,
      bookedGb: totalBookedGb(data.bookings),
      freeGb: decision.freeGb,
      ticket: this.ticket ?? -1,
      position,
      reason: decision.reason,
      holders,
      waitersAhead: waiters.filter((w) => this.ticket !== null && w.ticket < this.ticket),
      waitedMs: Date.now() - this.startMs,
    };
  }

  /** Removes our queue entry (after a timeout, an abort or an error). */
  leaveQueue = (data: BookingFileData): { result: undefined; changed: boolean } => {
    if (this.ticket !== null) markTicketDone(this.ctx.file, this.ticket);
    const before = data.hitmic.queue.length;
    data.hitmic.queue = data.hitmic.queue.filter((q) => !(q.ticket === this.ticket && q.pid === process.pid));
    return { result: undefined, changed: data.hitmic.queue.length !== before };
  };

  /** Exit guard hook: leave the queue synchronously if the process ends while waiting. */
  releaseAtExit(): void {
    if (this.ticket !== null && !this.granted) transactSync(this.ctx, this.leaveQueue);
  }
}

/** Signature of what a waiter reports, so `onWait` fires only on a visible change. */
export function stateKey(s: WaitState): string {
  return JSON.stringify([
    s.position,
    s.reason,
    s.bookedGb,
    s.holders.map((h) => h.key),
    s.waitersAhead.map((w) => w.ticket),
  ]);
}

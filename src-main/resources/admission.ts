/**
 * The admission rule, as pure functions of a booking-file state (no I/O, no clock), so it can be
 * tested exhaustively and reasoned about apart from locking and waking.
 *
 * Capacity accounting is HiTMicTools' ("Σ bookings + request ≤ capacity"), not the device's real free
 * memory: memory used by processes that do not book is not seen. Fairness is ours: see
 * {@link decideAdmission}.
 */

/** How a waiter agrees to be ordered. */
export type AdmissionPolicy = 'fifo' | 'first-fit-aging';

/** A queued waiter as the admission rule sees it. */
export interface AdmissionWaiter {
  ticket: number;
  gb: number;
  /** Epoch seconds when it joined the queue. */
  sinceS: number;
  policy: AdmissionPolicy;
  /** How long this waiter agrees to be passed (its own aging limit); default: the input's `agingLimitS`. */
  agingLimitS?: number;
}

export interface AdmissionInput {
  capacityGb: number;
  /** Σ memory_gb of all current bookings on the device (ours and HiTMicTools'). */
  bookedGb: number;
  /** The whole queue, any order. */
  queue: AdmissionWaiter[];
  /** Ticket of the waiter asking. */
  ticket: number;
  nowS: number;
  /** Aging limit in seconds for waiters that do not state their own. */
  agingLimitS: number;
}

export type AdmissionDecision =
  | { granted: true; freeGb: number }
  | { granted: false; reason: 'not-queued'; freeGb: number }
  | { granted: false; reason: 'insufficient-memory'; freeGb: number }
  | { granted: false; reason: 'waiting-behind'; freeGb: number; blockedBy: number };

/** Tolerance for float sums of GB (0.1 + 0.2 ≠ 0.3). */
export const GB_EPSILON = 1e-9;

/** `true` when `gb` fits into `freeGb`, with float tolerance. */
export function fits(gb: number, freeGb: number): boolean {
  return gb <= freeGb + GB_EPSILON;
}

/**
 * Decides whether the waiter holding `ticket` may book now.
 *
 * - Always required: `capacity − booked ≥ request`.
 * - A `fifo` waiter must be the head of the queue (lowest ticket): grants happen in ticket order.
 * - A `first-fit-aging` waiter may pass every waiter ahead of it only if each of them
 *   (a) also chose `first-fit-aging` (a `fifo` waiter is never passed),
 *   (b) does not fit in the free memory now (if it fits, it is its turn), and
 *   (c) has waited less than its own aging limit (once a waiter has aged, nobody passes it, so
 *       memory drains towards it and it cannot starve).
 */
export function decideAdmission(input: AdmissionInput): AdmissionDecision {
  const freeGb = input.capacityGb - input.bookedGb;
  const me = input.queue.find((w) => w.ticket === input.ticket);
  if (!me) return { granted: false, reason: 'not-queued', freeGb };
  if (!fits(me.gb, freeGb)) return { granted: false, reason: 'insufficient-memory', freeGb };
  const ahead = input.queue.filter((w) => w.ticket < me.ticket).sort((a, b) => a.ticket - b.ticket);
  for (const a of ahead) {
    const passable =
      me.policy === 'first-fit-aging' &&
      a.policy === 'first-fit-aging' &&
      !fits(a.gb, freeGb) &&
      input.nowS - a.sinceS < (a.agingLimitS ?? input.agingLimitS);
    if (!passable) return { granted: false, reason: 'waiting-behind', freeGb, blockedBy: a.ticket };
  }
  return { granted: true, freeGb };
}

/** Σ of `memory_gb` over bookings; each `<pid>_<n>` key counts on its own. */
export function totalBookedGb(bookings: Record<string, { memory_gb: number }>): number {
  let sum = 0;
  for (const b of Object.values(bookings)) sum += b.memory_gb;
  return sum;
}

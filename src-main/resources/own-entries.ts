import { APP_ID, type BookingFileData } from './booking-file';
import { LOCAL_HOST, OWN_PROC_START } from './liveness';

/**
 * Which bookings and queue tickets this process holds right now, per booking file.
 *
 * HiTMicTools rewrites the booking file from a copy it read moments before, without our lock. Such
 * a write can drop an entry we just added (our holders and waiters put theirs back) and can also
 * bring back one we just removed: a released booking or a granted waiter's queue entry, now
 * carrying the pid of a live process — ours — so no liveness check would ever remove it. Only
 * this process knows those entries are ghosts; every locked step it takes removes them.
 *
 * The registry lives on `globalThis` so that two copies of this module loaded in one process
 * (a bundled and an unbundled build) agree on what the process holds.
 */
interface Registry {
  bookings: Set<string>;
  tickets: Set<string>;
}

const REGISTRY = Symbol.for('hitmic-studio.resources.own-entries');

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  g[REGISTRY] ??= { bookings: new Set(), tickets: new Set() };
  return g[REGISTRY];
}

const id = (file: string, what: string | number): string => `${file}\u0000${what}`;

export function markBookingHeld(file: string, key: string): void {
  registry().bookings.add(id(file, key));
}

export function markBookingReleased(file: string, key: string): void {
  registry().bookings.delete(id(file, key));
}

export function markTicketWaiting(file: string, ticket: number): void {
  registry().tickets.add(id(file, ticket));
}

export function markTicketDone(file: string, ticket: number): void {
  registry().tickets.delete(id(file, ticket));
}

/** An entry written by this very process (same pid, host and start time, our app marker). */
function writtenHere(e: { pid: unknown; host?: unknown; proc_start?: unknown; app?: unknown }): boolean {
  return (
    e.pid === process.pid &&
    e.app === APP_ID &&
    (e.host === undefined || e.host === LOCAL_HOST) &&
    (e.proc_start === undefined || OWN_PROC_START === undefined || e.proc_start === OWN_PROC_START)
  );
}

/** Bookings and queue tickets of this process in `data` that it no longer holds. */
export function findOwnGhosts(data: BookingFileData, file: string): { keys: string[]; tickets: number[] } {
  const r = registry();
  const keys = Object.entries(data.bookings)
    .filter(([key, b]) => writtenHere(b) && !r.bookings.has(id(file, key)))
    .map(([key]) => key);
  const tickets = data.hitmic.queue
    .filter((q) => writtenHere(q) && !r.tickets.has(id(file, q.ticket)))
    .map((q) => q.ticket);
  return { keys, tickets };
}

/** Removes this process's ghosts (see above) in place and says what went, for the log. */
export function removeOwnGhosts(data: BookingFileData, file: string): string[] {
  const { keys, tickets } = findOwnGhosts(data, file);
  const said: string[] = [];
  for (const key of keys) {
    said.push(
      `removed booking ${key} (${data.bookings[key].memory_gb} GB) of this process, which had released it; ` +
        `an unlocked write by another program had put it back`,
    );
    delete data.bookings[key];
  }
  if (tickets.length > 0) {
    data.hitmic.queue = data.hitmic.queue.filter((q) => !(writtenHere(q) && tickets.includes(q.ticket)));
    said.push(
      `removed queue ticket(s) ${tickets.join(', ')} of this process, which no longer waits for them; ` +
        `an unlocked write by another program had put them back`,
    );
  }
  return said;
}

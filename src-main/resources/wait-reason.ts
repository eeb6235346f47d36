/**
 * Why a waiter waits, in one sentence a microscopist can act on: which capacity it is measured
 * against (its own: `--capacity-gb`, `HITMIC_CAPACITY_GB` or the device's memory — not the free
 * memory the system shows), how much of it is booked and by whom, or whom it queues behind.
 * Pure: the caller reads the booking file and the processes.
 */

/** A process as named in reasons: `pid 1234 (hitmic run, user ana)`. */
export interface NamedProcess {
  pid: number;
  /** Absent or this machine's name for local processes. */
  host?: string;
  command?: string;
  user?: string;
}

export interface WaitReasonInput {
  waiter: {
    gb: number;
    /** 1 = head of the queue. */
    position: number;
    /** The capacity the waiter books against, as it recorded it in its queue entry. */
    capacityGb?: number;
    /** What set that capacity, e.g. `--capacity-gb`. */
    capacityFrom?: string;
  };
  /** The reader's capacity, used when the waiter recorded none; null when unknown here. */
  readerCapacityGb: number | null;
  bookedGb: number;
  holders: (NamedProcess & { gb: number })[];
  /** Waiters ahead in the queue, head first. */
  ahead: (NamedProcess & { gb: number })[];
  /** Host name of this machine (processes of other hosts get `@host`). */
  localHost?: string;
}

const gb = (n: number) => `${n.toFixed(1)} GB`;
const trim = (n: number) => `${Number(n.toFixed(2))} GB`;

/** `pid 1234 (hitmic run, user ana)`; `pid 1234 @node7` for another machine's process. */
export function processLabel(p: NamedProcess, localHost?: string): string {
  const where = p.host && localHost && p.host !== localHost ? ` @${p.host}` : '';
  const facts = [p.command, p.user && `user ${p.user}`].filter(Boolean).join(', ');
  return `pid ${p.pid}${where}${facts ? ` (${facts})` : ''}`;
}

/** The sentence: e.g. "waits for 3.0 GB of the 3 GB capacity set by --capacity-gb; …". */
export function waitReason(input: WaitReasonInput): string {
  const { waiter, bookedGb, localHost } = input;
  const capacity = waiter.capacityGb ?? input.readerCapacityGb;
  if (capacity === null || capacity === undefined)
    return `waits for ${gb(waiter.gb)}; this machine cannot tell the capacity it books against`;
  const from = waiter.capacityGb !== undefined ? (waiter.capacityFrom ?? 'its own setting') : 'this app';
  const free = capacity - bookedGb;
  const holders = input.holders
    .slice()
    .sort((a, b) => b.gb - a.gb)
    .map((h) => `${processLabel(h, localHost)} ${trim(h.gb)}`);
  if (waiter.gb > free + 1e-9) {
    const booked =
      holders.length > 0
        ? `${gb(bookedGb)} of it is booked (${gb(Math.max(0, free))} free), held by ${holders.join('; ')}`
        : `${gb(Math.max(0, free))} of it is free`;
    return `waits for ${gb(waiter.gb)} of the ${trim(capacity)} capacity set by ${from}; ${booked}`;
  }
  if (waiter.position > 1 && input.ahead.length > 0) {
    const head = input.ahead[0];
    return `fits in the ${gb(free)} free of the ${trim(capacity)} capacity set by ${from}, but waits its turn: ${input.ahead.length} ahead in the queue, first ${processLabel(head, localHost)} asking ${gb(head.gb)}`;
  }
  return `fits in the ${gb(free)} free of the ${trim(capacity)} capacity set by ${from}: it gets its memory at its next look (within half a second)`;
}

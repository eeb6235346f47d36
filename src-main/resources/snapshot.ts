import fs from 'node:fs';
import { APP_ID, type BookingFileData, readBookingFile } from './booking-file';
import { totalBookedGb } from './admission';
import { bookingDirectory, bookingFilePath, normalizeDevice, resolveCapacityGb } from './devices';
import type { HolderSummary, WaiterSummary } from './errors';
import { validGb } from './booking-values';
import { isLocalProcessGone, LOCAL_HOST } from './liveness';
import { describeLocalProcess } from './process-info';
import { waitReason } from './wait-reason';

/** A holder as shown by `hitmic bookings` and the Resources view. */
export interface HolderView extends HolderSummary {
  /** `hitmic-studio`, or `HiTMicTools` for entries without our marker. */
  app: string;
  stage: string;
  /** Ticket it was granted to (ours only). */
  ticket: number | null;
  /** Same-host process no longer exists: the next acquire removes this entry. */
  gone: boolean;
  /** The program and user of a same-host process (`hitmic run`, `ana`), when this machine can tell. */
  command?: string;
  user?: string;
}

/** A waiter as shown by `hitmic bookings`, in queue order. */
export interface WaiterView extends WaiterSummary {
  /** 1 = head of the queue. */
  position: number;
  policy: 'fifo' | 'first-fit-aging';
  stage: string;
  gone: boolean;
  /** The capacity the waiter books against and what set it, as it recorded them (ours only). */
  capacityGb?: number;
  capacityFrom?: string;
  command?: string;
  user?: string;
  /** Why it waits, in one sentence (see wait-reason.ts); filled by `readBookings`. */
  reason?: string;
}

/** Who holds and who waits on one device, read without taking the lock. */
export interface BookingSnapshot {
  device: string;
  bookingFile: string;
  /** False when no booking file exists yet (nobody booked since the temp dir was cleaned). */
  exists: boolean;
  /** What this app may book on the device (see `resolveCapacityGb`); null when unknown here. */
  capacityGb: number | null;
  bookedGb: number;
  /** capacity − booked, or null when the capacity is unknown. */
  freeGb: number | null;
  holders: HolderView[];
  waiters: WaiterView[];
  /** Damage found in the file (it is repaired by the next acquire or release). */
  problems: string[];
  /** Epoch milliseconds of this reading. */
  readAtMs: number;
}

/** Builds holder and waiter summaries from file data; `gone` is checked for same-host entries only. */
export function summarizeBookings(data: BookingFileData): { holders: HolderView[]; waiters: WaiterView[] } {
  const holders: HolderView[] = Object.entries(data.bookings).map(([key, b]) => {
    const host = typeof b.host === 'string' && b.host ? b.host : LOCAL_HOST;
    const ours = b.app === APP_ID;
    const procStart = typeof b.proc_start === 'string' ? b.proc_start : undefined;
    return {
      key,
      pid: b.pid,
      host,
      gb: b.memory_gb,
      sinceMs: (typeof b.since === 'number' ? b.since : b.timestamp) * 1000,
      description: typeof b.holder === 'string' ? b.holder : '',
      foreign: !ours,
      app: ours ? APP_ID : typeof b.app === 'string' ? b.app : 'HiTMicTools',
      stage: typeof b.stage === 'string' ? b.stage : '',
      ticket: typeof b.ticket === 'number' ? b.ticket : null,
      gone: host === LOCAL_HOST && isLocalProcessGone(b.pid, procStart),
    };
  });
  holders.sort((a, b) => a.sinceMs - b.sinceMs);
  const waiters: WaiterView[] = data.hitmic.queue.map((q, i) => {
    const host = q.host || LOCAL_HOST;
    return {
      ticket: q.ticket,
      pid: q.pid,
      host,
      gb: q.memory_gb,
      sinceMs: q.since * 1000,
      description: q.description,
      position: i + 1,
      policy: q.policy,
      stage: typeof q.stage === 'string' ? q.stage : '',
      gone: host === LOCAL_HOST && isLocalProcessGone(q.pid, q.proc_start),
      capacityGb: validGb(q.capacity_gb) ?? undefined,
      // Any user may write the file: a short plain label or nothing.
      capacityFrom:
        typeof q.capacity_from === 'string' && /^[\w .,'()=-]{1,60}$/.test(q.capacity_from)
          ? q.capacity_from
          : undefined,
    };
  });
  return { holders, waiters };
}

/**
 * Reads who holds and who waits on a device, without the lock (writes leave the file parseable at
 * every instant and the read retries the rare read that races one, see booking-store.ts) and
 * without changing anything. Absurd entries are left out or repaired and named in `problems`.
 * `capacityGb` caps the capacity as in `resolveCapacityGb`; an unknown capacity gives `null`.
 */
export async function readBookings(
  device: string,
  opts: { dir?: string; capacityGb?: number } = {},
): Promise<BookingSnapshot> {
  const d = normalizeDevice(device);
  const file = bookingFilePath(d, opts.dir ?? bookingDirectory());
  const read = readBookingFile(file, Date.now() / 1000);
  let capacityGb: number | null;
  try {
    capacityGb = await resolveCapacityGb(d, opts.capacityGb);
  } catch {
    capacityGb = null;
  }
  const bookedGb = totalBookedGb(read.data.bookings);
  const { holders, waiters } = summarizeBookings(read.data);
  // Who a process is (program, user) is read once per reading, for this host's processes only.
  const facts = (p: { pid: number; host: string; gone: boolean }) =>
    p.host === LOCAL_HOST && !p.gone ? describeLocalProcess(p.pid) : {};
  const named = holders.map((h) => ({ ...h, ...facts(h) }));
  const queued = waiters.map((w) => ({ ...w, ...facts(w) }));
  for (const w of queued)
    w.reason = waitReason({
      waiter: w,
      readerCapacityGb: capacityGb,
      bookedGb,
      holders: named,
      ahead: queued.filter((a) => a.position < w.position),
      localHost: LOCAL_HOST,
    });
  return {
    device: d,
    bookingFile: file,
    exists: read.exists,
    capacityGb,
    bookedGb,
    freeGb: capacityGb === null ? null : capacityGb - bookedGb,
    holders: named,
    waiters: queued,
    problems: read.problems,
    readAtMs: Date.now(),
  };
}

/** Devices that have a booking file in the booking directory (sorted), e.g. `['cpu', 'cuda_0']`. */
export function listBookedDevices(dir: string = bookingDirectory()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^memory_bookings_(cpu|mps|cuda_\d+)\.json$/.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
}

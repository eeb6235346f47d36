import { readBookingText } from './booking-store';
import {
  parsePythonJson,
  pidFromKey,
  shown,
  validGb,
  validPid,
  validTicket,
  validTimestamp,
} from './booking-values';

/** The `app` value marking a booking or queue entry as written by this app. */
export const APP_ID = 'hitmic-studio';

/**
 * One booking as HiTMicTools writes it (`memory_gb`, `timestamp` in epoch seconds, `pid`), plus the
 * fields this app adds to its own entries. HiTMicTools ignores fields it does not know and keeps them
 * when it rewrites the file; unknown fields from others are kept by us too.
 */
export interface BookingEntry {
  memory_gb: number;
  /** Epoch seconds (float). HiTMicTools purges entries older than 3600 s, so our holders refresh it. */
  timestamp: number;
  pid: number;
  /** `'hitmic-studio'` on our entries; absent on HiTMicTools'. */
  app?: string;
  /** `os.hostname()` of the holder; absent (HiTMicTools) means this host. */
  host?: string;
  /** What the holder is doing (job, movie, model). */
  holder?: string;
  /** Pipeline stage, e.g. `segmentation`. */
  stage?: string;
  /** Epoch seconds when the booking was granted (timestamp is refreshed, this is not). */
  since?: number;
  /** Queue ticket the booking was granted to. */
  ticket?: number;
  /** Linux process start time (clock ticks since boot), to tell a reused pid from the holder. */
  proc_start?: string;
  [extra: string]: unknown;
}

/** A waiter in this app's FIFO queue (HiTMicTools does not queue). */
export interface QueueEntry {
  ticket: number;
  pid: number;
  host: string;
  memory_gb: number;
  description: string;
  stage?: string;
  /** Epoch seconds when the waiter joined the queue. */
  since: number;
  /** Epoch seconds of the waiter's last sign of life; waiters from other hosts expire on it. */
  heartbeat: number;
  /** `fifo` waiters are never passed; `first-fit-aging` waiters may be, within the aging limit. */
  policy: 'fifo' | 'first-fit-aging';
  /** For `first-fit-aging`: seconds this waiter agrees to be passed by later ones. */
  aging_limit_s?: number;
  /** The capacity (GB) this waiter books against, and what set it (`--capacity-gb`, …). */
  capacity_gb?: number;
  capacity_from?: string;
  proc_start?: string;
  [extra: string]: unknown;
}

/** This app's own section of the booking file. */
export interface HitmicSection {
  queue: QueueEntry[];
  next_ticket: number;
  [extra: string]: unknown;
}

/** The whole booking file. Unknown top-level keys are preserved on rewrite. */
export interface BookingFileData {
  bookings: Record<string, BookingEntry>;
  /** Epoch seconds of the last stale cleanup (HiTMicTools cleans only when this is ≥ 300 s old). */
  last_cleanup: number;
  hitmic: HitmicSection;
  [extra: string]: unknown;
}

/** A parsed booking file plus what had to be repaired to read it (empty when it was well formed). */
export interface ParsedBookingFile {
  data: BookingFileData;
  problems: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A fresh, empty booking file content. */
export function emptyBookingData(nowS: number): BookingFileData {
  return { bookings: {}, last_cleanup: nowS, hitmic: { queue: [], next_ticket: 1 } };
}

/**
 * One booking as written, checked field by field (see booking-values.ts): null when it cannot be
 * counted (no believable GB, no believable process id), else the entry with absurd optional fields
 * repaired. Every repair or refusal is added to `problems`.
 */
function checkBooking(key: string, entry: unknown, nowS: number, problems: string[]): BookingEntry | null {
  const where = `booking '${key}'`;
  if (!isRecord(entry)) {
    problems.push(`${where} is ${shown(entry)}, not an object; ignored it`);
    return null;
  }
  const memory_gb = validGb(entry.memory_gb);
  if (memory_gb === null) {
    problems.push(
      `${where} has 'memory_gb' ${shown(entry.memory_gb)}, expected GB from 0 to 1048576; ignored it`,
    );
    return null;
  }
  // HiTMicTools' cleanup judges an entry by the pid in its key; ours agree with their 'pid' field.
  let pid = validPid(entry.pid);
  if (pid === null) {
    pid = pidFromKey(key);
    if (pid === null) {
      problems.push(`${where} has 'pid' ${shown(entry.pid)} and its key names no process either; ignored it`);
      return null;
    }
    if (entry.pid !== undefined)
      problems.push(`${where} has 'pid' ${shown(entry.pid)}; used ${pid} from its key`);
  }
  const out: BookingEntry = { ...entry, memory_gb, pid, timestamp: nowS };
  const timestamp = validTimestamp(entry.timestamp, nowS);
  if (timestamp === null)
    problems.push(`${where} has 'timestamp' ${shown(entry.timestamp)}, not a time; counted it from now`);
  else out.timestamp = timestamp;
  if (entry.since !== undefined && validTimestamp(entry.since, nowS) === null) {
    problems.push(`${where} has 'since' ${shown(entry.since)}, not a time; dropped that field`);
    delete out.since;
  }
  if (entry.ticket !== undefined && validTicket(entry.ticket) === null) {
    problems.push(`${where} has 'ticket' ${shown(entry.ticket)}; dropped that field`);
    delete out.ticket;
  }
  return out;
}

/** One queue entry as written, checked like {@link checkBooking}; null when it cannot be used. */
function checkWaiter(q: unknown, nowS: number, problems: string[]): QueueEntry | null {
  if (!isRecord(q)) {
    problems.push(`a queue entry is ${shown(q)}, not an object; ignored it`);
    return null;
  }
  const ticket = validTicket(q.ticket);
  const pid = validPid(q.pid);
  const memory_gb = validGb(q.memory_gb);
  if (ticket === null || pid === null || memory_gb === null) {
    problems.push(
      `queue entry with ticket ${shown(q.ticket)}, pid ${shown(q.pid)}, memory_gb ${shown(q.memory_gb)} ` +
        `has no believable ticket, process id or GB; ignored it`,
    );
    return null;
  }
  let since = validTimestamp(q.since, nowS);
  if (since === null) {
    problems.push(`queue ticket ${ticket} has 'since' ${shown(q.since)}, not a time; counted it from now`);
    since = nowS;
  }
  return {
    ...q,
    ticket,
    pid,
    memory_gb,
    since,
    host: typeof q.host === 'string' ? q.host : '',
    description: typeof q.description === 'string' ? q.description : '',
    heartbeat: validTimestamp(q.heartbeat, nowS) ?? since,
    policy: q.policy === 'first-fit-aging' ? 'first-fit-aging' : 'fifo',
    proc_start: typeof q.proc_start === 'string' ? q.proc_start : undefined,
  };
}

/**
 * Parses booking-file text leniently, for a file every program and user on the machine may write:
 * an empty file, invalid JSON, a non-object or a wrong-typed `bookings` is read as empty; entries
 * that cannot be counted (absurd GB or process id) are ignored; absurd times are counted from now
 * (see booking-values.ts). Python's `NaN` and `Infinity` are read as null. Every such repair is
 * listed in `problems` so the caller can warn and rewrite the file. Never throws.
 * A booking without a valid `pid` takes it from its key (`"123"` or `"123_2"`), as HiTMicTools' cleanup does.
 */
export function parseBookingFile(text: string, nowS: number): ParsedBookingFile {
  const problems: string[] = [];
  const data = emptyBookingData(nowS);
  if (text.trim() === '') return { data, problems: ['the file is empty'] };
  let raw: unknown;
  try {
    const parsed = parsePythonJson(text);
    raw = parsed.value;
    if (parsed.nonJsonTokens > 0)
      problems.push(
        `${parsed.nonJsonTokens} NaN/Infinity value(s) (Python's json writes them) were read as null`,
      );
  } catch (e) {
    return { data, problems: [`the file is not valid JSON (${(e as Error).message}); it may be truncated`] };
  }
  if (!isRecord(raw)) return { data, problems: ['the file does not hold a JSON object'] };
  for (const [k, v] of Object.entries(raw))
    if (k !== 'bookings' && k !== 'last_cleanup' && k !== 'hitmic') data[k] = v;
  if (raw.last_cleanup !== undefined) {
    const t = validTimestamp(raw.last_cleanup, nowS);
    if (t === null) problems.push(`'last_cleanup' is ${shown(raw.last_cleanup)}, not a time`);
    else data.last_cleanup = t;
  }
  if (raw.bookings === undefined) problems.push(`'bookings' is missing`);
  else if (!isRecord(raw.bookings)) problems.push(`'bookings' is not an object`);
  else {
    for (const [key, entry] of Object.entries(raw.bookings)) {
      const checked = checkBooking(key, entry, nowS, problems);
      if (checked) data.bookings[key] = checked;
    }
  }
  if (raw.hitmic !== undefined) {
    const h = raw.hitmic;
    if (!isRecord(h) || !Array.isArray(h.queue))
      problems.push(`'hitmic' section is malformed; the queue was reset`);
    else {
      Object.assign(data.hitmic, h, { queue: [] });
      for (const q of h.queue) {
        const checked = checkWaiter(q, nowS, problems);
        if (checked) data.hitmic.queue.push(checked);
      }
      const maxTicket = Math.max(0, ...data.hitmic.queue.map((q) => q.ticket));
      data.hitmic.next_ticket = Math.max(validTicket(h.next_ticket) ?? 1, maxTicket + 1);
    }
  }
  data.hitmic.queue.sort((a, b) => a.ticket - b.ticket);
  return { data, problems };
}

/** Result of reading a booking file from disk. */
export interface BookingFileRead extends ParsedBookingFile {
  /** False when the file did not exist (not a problem: it is created on first booking). */
  exists: boolean;
}

/**
 * Reads and parses a booking file without the lock (retrying briefly while a write is in flight);
 * a missing file is an empty one without problems. Throws BookingPermissionError when unreadable.
 */
export function readBookingFile(file: string, nowS: number): BookingFileRead {
  const text = readBookingText(file);
  if (text === null) return { data: emptyBookingData(nowS), problems: [], exists: false };
  return { ...parseBookingFile(text, nowS), exists: true };
}

/** Serialises like HiTMicTools' `json.dump(..., indent=2)`; our queue section goes last. */
export function serializeBookingFile(data: BookingFileData): string {
  const { bookings, last_cleanup, hitmic, ...rest } = data;
  return JSON.stringify({ bookings, last_cleanup, ...rest, hitmic }, null, 2);
}

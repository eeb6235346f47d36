import fs from 'node:fs';
import { writeFileAtomic } from '../io';

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
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A fresh, empty booking file content. */
export function emptyBookingData(nowS: number): BookingFileData {
  return { bookings: {}, last_cleanup: nowS, hitmic: { queue: [], next_ticket: 1 } };
}

/**
 * Parses booking-file text leniently: an empty file, invalid JSON, a non-object or a wrong-typed
 * `bookings` is read as empty; single malformed bookings or queue entries are dropped. Every such
 * repair is listed in `problems` so the caller can warn and rewrite the file.
 * A booking without `pid` takes it from its key (`"123"` or `"123_2"`), as HiTMicTools' cleanup does.
 */
export function parseBookingFile(text: string, nowS: number): ParsedBookingFile {
  const problems: string[] = [];
  const data = emptyBookingData(nowS);
  if (text.trim() === '') return { data, problems: ['the file is empty'] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { data, problems: [`the file is not valid JSON (${(e as Error).message}); it may be truncated`] };
  }
  if (!isRecord(raw)) return { data, problems: ['the file does not hold a JSON object'] };
  for (const [k, v] of Object.entries(raw))
    if (k !== 'bookings' && k !== 'last_cleanup' && k !== 'hitmic') data[k] = v;
  if (isNum(raw.last_cleanup)) data.last_cleanup = raw.last_cleanup;
  else if (raw.last_cleanup !== undefined) problems.push(`'last_cleanup' is not a number`);
  if (raw.bookings === undefined) problems.push(`'bookings' is missing`);
  else if (!isRecord(raw.bookings)) problems.push(`'bookings' is not an object`);
  else {
    for (const [key, entry] of Object.entries(raw.bookings)) {
      const pidFromKey = Number(key.split('_')[0]);
      if (!isRecord(entry) || !isNum(entry.memory_gb) || entry.memory_gb < 0) {
        problems.push(`booking '${key}' has no valid 'memory_gb'`);
        continue;
      }
      const pid = isNum(entry.pid) ? entry.pid : pidFromKey;
      if (!Number.isInteger(pid) || pid <= 0) {
        problems.push(`booking '${key}' names no process id`);
        continue;
      }
      const timestamp = isNum(entry.timestamp) ? entry.timestamp : nowS;
      if (!isNum(entry.timestamp)) problems.push(`booking '${key}' has no valid 'timestamp'`);
      data.bookings[key] = { ...entry, memory_gb: entry.memory_gb, timestamp, pid };
    }
  }
  if (raw.hitmic !== undefined) {
    const h = raw.hitmic;
    if (!isRecord(h) || !Array.isArray(h.queue))
      problems.push(`'hitmic' section is malformed; the queue was reset`);
    else {
      Object.assign(data.hitmic, h, { queue: [] });
      for (const q of h.queue) {
        if (isRecord(q) && isNum(q.ticket) && isNum(q.pid) && isNum(q.memory_gb) && isNum(q.since)) {
          data.hitmic.queue.push({
            ...q,
            ticket: q.ticket,
            pid: q.pid,
            memory_gb: q.memory_gb,
            since: q.since,
            host: typeof q.host === 'string' ? q.host : '',
            description: typeof q.description === 'string' ? q.description : '',
            heartbeat: isNum(q.heartbeat) ? q.heartbeat : q.since,
            policy: q.policy === 'first-fit-aging' ? 'first-fit-aging' : 'fifo',
          });
        } else problems.push('a malformed queue entry was dropped');
      }
      const maxTicket = Math.max(0, ...data.hitmic.queue.map((q) => q.ticket));
      data.hitmic.next_ticket = Math.max(isNum(h.next_ticket) ? Math.floor(h.next_ticket) : 1, maxTicket + 1);
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

/** Reads and parses a booking file; a missing file is an empty one without problems. */
export function readBookingFile(file: string, nowS: number): BookingFileRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { data: emptyBookingData(nowS), problems: [], exists: false };
    throw e;
  }
  return { ...parseBookingFile(text, nowS), exists: true };
}

/** Serialises like HiTMicTools' `json.dump(..., indent=2)`; our queue section goes last. */
export function serializeBookingFile(data: BookingFileData): string {
  const { bookings, last_cleanup, hitmic, ...rest } = data;
  return JSON.stringify({ bookings, last_cleanup, ...rest, hitmic }, null, 2);
}

/**
 * Writes the file atomically: a unique temporary sibling is written and renamed over the target,
 * so a reader (ours or HiTMicTools', which may read without a lock) sees either the old or the new
 * content, never a mix. The temporary file is removed on failure.
 *
 * No fsync: the rename is atomic for every process on the machine, which is all a booking file
 * needs. Durability across a power cut buys nothing — after a reboot every holder is dead and
 * its entry is cleaned — and an fsync costs ~8 ms per write on ext4, which would put an
 * uncontended acquire + release over 10 ms.
 */
export function writeBookingFileAtomic(file: string, data: BookingFileData): void {
  writeFileAtomic(file, serializeBookingFile(data), { mode: 0o666 });
}

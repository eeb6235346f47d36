/**
 * What counts as a believable value in a booking file. The file is shared by every program and
 * user on the machine, written by hand now and then, and read by HiTMicTools' Python (whose json
 * writes `NaN` and `Infinity`), so any field may hold anything: a timestamp of 1e300, a pid of
 * 99999999999, a string where a number belongs. Each check returns the value when it is usable and
 * `null` when it is not; the parser then ignores the entry or repairs the field and says so.
 */

/**
 * Largest process id any host sharing a booking file can have: Linux caps pids at 2^22
 * (PID_MAX_LIMIT), macOS at 99 999; Windows pids are 32-bit, but `process.kill` takes an int32.
 * A larger "pid" names no process that can exist, so it cannot keep a booking alive.
 */
export const PID_LIMIT = process.platform === 'win32' ? 2 ** 31 - 1 : 2 ** 22;

/** No device has a pebibyte of memory: a larger booking is a damaged entry, not a request. */
export const MAX_BOOKING_GB = 2 ** 20;

/**
 * Hosts sharing a booking directory over NFS may disagree on the clock by a little; a timestamp
 * further in the future than this cannot come from a clock and would never age.
 */
export const FUTURE_TOLERANCE_S = 86_400;

/** A process id: an integer from 1 to {@link PID_LIMIT}. */
export function validPid(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= PID_LIMIT ? v : null;
}

/** The pid in a booking key, `"123"` or `"123_2"`, as HiTMicTools' cleanup parses it. */
export function pidFromKey(key: string): number | null {
  const head = key.split('_')[0];
  return /^\d{1,10}$/.test(head) ? validPid(Number(head)) : null;
}

/** Epoch seconds after 1970 and not more than {@link FUTURE_TOLERANCE_S} ahead of `nowS`. */
export function validTimestamp(v: unknown, nowS: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= nowS + FUTURE_TOLERANCE_S ? v : null;
}

/** GB of a booking or request: a finite number from 0 to {@link MAX_BOOKING_GB}. */
export function validGb(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_BOOKING_GB ? v : null;
}

/** A queue ticket: a positive integer that still counts exactly (tickets are incremented). */
export function validTicket(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : null;
}

/** A value as it stood in the file, short enough for a warning line. */
export function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  let text: string;
  try {
    text = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `HH:MM:SS` (UTC) of epoch milliseconds, or `?` when they are no time at all. */
export function clockText(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString().slice(11, 19);
}

/**
 * JSON as Python's `json.dump` writes it, which may contain the bare tokens `NaN`, `Infinity` and
 * `-Infinity` (HiTMicTools' json.load accepts them, JSON.parse does not). Those tokens, outside
 * strings, are read as `null` so the rest of the file survives; `nonJsonTokens` counts them.
 * Throws SyntaxError like JSON.parse for anything else that is not JSON.
 */
export function parsePythonJson(text: string): { value: unknown; nonJsonTokens: number } {
  try {
    return { value: JSON.parse(text), nonJsonTokens: 0 };
  } catch (first) {
    let out = '';
    let count = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        out += c;
        if (c === '\\') out += text[++i] ?? '';
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
      if (token) {
        out += 'null';
        count++;
        i += token.length - 1;
      } else out += c;
    }
    if (count === 0) throw first;
    return { value: JSON.parse(out), nonJsonTokens: count };
  }
}

import type { BookingFileData } from './booking-file';

/** Limits for entries whose liveness cannot be checked because they come from another host. */
export interface StaleLimits {
  /** A booking from another host expires this many seconds after its last `timestamp` refresh. */
  otherHostBookingMaxAgeS: number;
  /** A waiter from another host expires this many seconds after its last heartbeat. */
  otherHostWaiterMaxAgeS: number;
}

/** Defaults: our holders refresh every 300 s, our waiters heartbeat every few seconds. */
export const DEFAULT_STALE_LIMITS: StaleLimits = { otherHostBookingMaxAgeS: 900, otherHostWaiterMaxAgeS: 60 };

/** One entry removed by {@link removeStaleEntries}, for the log. */
export interface RemovedEntry {
  kind: 'booking' | 'waiter';
  /** Booking key or `ticket <n>`. */
  key: string;
  pid: number;
  host: string;
  gb: number;
  description: string;
  reason: string;
}

/**
 * Removes, in place, entries whose owner is gone and returns them.
 * - Same host (entries without `host` — HiTMicTools' — are same-host): removed when
 *   `isGone(pid, procStart)` says so. Checked at every call, not every 300 s as HiTMicTools does.
 * - Other hosts: removed when older than the limits (their pids cannot be checked from here).
 * Unlike HiTMicTools, a live same-host booking is never removed for being old: a job may run for
 * hours.
 */
export function removeStaleEntries(
  data: BookingFileData,
  nowS: number,
  localHost: string,
  isGone: (pid: number, procStart?: string) => boolean,
  limits: StaleLimits = DEFAULT_STALE_LIMITS,
): RemovedEntry[] {
  const removed: RemovedEntry[] = [];
  for (const [key, b] of Object.entries(data.bookings)) {
    const host = typeof b.host === 'string' && b.host !== '' ? b.host : localHost;
    const procStart = typeof b.proc_start === 'string' ? b.proc_start : undefined;
    let reason: string | null = null;
    if (host === localHost) {
      if (isGone(b.pid, procStart)) reason = 'its process is gone';
    } else if (nowS - b.timestamp > limits.otherHostBookingMaxAgeS) {
      reason = `it is from host ${host} and was not refreshed for ${Math.round(nowS - b.timestamp)} s`;
    }
    if (reason) {
      delete data.bookings[key];
      const description = typeof b.holder === 'string' ? b.holder : '';
      removed.push({ kind: 'booking', key, pid: b.pid, host, gb: b.memory_gb, description, reason });
    }
  }
  data.hitmic.queue = data.hitmic.queue.filter((q) => {
    const host = q.host || localHost;
    let reason: string | null = null;
    if (host === localHost) {
      if (isGone(q.pid, q.proc_start)) reason = 'its process is gone';
    } else if (nowS - q.heartbeat > limits.otherHostWaiterMaxAgeS) {
      reason = `it is from host ${host} and gave no sign of life for ${Math.round(nowS - q.heartbeat)} s`;
    }
    if (reason) {
      removed.push({
        kind: 'waiter',
        key: `ticket ${q.ticket}`,
        pid: q.pid,
        host,
        gb: q.memory_gb,
        description: q.description,
        reason,
      });
    }
    return reason === null;
  });
  return removed;
}

/** `removed booking 123_1 of pid 123 (2 GB, "segmentation"): its process is gone`, for the log. */
export function describeRemoval(r: RemovedEntry): string {
  const what = r.description ? `, "${r.description}"` : '';
  return `removed stale ${r.kind} ${r.key} of pid ${r.pid}@${r.host} (${r.gb} GB${what}): ${r.reason}`;
}

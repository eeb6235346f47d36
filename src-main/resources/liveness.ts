import fs from 'node:fs';
import os from 'node:os';
import { validPid } from './booking-values';

/** This machine's host name, as stored in our booking and queue entries. */
export const LOCAL_HOST = os.hostname();

/**
 * Linux process start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot) and state
 * letter, or `null` when not on Linux or the process is not there. The command name (field 2) may
 * contain spaces and parentheses, so fields are counted after its last `)`.
 */
export function readProcStat(pid: number): { state: string; startTicks: string } | null {
  if (process.platform !== 'linux') return null;
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
  return rest.length > 19 ? { state: rest[0], startTicks: rest[19] } : null;
}

/** Start-time token of the current process (Linux), stored as `proc_start` in our entries. */
export const OWN_PROC_START: string | undefined = readProcStat(process.pid)?.startTicks;

/**
 * Whether a process on **this** host is certainly gone:
 * `process.kill(pid, 0)` failing with ESRCH; or (Linux) the process being a zombie (`Z`/`X`: dead but
 * not yet reaped by its parent); or (Linux) its start time differing from `procStart` when one was
 * recorded, which means the pid was reused by another process. EPERM (another user's live process)
 * counts as alive. A "pid" that no process can have (0, negative, above the system's limit,
 * fractional) is gone. Any other doubt counts as alive: a booking is never dropped on a guess.
 */
export function isLocalProcessGone(pid: number, procStart?: string): boolean {
  if (validPid(pid) === null) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = readProcStat(pid);
  if (!stat) return false;
  if (stat.state === 'Z' || stat.state === 'X') return true;
  return procStart !== undefined && procStart !== stat.startTicks;
}

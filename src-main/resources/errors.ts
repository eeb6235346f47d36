/**
 * Errors of the resource-control layer. Each carries the facts as fields (so the UI can show a
 * table of holders rather than parse text) and a message that says what failed, where, what was
 * expected and how to fix it.
 */
import { clockText as clock } from './booking-values';

/** One current holder of memory on a device, as named in error messages and snapshots. */
export interface HolderSummary {
  /** Booking key in the file (`"<pid>"` for HiTMicTools, `"<pid>_<n>"` for HiTMic Studio). */
  key: string;
  pid: number;
  host: string;
  gb: number;
  /** Epoch milliseconds when the booking was made (HiTMicTools: its last refresh). */
  sinceMs: number;
  /** What the holder said it is doing; '' when unknown (HiTMicTools writes none). */
  description: string;
  /** `true` for entries written by another program (HiTMicTools), which does not queue. */
  foreign: boolean;
}

/** One queued waiter, as named in error messages and snapshots. */
export interface WaiterSummary {
  ticket: number;
  pid: number;
  host: string;
  gb: number;
  /** Epoch milliseconds when the waiter joined the queue. */
  sinceMs: number;
  description: string;
}

const gbText = (gb: number): string => `${Number(gb.toFixed(2))} GB`;

/** `pid 123 (4 GB since 10:31:02 UTC, "segmentation")`, for messages. */
export function describeHolder(h: HolderSummary): string {
  const who = h.foreign ? 'HiTMicTools' : h.description ? `"${h.description}"` : 'no description';
  return `pid ${h.pid}${h.host ? `@${h.host}` : ''} (${gbText(h.gb)} since ${clock(h.sinceMs)} UTC, ${who})`;
}

function describeWaiter(w: WaiterSummary): string {
  const what = w.description ? `, "${w.description}"` : '';
  return `ticket ${w.ticket} pid ${w.pid} (${gbText(w.gb)}, waiting since ${clock(w.sinceMs)} UTC${what})`;
}

/** The device name given is not one this app (or HiTMicTools) books on. */
export class UnknownDeviceError extends Error {
  constructor(readonly device: string) {
    super(
      `unknown device '${device}': expected 'cpu', 'mps', or 'cuda_<index>' (also 'cuda:<index>' or 'cuda'); ` +
        `run 'hitmic devices' to list the devices of this machine`,
    );
    this.name = 'UnknownDeviceError';
  }
}

/** A request was malformed (negative GB, zero timeout, ...). */
export class InvalidReservationRequestError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`invalid reservation request: '${field}' is ${String(value)}, expected ${expected}`);
    this.name = 'InvalidReservationRequestError';
  }
}

/** The capacity of a device is unknown here (e.g. `cuda_0` without nvidia-smi) and none was given. */
export class CapacityUnknownError extends Error {
  constructor(readonly device: string) {
    super(
      `cannot tell how much memory '${device}' has: no such device was found on this machine ` +
        `(nvidia-smi absent or lists no GPU with that index); pass a capacity (--capacity-gb or ` +
        `HITMIC_CAPACITY_GB) to book on its booking file anyway`,
    );
    this.name = 'CapacityUnknownError';
  }
}

/** The request is bigger than everything this app may book on the device: waiting cannot help. */
export class RequestExceedsCapacityError extends Error {
  constructor(
    readonly device: string,
    readonly requestGb: number,
    readonly capacityGb: number,
  ) {
    super(
      `cannot reserve ${gbText(requestGb)} on ${device}: its capacity for bookings is only ` +
        `${gbText(capacityGb)}, so the request could never be granted; lower the request or raise the ` +
        `capacity (--capacity-gb / HITMIC_CAPACITY_GB) if the device really has more`,
    );
    this.name = 'RequestExceedsCapacityError';
  }
}

/** The wait for a reservation ran past its timeout. */
export class ReservationTimeoutError extends Error {
  constructor(
    readonly device: string,
    readonly requestGb: number,
    readonly capacityGb: number,
    readonly bookedGb: number,
    readonly waitedMs: number,
    readonly holders: HolderSummary[],
    readonly waitersAhead: WaiterSummary[],
    readonly bookingFile: string,
  ) {
    const held = holders.length ? holders.map(describeHolder).join('; ') : 'nobody';
    const ahead = waitersAhead.length
      ? `${waitersAhead.length} waiting ahead: ${waitersAhead.map(describeWaiter).join('; ')}`
      : 'nobody waiting ahead';
    super(
      `timed out after ${(waitedMs / 1000).toFixed(1)} s waiting to reserve ${gbText(requestGb)} on ${device} ` +
        `(capacity ${gbText(capacityGb)}, ${gbText(bookedGb)} booked, ${gbText(Math.max(0, capacityGb - bookedGb))} free; ` +
        `held by ${held}; ${ahead}; booking file ${bookingFile}). ` +
        `Wait for those jobs to finish, raise the timeout, or request less memory`,
    );
    this.name = 'ReservationTimeoutError';
  }
}

/** The wait was cancelled through its AbortSignal; the queue entry has been removed. */
export class ReservationAbortedError extends Error {
  constructor(
    readonly device: string,
    readonly requestGb: number,
    readonly waitedMs: number,
  ) {
    super(
      `reservation of ${gbText(requestGb)} on ${device} was cancelled after ${(waitedMs / 1000).toFixed(1)} s of waiting`,
    );
    this.name = 'ReservationAbortedError';
  }
}

/** The cross-process lock on a booking file could not be taken in time. */
export class BookingLockError extends Error {
  constructor(
    readonly bookingFile: string,
    readonly lockPath: string,
    override readonly cause: unknown,
  ) {
    super(
      `could not lock booking file ${bookingFile} (lock ${lockPath}): ${cause instanceof Error ? cause.message : String(cause)}; ` +
        `a lock whose process is gone, or older than 5 s, is taken over by the next process that needs it; ` +
        `if this persists and no hitmic process is running, delete ${lockPath}`,
    );
    this.name = 'BookingLockError';
  }
}

/** What the file system says about a file that stopped us, for {@link BookingPermissionError}. */
export interface FileOwnerFacts {
  /** Numeric user id of the file's owner, or null when it could not be read. */
  ownerUid: number | null;
  /** Login name of the owner when this machine knows it (`/etc/passwd`), else `uid <n>`. */
  ownerName: string;
  /** Permission bits as octal text, e.g. `0644`; '' when unknown. */
  mode: string;
  /** True when the folder holding the file has the sticky bit (like /tmp): only a file's owner may replace or delete it. */
  stickyFolder: boolean;
}

/**
 * A booking file or its lock folder cannot be read or written by this user: typically a file
 * another user created with their umask (HiTMicTools writes the file with mode 0644 by renaming a
 * new one over it) in a shared sticky folder. Says who owns it and what each side can do. For
 * `create`, `facts` describe the folder the file was to be created in.
 */
export class BookingPermissionError extends Error {
  constructor(
    readonly path: string,
    readonly operation: 'read' | 'write' | 'create' | 'lock',
    readonly facts: FileOwnerFacts,
    readonly code: string,
  ) {
    const owner = facts.ownerUid === null ? 'an unknown user' : `user ${facts.ownerName}`;
    const mode = facts.mode ? ` with mode ${facts.mode}` : '';
    const sticky = facts.stickyFolder
      ? ' in a sticky folder (like /tmp), where only its owner may replace it'
      : '';
    const shareFolder =
      `the lab can share a booking folder every user may write, without the sticky bit ` +
      `(TMPDIR; see docs/resources.md, "Several users")`;
    const what =
      operation === 'create'
        ? `its folder belongs to ${owner}${mode}; ${shareFolder}`
        : operation === 'lock'
          ? `it belongs to ${owner}${mode}${sticky}; its owner can run 'chmod 777 ${path}' ` +
            `(HiTMic Studio creates it so), or delete it when no hitmic process runs`
          : `it belongs to ${owner}${mode}${sticky}; its owner can run 'chmod 666 ${path}' ` +
            `(HiTMic Studio creates booking files so; HiTMicTools leaves them as its umask says), or ${shareFolder}`;
    super(`cannot ${operation} ${path} (${code}): ${what}`);
    this.name = 'BookingPermissionError';
  }
}

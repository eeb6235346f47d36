import fs from 'node:fs';
import path from 'node:path';
import { partialPathFor, renameIntoPlace } from '../io';
import { parsePythonJson } from './booking-values';
import { BookingPermissionError, type FileOwnerFacts } from './errors';

/**
 * Reading and writing the bytes of a booking file so that it works when the file, or the folder
 * it lies in, belongs to another user, and so that no reader acts on a half-written file.
 *
 * Why in place: in a shared sticky folder (`/tmp`, mode 1777) nobody may rename over, or delete,
 * a file another user owns, so the usual "write a temporary sibling, rename it over" fails with
 * EPERM for the second user of a GPU. Writing into the file itself needs only write permission on
 * the file, which we give everybody (mode 0666, set with fchmod so no umask narrows it).
 *
 * Why no reader acts on a torn file: the whole new content goes in with one positional write at
 * offset 0. When it is shorter than the old content it is padded with spaces to the old length
 * first (trailing spaces are valid JSON), so the file parses at every instant, and only then cut
 * to length. A reader that races the write itself may see a mix of old and new bytes for the
 * microseconds it lasts; that never parses, and every reader retries a parse failure:
 * ours {@link SETTLE_ATTEMPTS} times 2 ms apart, HiTMicTools' 3 times 0.1 s apart before it falls
 * back to an empty booking list — so it never gets that far.
 *
 * When the file cannot be opened for writing (another user's file with mode 0644, as HiTMicTools'
 * rename leaves it), it is replaced by rename instead, which works in a folder without the sticky
 * bit; where neither works a {@link BookingPermissionError} says whose file it is and what to do.
 */

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
/** Booking files and lock records are readable and writable by every user of the machine. */
export const SHARED_FILE_MODE = 0o666;
/** How often a reader re-reads a file that does not parse before taking it as it is. */
export const SETTLE_ATTEMPTS = 5;
const SETTLE_PAUSE_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const pause = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? '';

/** Looks up a user name in /etc/passwd (Linux; elsewhere, and for unknown ids, `uid <n>`). */
export function userName(uid: number): string {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (Number(id) === uid && name) return name;
    }
  } catch {
    // No passwd file (Windows, macOS directory services): the number has to do.
  }
  return `uid ${uid}`;
}

/** Owner, mode and folder stickiness of `file`, for a permission error. Never throws. */
export function ownerFacts(file: string): FileOwnerFacts {
  let st: fs.Stats | null = null;
  let folderMode = 0;
  try {
    st = fs.lstatSync(file);
  } catch {
    // Gone meanwhile: report what is known.
  }
  try {
    folderMode = fs.statSync(path.dirname(file)).mode;
  } catch {
    // Unknown folder: not sticky as far as we can tell.
  }
  return {
    ownerUid: st ? st.uid : null,
    ownerName: st ? userName(st.uid) : '',
    mode: st ? `0${(st.mode & 0o777).toString(8)}` : '',
    stickyFolder: (folderMode & 0o1000) !== 0,
  };
}

/** A permission failure as a {@link BookingPermissionError} (for `create`, about the folder); other errors as they are. */
export function permissionError(file: string, operation: 'read' | 'write' | 'create', e: unknown): Error {
  const code = errno(e);
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'ELOOP' && code !== 'EROFS') return e as Error;
  const facts = ownerFacts(operation === 'create' ? path.dirname(file) : file);
  return new BookingPermissionError(file, operation, facts, code);
}

/** Whole content of an open file, from offset 0. */
function readAll(fd: number): string {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(size + 4096);
  let n = 0;
  for (;;) {
    if (n === buf.length) return readAll(fd); // grew while reading: start over
    const got = fs.readSync(fd, buf, n, buf.length - n, n);
    if (got === 0) break;
    n += got;
  }
  return buf.toString('utf8', 0, n);
}

/** True for text a reader can act on: a complete JSON value (Python's NaN/Infinity allowed), or no file. */
function settled(text: string | null): boolean {
  if (text === null) return true;
  if (text.trim() === '') return false;
  try {
    parsePythonJson(text);
    return true;
  } catch {
    return false;
  }
}

/** Re-reads while the text does not parse (a write in flight), at most {@link SETTLE_ATTEMPTS} times. */
function readSettled<T extends string | null>(read: () => T): T {
  let text = read();
  for (let i = 1; i < SETTLE_ATTEMPTS && !settled(text); i++) {
    pause(SETTLE_PAUSE_MS);
    text = read();
  }
  return text;
}

/**
 * Reads a booking file without a lock, retrying briefly while it does not parse. Returns null when
 * the file does not exist; throws {@link BookingPermissionError} when it cannot be read.
 */
export function readBookingText(file: string): string | null {
  return readSettled((): string | null => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw permissionError(file, 'read', e);
    }
  });
}

/**
 * The bytes that go in at offset 0 when `text` replaces a file of `oldSize` bytes: the text, padded
 * with spaces to the old size when shorter, so that the file parses as the new content both before
 * and after it is cut to length.
 */
export function inPlaceBytes(text: string, oldSize: number): Buffer {
  const data = Buffer.from(text, 'utf8');
  return oldSize > data.length ? Buffer.concat([data, Buffer.alloc(oldSize - data.length, 0x20)]) : data;
}

/** Identity of a file on disk, to tell whether a path still names the file we opened. */
function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * One booking file opened for a locked read-modify-write: read through the descriptor, written
 * through it, then asked whether another program replaced the file by rename meanwhile (its
 * content then lacks our change: the caller does its step again on the new content).
 */
export class BookingFileHandle {
  private written: fs.Stats | null = null;

  private constructor(
    readonly file: string,
    private fd: number | null,
    private readonly writable: boolean,
    /** Content at open (settled, see {@link readBookingText}); '' when the file did not exist. */
    readonly text: string,
  ) {}

  /** Opens `file` (which may not exist yet). Symbolic links are refused: the file is shared with every user. */
  static open(file: string): BookingFileHandle {
    let fd: number;
    let writable = true;
    try {
      fd = fs.openSync(file, fs.constants.O_RDWR | O_NOFOLLOW);
    } catch (e) {
      if (errno(e) === 'ENOENT') return new BookingFileHandle(file, null, true, '');
      if (errno(e) !== 'EACCES' && errno(e) !== 'EPERM') throw permissionError(file, 'read', e);
      try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
        writable = false;
      } catch (e2) {
        throw permissionError(file, 'read', e2);
      }
    }
    const opened = fd;
    try {
      return new BookingFileHandle(
        file,
        fd,
        writable,
        readSettled(() => readAll(opened)),
      );
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** True when the file existed at open. */
  get existed(): boolean {
    return this.fd !== null;
  }

  /**
   * Writes `text` as the whole file: in place when we may write the file, else by replacing it
   * (rename), else a {@link BookingPermissionError}. Returns false when the file was created by
   * someone else since we opened it (the caller does its step again on that file).
   */
  write(text: string): boolean {
    const data = Buffer.from(text, 'utf8');
    if (this.fd === null) return this.create(data);
    if (!this.writable) {
      this.replace(data);
      return true;
    }
    const fd = this.fd;
    const before = fs.fstatSync(fd);
    const padded = inPlaceBytes(text, before.size);
    for (let attempt = 1; ; attempt++) {
      try {
        fs.writeSync(fd, padded, 0, padded.length, 0);
        fs.ftruncateSync(fd, data.length);
        break;
      } catch (e) {
        // Windows: HiTMicTools locks byte 0 (msvcrt.locking) while it reads; wait as it would.
        if (attempt < 5 && (errno(e) === 'EBUSY' || errno(e) === 'EAGAIN')) pause(10 * attempt);
        else throw permissionError(this.file, 'write', e);
      }
    }
    // A file we own that others cannot write (made by an older version, or by hand): open it up.
    if (
      typeof process.getuid === 'function' &&
      before.uid === process.getuid() &&
      (before.mode & 0o666) !== 0o666
    )
      fs.fchmodSync(fd, SHARED_FILE_MODE);
    this.written = fs.fstatSync(fd);
    return true;
  }

  /** First writer: create exclusively, mode 0666 whatever the umask. */
  private create(data: Buffer): boolean {
    let fd: number;
    try {
      fd = fs.openSync(
        this.file,
        fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW,
        SHARED_FILE_MODE,
      );
    } catch (e) {
      if (errno(e) === 'EEXIST') return false;
      throw permissionError(this.file, 'create', e);
    }
    this.fd = fd;
    fs.fchmodSync(fd, SHARED_FILE_MODE);
    fs.writeSync(fd, data, 0, data.length, 0);
    this.written = fs.fstatSync(fd);
    return true;
  }

  /** Replaces a file we may not write by a new one of ours (mode 0666); needs a folder without the sticky bit. */
  private replace(data: Buffer): void {
    const tmp = partialPathFor(this.file);
    const fd = fs.openSync(tmp, 'wx', SHARED_FILE_MODE);
    try {
      fs.fchmodSync(fd, SHARED_FILE_MODE);
      fs.writeSync(fd, data, 0, data.length, 0);
      this.written = fs.fstatSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      renameIntoPlace(tmp, this.file);
    } catch (e) {
      throw permissionError(this.file, 'write', e);
    }
  }

  /** After {@link write}: did another program replace or delete the file since? Then our write is lost. */
  replacedSinceWrite(): boolean {
    if (!this.written) return false;
    try {
      return !sameFile(fs.statSync(this.file), this.written);
    } catch {
      return true;
    }
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

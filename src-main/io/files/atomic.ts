import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';

/**
 * Writing files so that nothing half-written ever looks complete (DESIGN.md principle 5): the
 * content goes to a temporary sibling and is renamed over the target only when it is complete;
 * on failure the temporary file is removed and the target is untouched. A rename is atomic for
 * every process on the machine, so a reader — ours, HiTMicTools', Fiji — sees the old file or the
 * new one, never a mix. Every writer of results, configs, bookings and uploads goes through here.
 */

/** The temporary sibling of `file`: `<file>.partial-<pid>-<random>` (unique per writer, easy to recognise). */
export function partialPathFor(file: string): string {
  return `${file}.partial-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

const renameSleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Renames `from` over `to`. Windows refuses to replace a file another process holds open (e.g.
 * HiTMicTools reading a booking file): retry briefly, as HiTMicTools does (5 attempts). Removes
 * `from` when it finally fails.
 */
export function renameIntoPlace(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt < 5 && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES')) {
        Atomics.wait(renameSleeper, 0, 0, 10 * attempt);
        continue;
      }
      fs.rmSync(from, { force: true });
      throw e;
    }
  }
}

export interface AtomicWriteOptions {
  /** Permission bits of a newly created file (before the umask); default 0o666. */
  mode?: number;
}

/**
 * Writes `data` to `file` atomically (synchronous: bookings are written inside a lock). No fsync:
 * atomicity across processes is what these files need; durability across a power cut buys nothing
 * for them and an fsync costs ~8 ms on ext4.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const tmp = partialPathFor(file);
  const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o666);
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  renameIntoPlace(tmp, file);
}

/** `value` as indented JSON with a final newline, written atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A file written in pieces (a TIFF stack frame by frame, a CSV row block by row block) under its
 * temporary name: `commit()` renames it into place, `abort()` deletes it. Either is safe to call
 * once the other has run; neither throws for a file already finished.
 */
export class AtomicFile {
  private finished = false;

  private constructor(
    readonly path: string,
    readonly partialPath: string,
    /** The open temporary file, for positional writes (TIFF offsets are patched after the fact). */
    readonly handle: fsp.FileHandle,
  ) {}

  /** Creates the temporary sibling of `path` (never an existing file). */
  static async create(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFile> {
    const partial = partialPathFor(path);
    const handle = await fsp.open(partial, 'wx', options.mode ?? 0o666);
    return new AtomicFile(path, partial, handle);
  }

  get done(): boolean {
    return this.finished;
  }

  /** Closes the file (after an fsync when `sync`) and renames it into place. */
  async commit(options: { sync?: boolean } = {}): Promise<void> {
    if (this.finished) return;
    try {
      if (options.sync) await this.handle.sync();
      await this.handle.close();
      this.finished = true;
      renameIntoPlace(this.partialPath, this.path);
    } catch (err) {
      this.finished = true;
      await this.handle.close().catch(() => undefined);
      await fsp.rm(this.partialPath, { force: true });
      throw err;
    }
  }

  /** Stops writing and deletes the temporary file; nothing appears at `path`. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.partialPath, { force: true });
  }
}

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
 * temporary name. `commit()` closes it and renames it into place; a file that must appear only
 * together with others is `close()`d first and `publish()`ed with them (see {@link publishTogether}).
 * `abort()` deletes it, at any point before it is published. Each step is safe to repeat.
 */
export class AtomicFile {
  private state: 'open' | 'closed' | 'published' | 'aborted' = 'open';

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

  /** True once published or aborted: nothing more can happen to it. */
  get done(): boolean {
    return this.state === 'published' || this.state === 'aborted';
  }

  /**
   * Writes all of `data` at the end of what is written so far (sequential files: CSV, JSON).
   * A failed write (a full disk) names the file.
   */
  async append(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    try {
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    } catch (err) {
      throw this.failure('write', err);
    }
  }

  /** Finishes writing (after an fsync when `sync`); the content stays under the temporary name. */
  async close(options: { sync?: boolean } = {}): Promise<void> {
    if (this.state !== 'open') return;
    try {
      if (options.sync) await this.handle.sync();
      await this.handle.close();
      this.state = 'closed';
    } catch (err) {
      await this.abort();
      throw this.failure('close', err);
    }
  }

  /** Renames the closed file into place. */
  publish(): void {
    if (this.state === 'published') return;
    if (this.state !== 'closed')
      throw new Error(`${this.partialPath} cannot be published: it is ${this.state}, not closed`);
    renameIntoPlace(this.partialPath, this.path);
    this.state = 'published';
  }

  /** close() then publish(). */
  async commit(options: { sync?: boolean } = {}): Promise<void> {
    await this.close(options);
    this.publish();
  }

  /** Stops writing and deletes the temporary file; nothing appears at `path`. */
  async abort(): Promise<void> {
    if (this.state === 'published' || this.state === 'aborted') return;
    const wasOpen = this.state === 'open';
    this.state = 'aborted';
    if (wasOpen) await this.handle.close().catch(() => undefined);
    await fsp.rm(this.partialPath, { force: true });
  }

  private failure(operation: string, err: unknown): FileWriteError {
    return new FileWriteError(this.path, operation, err);
  }
}

/** Writing an output failed (a full disk, a folder that went away): names the file and the system's reason. */
export class FileWriteError extends Error {
  /** The system's error code, e.g. ENOSPC. */
  readonly errno: string | undefined;

  constructor(
    readonly path: string,
    readonly operation: string,
    cause: unknown,
  ) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = errno === 'ENOSPC' ? 'the disk is full' : cause instanceof Error ? cause.message : String(cause);
    super(
      `Cannot ${operation} ${path}: ${why}. Nothing was left under that name; free space or choose another output folder, then run again.`,
      { cause },
    );
    this.name = 'FileWriteError';
    this.errno = errno;
  }
}

/**
 * Publishes closed files in the order given, so a set of outputs appears together: each rename
 * is atomic and quick (no data is written), and the files whose presence marks the set as done
 * go last. Files not yet published are aborted when one cannot be published.
 */
export async function publishTogether(files: readonly AtomicFile[]): Promise<void> {
  for (let i = 0; i < files.length; i++) {
    try {
      files[i].publish();
    } catch (err) {
      for (const f of files.slice(i)) await f.abort();
      throw err;
    }
  }
}

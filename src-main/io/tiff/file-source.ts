import { promises as fsp } from 'node:fs';
import { TiffError } from './errors';

/**
 * Random-access reads from one open file (positioned `read`, no seeking state), with a small
 * read-ahead window for the many tiny reads of IFD parsing. Reads of pixel data go straight into
 * the caller's buffer (`readInto`), so strips land in the destination typed array without a copy.
 */
export class FileSource {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = -1;
  private windowSize = 8192;

  private constructor(
    readonly path: string,
    private handle: fsp.FileHandle | null,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(path, 'r');
    } catch (err) {
      throw new TiffError('Cannot open file', {
        code: 'io',
        path,
        actual: (err as NodeJS.ErrnoException).code ?? String(err),
        fix: 'Check that the file exists and is readable',
        cause: err,
      });
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new TiffError('Not a regular file', { code: 'io', path, fix: 'Give the path of a .tif file' });
    }
    return new FileSource(path, handle, stat.size);
  }

  /**
   * Fills `dest` completely with the bytes at [position, position + dest.length). Throws a
   * 'truncated' TiffError when that range runs past the end of the file.
   */
  async readInto(dest: Uint8Array, position: number, what = 'data'): Promise<void> {
    const handle = this.requireOpen();
    if (position < 0 || position + dest.length > this.size) {
      throw new TiffError(`The ${what} lies beyond the end of the file (the file is truncated or corrupt)`, {
        code: 'truncated',
        path: this.path,
        expected: `bytes ${position}..${position + dest.length}`,
        actual: `file size ${this.size}`,
        fix: 'Copy the file again from the microscope; an interrupted transfer truncates TIFFs',
      });
    }
    let done = 0;
    while (done < dest.length) {
      const { bytesRead } = await handle.read(dest, done, dest.length - done, position + done);
      if (bytesRead === 0) {
        throw new TiffError(`Unexpected end of file while reading ${what}`, {
          code: 'truncated',
          path: this.path,
          expected: `${dest.length} bytes at ${position}`,
          actual: `${done} bytes`,
        });
      }
      done += bytesRead;
    }
  }

  /** Reads `length` bytes at `position` into a new buffer. */
  async read(position: number, length: number, what = 'data'): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    await this.readInto(out, position, what);
    return out;
  }

  /**
   * Like `read`, but served from a read-ahead window (for IFDs and small tag values): 8 KiB,
   * growing to 256 KiB while misses move forward by less than a window (many small pages, IFDs
   * close together), so indexing a long movie of small frames costs few system calls.
   * The returned bytes may be a view into the window: use them before the next call.
   */
  async readSmall(position: number, length: number, what = 'structure'): Promise<Uint8Array> {
    const ws = this.windowStart;
    if (ws < 0 || position < ws || position + length > ws + this.window.length) {
      if (position < 0 || position + length > this.size) {
        await this.readInto(new Uint8Array(length), position, what); // throws 'truncated'
      }
      const near = ws >= 0 && position > ws && position - ws < 2 * this.windowSize;
      this.windowSize = near ? Math.min(this.windowSize * 2, 262144) : 8192;
      const len = Math.min(Math.max(this.windowSize, length), this.size - position);
      const buf = new Uint8Array(len);
      await this.readInto(buf, position, what);
      this.window = buf;
      this.windowStart = position;
    }
    const off = position - this.windowStart;
    return this.window.subarray(off, off + length);
  }

  get closed(): boolean {
    return this.handle === null;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    this.window = new Uint8Array(0);
    this.windowStart = -1;
    if (h) await h.close();
  }

  private requireOpen(): fsp.FileHandle {
    if (!this.handle) {
      throw new TiffError('The TIFF reader was used after close()', {
        code: 'state',
        path: this.path,
        fix: 'Open the file again',
      });
    }
    return this.handle;
  }
}

import zlib from 'node:zlib';
import type { PixelArray } from '../../../src-shared/io';
import { AtomicFile } from '../files/atomic';
import { TiffError } from './errors';
import { formatImageJDescription } from './imagej';
import { Tag } from './tags';

/** Sample types ImageJ reads natively. */
export type WriterDType = 'uint8' | 'uint16' | 'float32';

export interface HyperstackWriterOptions {
  /** Columns (X). */
  width: number;
  /** Rows (Y). */
  height: number;
  dtype: WriterDType;
  /** Channels per time point (default 1). */
  channels?: number;
  /** Z slices per time point (default 1). */
  slices?: number;
  /** Expected number of frames, if known; lets the writer pick BigTIFF up front. The real count is written at close(). */
  frames?: number;
  /** Frame interval in seconds (ImageJ "finterval"). */
  frameIntervalS?: number | null;
  /** Pixel size in micrometres (XResolution/YResolution = 1/size, unit=micron). */
  pixelSizeUm?: number | null;
  /** 'deflate' (zlib, Compression 8) or 'none' (default). */
  compression?: 'none' | 'deflate';
  /** zlib level 1–9 for deflate (default 6). */
  deflateLevel?: number;
  /** Force BigTIFF on/off; by default BigTIFF only when `frames` says the file will pass 4 GiB. */
  bigTiff?: boolean;
  /** ImageJ display mode (default grayscale for 1 channel, composite for more). */
  mode?: string;
  /** Replaces the ImageJ ImageDescription of page 0 (e.g. OME-XML); ASCII/UTF-8 text. */
  description?: string;
}

const MACHINE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const CLASSIC_MAX = 2 ** 32 - 1;

/**
 * Writes an ImageJ hyperstack (little-endian TIFF, one page per plane, page order C fastest, then
 * Z, then T) incrementally: each plane goes to disk when written, so memory stays one plane.
 * The file is `<path>.partial-<pid>-<random>` (io/files/atomic.ts) until `close()` writes the ImageJ ImageDescription (with
 * the real frame count) and renames it to `path`; `abort()` deletes it. Classic TIFF unless
 * BigTIFF is asked for or needed (a classic file that would pass 4 GiB is a 'limit' error).
 */
export class HyperstackWriter {
  private pos = 0;
  private planes = 0;
  /** File position of the previous IFD's next-IFD pointer (the header's first pointer at start). */
  private nextPtrPos = 4;
  private descEntryPos = -1;
  private done = false;
  private readonly planeBytes: number;
  private readonly rowsPerStrip: number;

  private readonly fh: AtomicFile['handle'];

  private constructor(
    private readonly file: AtomicFile,
    private readonly o: Required<
      Omit<
        HyperstackWriterOptions,
        'frames' | 'bigTiff' | 'mode' | 'frameIntervalS' | 'pixelSizeUm' | 'description'
      >
    > &
      HyperstackWriterOptions,
    private readonly big: boolean,
  ) {
    this.fh = file.handle;
    const bps = o.dtype === 'uint8' ? 1 : o.dtype === 'uint16' ? 2 : 4;
    this.planeBytes = o.width * o.height * bps;
    const rowBytes = o.width * bps;
    this.rowsPerStrip =
      o.compression === 'deflate' ? Math.max(1, Math.min(o.height, Math.floor(262144 / rowBytes))) : o.height;
  }

  static async create(path: string, opts: HyperstackWriterOptions): Promise<HyperstackWriter> {
    if (!MACHINE_LE)
      throw new TiffError('The TIFF writer needs a little-endian machine', { code: 'unsupported', path });
    for (const k of ['width', 'height'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] < 1) {
        throw new TiffError(`Invalid ${k}`, {
          code: 'state',
          path,
          expected: 'a positive integer',
          actual: String(opts[k]),
        });
      }
    }
    const o = { channels: 1, slices: 1, compression: 'none' as const, deflateLevel: 6, ...opts };
    const bps = o.dtype === 'uint8' ? 1 : o.dtype === 'uint16' ? 2 : 4;
    let big = opts.bigTiff ?? false;
    if (opts.bigTiff === undefined && opts.frames !== undefined) {
      const n = opts.frames * o.channels * o.slices;
      const estimate = n * (o.width * o.height * bps * 1.01 + 1024) + 1e6;
      big = estimate >= CLASSIC_MAX;
    }
    let file: AtomicFile;
    try {
      file = await AtomicFile.create(path);
    } catch (err) {
      throw new TiffError('Cannot create the output file', {
        code: 'io',
        path,
        actual: (err as NodeJS.ErrnoException).code,
        fix: 'Check that the folder exists and is writable',
        cause: err,
      });
    }
    const w = new HyperstackWriter(file, o, big);
    const head = Buffer.alloc(big ? 16 : 8);
    head.write('II', 0, 'latin1');
    head.writeUInt16LE(big ? 43 : 42, 2);
    if (big) {
      head.writeUInt16LE(8, 4);
      w.nextPtrPos = 8;
    }
    await w.write(head);
    return w;
  }

  /** The final file name (the stack appears there at close()). */
  get path(): string {
    return this.file.path;
  }

  /** Where the stack is written until close(). */
  get partialPath(): string {
    return this.file.partialPath;
  }

  /** Planes written so far. */
  get planesWritten(): number {
    return this.planes;
  }

  /**
   * Appends one plane (Y×X row-major, length width×height, typed array of the writer's dtype).
   * Planes go in ImageJ order: all channels of slice 0 of frame 0, then slice 1, …, then frame 1.
   */
  async writePlane(data: PixelArray): Promise<void> {
    this.requireOpen();
    const want =
      this.o.dtype === 'uint8' ? Uint8Array : this.o.dtype === 'uint16' ? Uint16Array : Float32Array;
    if (!(data instanceof want) || data.length !== this.o.width * this.o.height) {
      throw new TiffError('Plane has the wrong type or size', {
        code: 'state',
        path: this.path,
        expected: `${want.name} of ${this.o.width}×${this.o.height} = ${this.o.width * this.o.height}`,
        actual: `${data.constructor.name} of ${data.length}`,
      });
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const rowBytes = this.planeBytes / this.o.height;
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let y = 0; y < this.o.height; y += this.rowsPerStrip) {
      const raw = bytes.subarray(y * rowBytes, Math.min(this.o.height, y + this.rowsPerStrip) * rowBytes);
      const chunk =
        this.o.compression === 'deflate' ? zlib.deflateSync(raw, { level: this.o.deflateLevel }) : raw;
      offsets.push(this.pos);
      counts.push(chunk.length);
      await this.write(chunk);
    }
    if (this.pos % 2) await this.write(new Uint8Array(1));
    await this.writeIfd(offsets, counts);
    this.planes++;
  }

  /** Writes the ImageJ description (frames = planes ÷ (channels × slices)) and renames the file into place. */
  async close(): Promise<void> {
    await this.finish();
    this.publish();
  }

  /**
   * Writes the ImageJ description and closes the file, keeping it under its temporary name until
   * publish() — for a stack that must appear together with a movie's other outputs.
   */
  async finish(): Promise<void> {
    this.requireOpen();
    const perFrame = this.o.channels * this.o.slices;
    if (this.planes === 0 || this.planes % perFrame !== 0) {
      await this.abort();
      throw new TiffError('Cannot finish the stack: the last frame is incomplete', {
        code: 'state',
        path: this.path,
        expected: `a multiple of ${perFrame} planes (channels × slices), at least one`,
        actual: `${this.planes} planes`,
        fix: 'Write every channel of every frame before close(); nothing was kept',
      });
    }
    const desc =
      this.o.description ??
      formatImageJDescription({
        channels: this.o.channels,
        slices: this.o.slices,
        frames: this.planes / perFrame,
        mode: this.o.mode,
        frameIntervalS: this.o.frameIntervalS ?? null,
        unit: this.o.pixelSizeUm ? 'micron' : null,
      });
    const text = Buffer.from(desc + '\0', 'utf8');
    const at = this.pos;
    await this.write(text);
    const patch = Buffer.alloc(this.big ? 16 : 8);
    if (this.big) {
      patch.writeBigUInt64LE(BigInt(text.length), 0);
      patch.writeBigUInt64LE(BigInt(at), 8);
    } else {
      patch.writeUInt32LE(text.length, 0);
      patch.writeUInt32LE(at, 4);
    }
    await this.writeAt(patch, this.descEntryPos + 4);
    this.done = true;
    await this.file.close();
  }

  /** Renames the finished stack into place. */
  publish(): void {
    this.file.publish();
  }

  /** The temporary file, for publishing it together with other outputs (io/files publishTogether). */
  get atomicFile(): AtomicFile {
    return this.file;
  }

  /** Stops writing and deletes the partial file; nothing appears at `path`. Safe to call twice. */
  async abort(): Promise<void> {
    this.done = true;
    await this.file.abort();
  }

  private async writeIfd(offsets: number[], counts: number[]): Promise<void> {
    const big = this.big;
    const first = this.planes === 0;
    const o = this.o;
    const bps = o.dtype === 'uint8' ? 8 : o.dtype === 'uint16' ? 16 : 32;
    type E = [tag: number, type: number, values: number[]];
    const entries: E[] = [
      [Tag.NewSubfileType, 4, [0]],
      [Tag.ImageWidth, 4, [o.width]],
      [Tag.ImageLength, 4, [o.height]],
      [Tag.BitsPerSample, 3, [bps]],
      [Tag.Compression, 3, [o.compression === 'deflate' ? 8 : 1]],
      [Tag.Photometric, 3, [1]],
    ];
    if (first) entries.push([Tag.ImageDescription, 2, [0]]); // count and offset patched by close()
    entries.push(
      [Tag.StripOffsets, big ? 16 : 4, offsets],
      [Tag.SamplesPerPixel, 3, [1]],
      [Tag.RowsPerStrip, 4, [this.rowsPerStrip]],
    );
    entries.push([Tag.StripByteCounts, big ? 16 : 4, counts]);
    if (o.pixelSizeUm && o.pixelSizeUm > 0) {
      const ppu = 1 / o.pixelSizeUm;
      const rat = [Math.round(ppu * 1e6), 1e6];
      entries.push([Tag.XResolution, 5, rat], [Tag.YResolution, 5, rat], [Tag.ResolutionUnit, 3, [1]]);
    }
    entries.push([Tag.SampleFormat, 3, [o.dtype === 'float32' ? 3 : 1]]);
    const entrySize = big ? 20 : 12;
    const inlineMax = big ? 8 : 4;
    const head = big ? 8 : 2;
    const ifdLen = head + entries.length * entrySize + (big ? 8 : 4);
    // Bytes per number written (a RATIONAL is two LONG numbers).
    const size = (t: number): number => (t === 3 ? 2 : t === 16 ? 8 : t === 2 ? 1 : 4);
    let extra = 0;
    for (const [, t, v] of entries)
      if (t !== 2 && v.length * size(t) > inlineMax) extra += v.length * size(t);
    const buf = Buffer.alloc(ifdLen + extra);
    const ifdPos = this.pos;
    if (ifdPos + buf.length > CLASSIC_MAX && !big) {
      await this.abort();
      throw new TiffError('The stack passes the 4 GiB limit of classic TIFF', {
        code: 'limit',
        path: this.path,
        expected: 'less than 4 GiB',
        actual: `${ifdPos + buf.length} bytes after ${this.planes} planes`,
        fix: 'Pass frames (so the writer can choose BigTIFF) or bigTiff: true; nothing was kept',
      });
    }
    if (big) buf.writeBigUInt64LE(BigInt(entries.length), 0);
    else buf.writeUInt16LE(entries.length, 0);
    let ext = ifdLen;
    entries.forEach(([tag, type, values], i) => {
      const p = head + i * entrySize;
      buf.writeUInt16LE(tag, p);
      buf.writeUInt16LE(type, p + 2);
      const count = type === 5 ? values.length / 2 : values.length;
      if (big) buf.writeBigUInt64LE(BigInt(count), p + 4);
      else buf.writeUInt32LE(count, p + 4);
      const vp = p + (big ? 12 : 8);
      if (tag === Tag.ImageDescription) {
        this.descEntryPos = ifdPos + p;
        return;
      }
      let at = vp;
      if (values.length * size(type) > inlineMax) {
        if (big) buf.writeBigUInt64LE(BigInt(ifdPos + ext), vp);
        else buf.writeUInt32LE(ifdPos + ext, vp);
        at = ext;
        ext += values.length * size(type);
      }
      for (const v of values) {
        if (type === 3) buf.writeUInt16LE(v, at);
        else if (type === 16) buf.writeBigUInt64LE(BigInt(v), at);
        else buf.writeUInt32LE(v, at);
        at += size(type);
      }
    });
    await this.write(buf);
    const ptr = Buffer.alloc(big ? 8 : 4);
    if (big) ptr.writeBigUInt64LE(BigInt(ifdPos));
    else ptr.writeUInt32LE(ifdPos);
    await this.writeAt(ptr, this.nextPtrPos);
    this.nextPtrPos = ifdPos + ifdLen - (big ? 8 : 4);
    if (this.pos % 2) await this.write(new Uint8Array(1));
  }

  private async write(bytes: Uint8Array): Promise<void> {
    await this.writeAt(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes all of `bytes` at `position`; a system failure (a full disk) names the file. */
  private async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    try {
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, position + done);
        done += bytesWritten;
      }
    } catch (err) {
      const errno = (err as NodeJS.ErrnoException).code;
      throw new TiffError(errno === 'ENOSPC' ? 'Cannot write the stack: the disk is full' : 'Cannot write the stack', {
        code: 'io',
        path: this.path,
        actual: errno ?? String(err),
        fix: 'Free space or choose another output folder; nothing was left under this name',
        cause: err,
      });
    }
  }

  private requireOpen(): void {
    if (this.done)
      throw new TiffError('The writer is already closed or aborted', {
        code: 'state',
        path: this.path,
        fix: 'Create a new writer',
      });
  }
}

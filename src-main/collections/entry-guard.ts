/**
 * What guards an archive entry while it streams out: its size and CRC-32 against the central
 * directory, and the bytes of the whole extraction against its budget.
 */
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { CollectionError } from './errors';

/** What the guard needs of an archive entry: its name and what the central directory says of it. */
export interface GuardedEntry {
  path: string;
  size: number;
  raw: { crc32: number };
}

/** Bytes written so far by one extraction, and the most it may write. */
export interface ExtractionBudget {
  written: number;
  max: number;
}

export function wrapStreamError(e: Error, entry: GuardedEntry, archive: string): CollectionError {
  if (e instanceof CollectionError) return e;
  const truncated = /unexpected end|too few bytes|end of file|EOF/i.test(e.message);
  const mismatch = /too many bytes|expected/i.test(e.message);
  return new CollectionError(
    mismatch ? 'SIZE_MISMATCH' : truncated ? 'ZIP_TRUNCATED' : 'ZIP_CORRUPT',
    `Cannot read ${entry.path} from ${archive}: ${e.message}. The archive is damaged or its headers lie about sizes; do not use it.`,
    { path: archive, entry: entry.path },
  );
}

/** Counts bytes and CRC-32 of an entry as it streams; fails on any disagreement with the header. */
export class EntryGuard extends Transform {
  private bytes = 0;
  private crc = 0;
  constructor(
    private readonly entry: GuardedEntry,
    private readonly archive: string,
    private readonly budget?: ExtractionBudget,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.budget) {
      this.budget.written += chunk.length;
      if (this.budget.written > this.budget.max) {
        cb(
          new CollectionError(
            'TOTAL_TOO_LARGE',
            `Extracting ${this.archive} passed its budget of ${this.budget.max} bytes at ${this.entry.path}; extraction stopped and nothing was kept. Raise --max-total-mb only if you trust this archive.`,
            {
              path: this.archive,
              entry: this.entry.path,
              expected: this.budget.max,
              actual: this.budget.written,
            },
          ),
        );
        return;
      }
    }
    if (this.bytes > this.entry.size) {
      cb(
        new CollectionError(
          'SIZE_MISMATCH',
          `${this.entry.path} in ${this.archive} inflates beyond its declared ${this.entry.size} bytes (a zip bomb or a damaged archive); extraction stopped.`,
          { path: this.archive, entry: this.entry.path, expected: this.entry.size, actual: this.bytes },
        ),
      );
      return;
    }
    this.crc = zlib.crc32(chunk, this.crc);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.bytes !== this.entry.size) {
      cb(
        new CollectionError(
          'SIZE_MISMATCH',
          `${this.entry.path} in ${this.archive} has ${this.bytes} bytes, its header says ${this.entry.size}; the archive is damaged.`,
          { path: this.archive, entry: this.entry.path, expected: this.entry.size, actual: this.bytes },
        ),
      );
      return;
    }
    if (this.crc >>> 0 !== this.entry.raw.crc32 >>> 0) {
      cb(
        new CollectionError(
          'CRC_MISMATCH',
          `${this.entry.path} in ${this.archive} fails its CRC-32 check; the archive is damaged. Download or copy it again.`,
          {
            path: this.archive,
            entry: this.entry.path,
            expected: this.entry.raw.crc32 >>> 0,
            actual: this.crc >>> 0,
          },
        ),
      );
      return;
    }
    cb();
  }
}

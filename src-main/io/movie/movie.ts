import {
  planeIndex,
  type MovieInfo,
  type PixelSource,
  type Plane,
  type PlaneLocation,
  type PlaneSelection,
} from '../../../src-shared/io';
import type { DecodedPage } from '../tiff/decode';
import { TiffError, throwIfAborted } from '../tiff/errors';
import type { TiffLimits, TiffPage } from '../tiff/page';
import { TiffReader } from '../tiff/reader';
import { Lru } from './lru';

export interface MovieOptions {
  /** Decoded pages kept in memory (LRU); one page is one plane unless samples per pixel > 1. Default 8. */
  cachePages?: number;
  /** Files of a file sequence kept open at once. Default 8. */
  maxOpenFiles?: number;
  /** Sanity limits for every TIFF opened. */
  limits?: Partial<TiffLimits>;
}

/** Keeps at most `max` TiffReaders open, closing the least recently used idle one beyond that. */
export class ReaderPool {
  private readonly entries = new Map<
    string,
    { reader: Promise<TiffReader>; busy: number; lastUse: number }
  >();
  private tick = 0;
  private closed = false;

  constructor(
    private readonly max: number,
    private readonly limits: Partial<TiffLimits> | undefined,
  ) {}

  /** Registers an already open reader (the one used to inspect the movie). */
  adopt(reader: TiffReader): void {
    this.entries.set(reader.path, { reader: Promise.resolve(reader), busy: 0, lastUse: ++this.tick });
  }

  async use<T>(file: string, fn: (r: TiffReader) => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new TiffError('The movie was used after close()', {
        code: 'state',
        path: file,
        fix: 'Open the movie again',
      });
    }
    let e = this.entries.get(file);
    if (!e) {
      e = { reader: TiffReader.open(file, { limits: this.limits }), busy: 0, lastUse: 0 };
      this.entries.set(file, e);
      e.reader.catch(() => this.entries.delete(file));
    }
    e.busy++;
    e.lastUse = ++this.tick;
    try {
      return await fn(await e.reader);
    } finally {
      e.busy--;
      await this.prune();
    }
  }

  private async prune(): Promise<void> {
    while (this.entries.size > this.max) {
      let victim: string | null = null;
      let oldest = Infinity;
      for (const [k, v] of this.entries) {
        if (v.busy === 0 && v.lastUse < oldest) {
          oldest = v.lastUse;
          victim = k;
        }
      }
      if (victim === null) return;
      const v = this.entries.get(victim)!;
      this.entries.delete(victim);
      await (await v.reader.catch(() => null))?.close();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) await (await e.reader.catch(() => null))?.close();
  }
}

/**
 * An open movie: `info` describes it, `readPlane` streams one decoded plane at a time through a
 * small LRU of decoded pages. The returned `data` is a fresh copy the caller may modify.
 */
export class Movie implements PixelSource {
  private readonly cache: Lru<string, Promise<DecodedPage>>;

  constructor(
    readonly info: MovieInfo,
    private readonly pool: ReaderPool,
    /** Computed pages (ImageJ > 4 GiB single-IFD stacks), by file then page index. */
    private readonly synthetic: Map<string, Map<number, TiffPage>>,
    opts: MovieOptions = {},
  ) {
    this.cache = new Lru(opts.cachePages ?? 8);
  }

  /**
   * Decodes plane (t, c, z) (z defaults to 0). Rejects with a 'state' TiffError for indices out of
   * range, with the signal's reason when aborted, and with a TiffError when the file is bad.
   */
  async readPlane(sel: PlaneSelection, signal?: AbortSignal): Promise<Plane> {
    const { shape } = this.info;
    const z = sel.z ?? 0;
    for (const [axis, v, n] of [
      ['t', sel.t, shape.t],
      ['c', sel.c, shape.c],
      ['z', z, shape.z],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new TiffError(`Plane index ${axis} out of range`, {
          code: 'state',
          path: this.info.path,
          expected: `${axis} in 0..${n - 1}`,
          actual: String(v),
        });
      }
    }
    throwIfAborted(signal);
    const loc = this.info.planes[planeIndex(shape, { t: sel.t, c: sel.c, z })];
    const key = `${loc.page}\u0000${loc.file}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.decode(loc);
      this.cache.set(key, pending);
      pending.catch(() => this.cache.delete(key));
    }
    const page = await raceAbort(pending, signal);
    if (
      page.width !== shape.x ||
      page.height !== shape.y ||
      page.dtype !== this.info.dtype ||
      loc.sample >= page.samples.length
    ) {
      throw new TiffError('A plane does not match the movie size or type', {
        code: 'corrupt',
        path: loc.file,
        page: loc.page,
        expected: `${shape.x}×${shape.y} ${this.info.dtype} with sample ${loc.sample}`,
        actual: `${page.width}×${page.height} ${page.dtype} with ${page.samples.length} sample(s)`,
        fix: 'All frames of a movie must have the same size and bit depth',
      });
    }
    return {
      t: sel.t,
      c: sel.c,
      z,
      width: page.width,
      height: page.height,
      dtype: page.dtype,
      data: page.samples[loc.sample].slice(),
    };
  }

  private decode(loc: PlaneLocation): Promise<DecodedPage> {
    return this.pool.use(loc.file, (r) => {
      const synth = this.synthetic.get(loc.file)?.get(loc.page);
      return synth ? r.decode(synth) : r.readPage(loc.page);
    });
  }

  close(): Promise<void> {
    this.cache.clear();
    return this.pool.close();
  }
}

function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(signal.reason ?? new DOMException('The read was aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

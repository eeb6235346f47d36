import { decodePage, type DecodedPage } from './decode';
import { TiffError } from './errors';
import { FileSource } from './file-source';
import { indexTiff } from './ifd';
import { resolveLimits, type TiffLimits } from './limits';
import type { TiffIndex, TiffPage } from './page';

export interface TiffOpenOptions {
  /**
   * Overrides of the sanity limits (page count, plane budget, IFD entries, chunks); without
   * `maxPageBytes`, HITMIC_MAX_PLANE_MB or the machine's default plane budget applies.
   */
  limits?: Partial<TiffLimits>;
}

/**
 * An open TIFF/BigTIFF file whose IFD chain was walked once at open time. Pages are decoded on
 * demand; nothing but the index is kept in memory. Reads may run concurrently. Call close().
 */
export class TiffReader {
  private constructor(
    private readonly src: FileSource,
    readonly index: TiffIndex,
    readonly limits: TiffLimits,
  ) {}

  static async open(path: string, opts: TiffOpenOptions = {}): Promise<TiffReader> {
    const limits = resolveLimits(opts.limits, path);
    const src = await FileSource.open(path);
    try {
      const index = await indexTiff(src, limits);
      return new TiffReader(src, index, limits);
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  get path(): string {
    return this.src.path;
  }

  get pageCount(): number {
    return this.index.pages.length;
  }

  page(i: number): TiffPage {
    if (!Number.isInteger(i) || i < 0 || i >= this.index.pages.length) {
      throw new TiffError('Page index out of range', {
        code: 'state',
        path: this.src.path,
        expected: `0..${this.index.pages.length - 1}`,
        actual: String(i),
      });
    }
    return this.index.pages[i];
  }

  /**
   * Decodes page `i` (all samples). Rejects with the signal's reason when aborted, and with a
   * 'limit' TiffError, before allocating anything, when the page exceeds the plane budget.
   */
  readPage(i: number, signal?: AbortSignal): Promise<DecodedPage> {
    return this.decode(this.page(i), signal);
  }

  /** Decodes a page description that belongs to this file but is not in the chain (computed pages). */
  decode(page: TiffPage, signal?: AbortSignal): Promise<DecodedPage> {
    return decodePage(this.src, page, this.index.littleEndian, {
      signal,
      maxPageBytes: this.limits.maxPageBytes,
    });
  }

  close(): Promise<void> {
    return this.src.close();
  }
}

import { decodePage, type DecodedPage } from './decode';
import { TiffError } from './errors';
import { FileSource } from './file-source';
import { indexTiff } from './ifd';
import { DEFAULT_LIMITS, type TiffIndex, type TiffLimits, type TiffPage } from './page';

export interface TiffOpenOptions {
  /** Overrides of the sanity limits (page count, page size, IFD entries, chunks). */
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
  ) {}

  static async open(path: string, opts: TiffOpenOptions = {}): Promise<TiffReader> {
    const src = await FileSource.open(path);
    try {
      const index = await indexTiff(src, { ...DEFAULT_LIMITS, ...opts.limits });
      return new TiffReader(src, index);
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

  /** Decodes page `i` (all samples). Rejects with the signal's reason when aborted. */
  readPage(i: number, signal?: AbortSignal): Promise<DecodedPage> {
    return decodePage(this.src, this.page(i), this.index.littleEndian, signal);
  }

  /** Decodes a page description that belongs to this file but is not in the chain (computed pages). */
  decode(page: TiffPage, signal?: AbortSignal): Promise<DecodedPage> {
    return decodePage(this.src, page, this.index.littleEndian, signal);
  }

  close(): Promise<void> {
    return this.src.close();
  }
}

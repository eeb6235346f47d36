/**
 * What indexing a TIFF yields (its pages and their decode parameters) and the limits it works
 * under. Kept apart from ifd.ts, which fills them, so that page-check.ts can use them and ifd.ts
 * can use page-check.ts without an import cycle.
 */

// The limits live in limits.ts (with the plane budget); re-exported here, where they always were.
export { DEFAULT_LIMITS, type TiffLimits } from './limits';

/** One page (IFD) of the main chain, with everything needed to decode it. */
export interface TiffPage {
  /** 0-based position in the IFD chain. */
  readonly index: number;
  readonly ifdOffset: number;
  readonly width: number;
  readonly height: number;
  readonly samplesPerPixel: number;
  /** Bits per sample (all samples must share it). */
  readonly bitsPerSample: number;
  /** 1 unsigned int, 2 signed int, 3 IEEE float (4 "undefined" is read as 1). */
  readonly sampleFormat: number;
  readonly compression: number;
  /** 0 MinIsWhite, 1 MinIsBlack, 2 RGB, 3 palette, 5 CMYK, 6 YCbCr, … (default 1). */
  readonly photometric: number;
  /** 1 contiguous (samples interleaved), 2 separate planes. */
  readonly planarConfig: number;
  /** 1 none, 2 horizontal differencing, 3 floating point. */
  readonly predictor: number;
  readonly fillOrder: number;
  readonly tiled: boolean;
  /** Strip: image width; tile: tile width. */
  readonly chunkWidth: number;
  /** Strip: rows per strip clamped to the height; tile: tile length. */
  readonly chunkHeight: number;
  readonly chunkOffsets: readonly number[];
  readonly chunkByteCounts: readonly number[];
  readonly subfileType: number;
  /** ImageDescription (tag 270); read for page 0 only, null elsewhere or when absent. */
  readonly description: string | null;
  readonly software: string | null;
  /** XResolution as pixels per ResolutionUnit, or null. */
  readonly xResolution: number | null;
  /** 1 none, 2 inch, 3 centimetre (default 2). */
  readonly resolutionUnit: number;
}

/** Result of walking the IFD chain once. */
export interface TiffIndex {
  readonly path: string;
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  readonly fileSize: number;
  readonly pages: readonly TiffPage[];
  readonly warnings: readonly string[];
}

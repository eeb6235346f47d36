import type { PixelDType } from '../../../src-shared/io';
import { CONVERT_FIX, TiffError } from './errors';
import { checkPlaneBudget, type TiffLimits } from './limits';
import type { TiffPage } from './page';

/** Geometry of a page's strips or tiles. */
export interface ChunkLayout {
  /** Chunks per row of chunks (1 for strips). */
  across: number;
  /** Rows of chunks. */
  down: number;
  /** Chunks per plane (across × down); planar-separate pages have one set per sample. */
  perPlane: number;
  /** Samples interleaved in one chunk (spp for contiguous, 1 for separate planes). */
  samplesInChunk: number;
  /** Bytes of one row of one chunk (rows are padded to whole bytes). */
  rowBytes: number;
  /** Bytes of one full chunk (chunkHeight rows). */
  fullBytes: number;
}

export function chunkLayout(p: TiffPage): ChunkLayout {
  const across = Math.ceil(p.width / p.chunkWidth);
  const down = Math.ceil(p.height / p.chunkHeight);
  const samplesInChunk = p.planarConfig === 2 ? 1 : p.samplesPerPixel;
  const rowBytes = Math.ceil((p.chunkWidth * samplesInChunk * p.bitsPerSample) / 8);
  return {
    across,
    down,
    perPlane: across * down,
    samplesInChunk,
    rowBytes,
    fullBytes: rowBytes * p.chunkHeight,
  };
}

/** Rows of chunk `i` that hold image data (the last strip may be shorter; tiles are always full). */
export function chunkRows(p: TiffPage, layout: ChunkLayout, i: number): number {
  if (p.tiled) return p.chunkHeight;
  const row = Math.floor((i % layout.perPlane) / layout.across) * p.chunkHeight;
  return Math.min(p.chunkHeight, p.height - row);
}

/**
 * The dtype pixels of this page decode to: unsigned/signed integers of 1–32 bits widen to the
 * next of 8/16/32 bits; float16 widens to float32; float32/64 stay. 64-bit integers, floats of
 * other widths and unknown sample formats throw 'unsupported'.
 */
export function pageDType(p: TiffPage, path: string): PixelDType {
  const b = p.bitsPerSample;
  if (p.sampleFormat === 3) {
    if (b === 16 || b === 32) return 'float32';
    if (b === 64) return 'float64';
  } else if ((p.sampleFormat === 1 || p.sampleFormat === 2) && b >= 1 && b <= 32) {
    const signed = p.sampleFormat === 2;
    if (b <= 8) return signed ? 'int8' : 'uint8';
    if (b <= 16) return signed ? 'int16' : 'uint16';
    return signed ? 'int32' : 'uint32';
  }
  const kind = p.sampleFormat === 3 ? 'float' : p.sampleFormat === 2 ? 'signed integer' : 'unsigned integer';
  throw new TiffError('Unsupported sample type', {
    code: 'unsupported',
    path,
    page: p.index,
    tag: 'BitsPerSample/SampleFormat',
    expected: '1–32-bit integers or 16/32/64-bit floats',
    actual: `${b}-bit ${kind} (SampleFormat ${p.sampleFormat})`,
    fix: 'Convert the image to 16-bit or 32-bit (Fiji: Image > Type) and save again',
  });
}

/**
 * Structural sanity checks made while indexing, before anything is allocated: positive
 * dimensions, decoded size within `limits.maxPageBytes` (the plane budget), enough strips/tiles, every chunk inside
 * the file, and for uncompressed data byte counts that cover the rows they must hold.
 */
export function validatePage(p: TiffPage, fileSize: number, path: string, limits: TiffLimits): void {
  const fail = (
    what: string,
    tag: string,
    expected: string,
    actual: string,
    code: 'corrupt' | 'limit' | 'truncated' = 'corrupt',
    fix?: string,
  ): never => {
    throw new TiffError(what, { code, path, page: p.index, tag, expected, actual, fix });
  };
  if (!(p.width >= 1 && p.height >= 1))
    fail('Image has no pixels', 'ImageWidth/ImageLength', 'width and height >= 1', `${p.width}×${p.height}`);
  if (!(p.samplesPerPixel >= 1 && p.samplesPerPixel <= 1024))
    fail('Implausible samples per pixel', 'SamplesPerPixel', '1..1024', String(p.samplesPerPixel));
  if (!(p.bitsPerSample >= 1 && p.bitsPerSample <= 64))
    fail('Implausible bits per sample', 'BitsPerSample', '1..64', String(p.bitsPerSample));
  if (p.planarConfig !== 1 && p.planarConfig !== 2)
    fail('Invalid planar configuration', 'PlanarConfiguration', '1 or 2', String(p.planarConfig));
  if (!(p.chunkWidth >= 1 && p.chunkHeight >= 1))
    fail('Invalid tile size', 'TileWidth/TileLength', '>= 1', `${p.chunkWidth}×${p.chunkHeight}`);
  checkPlaneBudget(p, path, limits.maxPageBytes);
  const L = chunkLayout(p);
  const needed = L.perPlane * (p.planarConfig === 2 ? p.samplesPerPixel : 1);
  const tagName = p.tiled ? 'TileOffsets' : 'StripOffsets';
  if (needed > limits.maxChunks)
    fail('Too many strips or tiles', tagName, `at most ${limits.maxChunks}`, String(needed), 'limit');
  if (p.chunkOffsets.length < needed)
    fail(
      'Not enough strips or tiles for the image size',
      tagName,
      `${needed} offsets`,
      String(p.chunkOffsets.length),
    );
  if (p.chunkByteCounts.length < needed) {
    fail(
      'Byte counts do not match offsets',
      p.tiled ? 'TileByteCounts' : 'StripByteCounts',
      `${needed} counts`,
      String(p.chunkByteCounts.length),
    );
  }
  const countTag = p.tiled ? 'TileByteCounts' : 'StripByteCounts';
  for (let i = 0; i < needed; i++) {
    const off = p.chunkOffsets[i];
    let count = p.chunkByteCounts[i];
    const rawBytes = L.rowBytes * chunkRows(p, L, i);
    if (count === -1) {
      if (p.compression !== 1)
        fail('Compressed image without byte counts', countTag, 'a byte count per chunk', 'none');
      count = rawBytes;
    }
    if (count === 0) {
      fail(
        `${p.tiled ? 'Tile' : 'Strip'} ${i} is empty`,
        countTag,
        'a positive byte count',
        '0',
        'corrupt',
        'The file was not written completely; re-export it',
      );
    }
    if (p.compression === 1 && count < rawBytes) {
      fail(
        `${p.tiled ? 'Tile' : 'Strip'} ${i} is shorter than its rows need (dimensions and byte counts disagree)`,
        countTag,
        `${rawBytes} bytes for ${chunkRows(p, L, i)} rows of ${L.rowBytes} bytes`,
        `${count} bytes`,
      );
    }
    if (off + Math.min(count, p.compression === 1 ? rawBytes : count) > fileSize) {
      fail(
        `${p.tiled ? 'Tile' : 'Strip'} ${i} lies beyond the end of the file (the file is truncated)`,
        tagName,
        `data ending at or before byte ${fileSize}`,
        `bytes ${off}..${off + count}`,
        'truncated',
        'Copy the file again from the microscope; an interrupted transfer truncates TIFFs',
      );
    }
  }
}

/** Throws 'unsupported' for compressions this reader cannot decode. */
export function unsupportedCompression(p: TiffPage, path: string, name: string): TiffError {
  return new TiffError(`${name} compression is not supported`, {
    code: 'unsupported',
    path,
    page: p.index,
    tag: 'Compression',
    expected: 'none, LZW, PackBits, deflate or zstd',
    actual: `${name} (${p.compression})`,
    fix: CONVERT_FIX,
  });
}

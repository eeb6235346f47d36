import type { PixelArray, PixelDType } from '../../../src-shared/io';
import { decodeDeflate, decodeLzw, decodePackBits, decodeZstd } from './codecs';
import { TiffError, throwIfAborted } from './errors';
import type { FileSource } from './file-source';
import { checkPlaneBudget, formatBytes } from './limits';
import type { TiffPage } from './page';
import { chunkLayout, chunkRows, pageDType, unsupportedCompression, type ChunkLayout } from './page-check';
import {
  allocPixels,
  DTYPE_BYTES,
  halfToFloat,
  invertUnsigned,
  reverseBits,
  signExtend,
  swapBytes,
  undoFloatPredictor,
  undoHorizontal,
  undoHorizontalMasked,
  unpackBits,
  viewPixels,
} from './samples';
import { compressionName } from './tags';

/** A decoded page: one Y×X row-major array per sample (channel), native byte order. */
export interface DecodedPage {
  readonly width: number;
  readonly height: number;
  readonly dtype: PixelDType;
  /** samples[s][y * width + x]; length = SamplesPerPixel. */
  readonly samples: PixelArray[];
}

const MACHINE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SUPPORTED = new Set([1, 5, 8, 32773, 32946, 50000]);

/** Throws 'unsupported' unless this page can be decoded (compression, sample type, photometric). */
export function checkDecodable(page: TiffPage, path: string): PixelDType {
  if (!SUPPORTED.has(page.compression))
    throw unsupportedCompression(page, path, compressionName(page.compression));
  if (page.photometric === 6 || page.photometric === 32844 || page.photometric === 32845) {
    throw new TiffError('YCbCr/LogLuv colour images are not supported', {
      code: 'unsupported',
      path,
      page: page.index,
      tag: 'Photometric',
      expected: 'MinIsBlack, MinIsWhite, RGB, palette or separated samples',
      actual: String(page.photometric),
      fix: 'Save the image as grayscale or RGB',
    });
  }
  const dt = pageDType(page, path);
  if (page.predictor === 3 && page.sampleFormat !== 3) {
    throw new TiffError('Floating-point predictor on integer samples', {
      code: 'corrupt',
      path,
      page: page.index,
      tag: 'Predictor',
      expected: '1 or 2',
      actual: '3',
    });
  }
  if (page.predictor === 2 && page.bitsPerSample === 64) {
    throw new TiffError('Horizontal predictor on 64-bit samples is not supported', {
      code: 'unsupported',
      path,
      page: page.index,
      tag: 'Predictor',
      expected: '1 or 3',
      actual: '2',
    });
  }
  if (page.predictor !== 1 && page.predictor !== 2 && page.predictor !== 3) {
    throw new TiffError('Unknown predictor', {
      code: 'unsupported',
      path,
      page: page.index,
      tag: 'Predictor',
      expected: '1, 2 or 3',
      actual: String(page.predictor),
    });
  }
  return dt;
}

export interface DecodeOptions {
  signal?: AbortSignal;
  /** The plane budget: a page decoding to more is refused before anything is allocated. */
  maxPageBytes?: number;
}

/**
 * Decodes a whole page. Uncompressed, byte-aligned strips without predictor are read straight
 * into the destination buffer (contiguous strips merged into one read) and byte-swapped in place
 * when the file's byte order differs from the machine's. Other byte-aligned strips are
 * decompressed straight into their rows of the destination and transformed there (byte order,
 * predictor), so a page costs its decoded size and no more, whatever its compressed data claims.
 * Tiles and odd bit depths go chunk by chunk through a chunk-sized buffer: decompression → byte
 * order → predictor → unpacking → copy. MinIsWhite unsigned data is inverted (max − v) so that
 * larger always means brighter; MinIsWhite signed/float data is returned as stored. Palette images
 * return the indices (the colour map is not applied).
 */
export async function decodePage(
  src: FileSource,
  page: TiffPage,
  fileLittleEndian: boolean,
  opts: DecodeOptions = {},
): Promise<DecodedPage> {
  const { signal } = opts;
  const path = src.path;
  const dtype = checkDecodable(page, path);
  if (opts.maxPageBytes !== undefined) checkPlaneBudget(page, path, opts.maxPageBytes);
  const { width: w, height: h, samplesPerPixel: spp } = page;
  const planar = page.planarConfig === 2 && spp > 1;
  const L = chunkLayout(page);
  const bits = page.bitsPerSample;
  const isHalf = page.sampleFormat === 3 && bits === 16;
  const aligned = (bits === 8 || bits === 16 || bits === 32 || bits === 64) && !isHalf;
  const swap = fileLittleEndian !== MACHINE_LE && (aligned || isHalf) && bits > 8;
  const planes = planar ? spp : 1;
  const sIn = L.samplesInChunk;
  const dest: PixelArray[] = [];
  for (let s = 0; s < planes; s++) dest.push(allocPlane(dtype, w * h * sIn, page, path));
  const ctx: ChunkCtx = {
    page,
    L,
    // The chunk buffers: only the chunk-by-chunk path below allocates them.
    raw: new Uint8Array(0),
    vals: dest[0],
    swap,
    isHalf,
    aligned,
    dtype,
    path,
    tmp: new Uint8Array(L.rowBytes),
    signal,
  };

  if (page.compression === 1 && !page.tiled && aligned && page.predictor === 1 && page.fillOrder !== 2) {
    await readRawStrips(src, page, L, dest, signal);
    if (swap) for (const d of dest) swapBytes(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), bits / 8);
  } else if (!page.tiled && aligned) {
    for (let s = 0; s < planes; s++) {
      const bytes = new Uint8Array(dest[s].buffer, dest[s].byteOffset, dest[s].byteLength);
      for (let k = 0; k < L.perPlane; k++) {
        throwIfAborted(signal);
        const ci = s * L.perPlane + k;
        const rows = chunkRows(page, L, ci);
        const region = bytes.subarray(k * L.fullBytes, k * L.fullBytes + rows * L.rowBytes);
        await decompressChunk(src, ctx, ci, region);
        transformAligned(ctx, region, rows);
      }
    }
  } else {
    ctx.raw = new Uint8Array(L.fullBytes);
    const chunkN = page.chunkWidth * page.chunkHeight * sIn;
    // Byte-aligned samples are used where they were decompressed; others are unpacked or widened.
    ctx.vals = aligned ? viewPixels(dtype, ctx.raw.buffer, 0, chunkN) : allocPixels(dtype, chunkN);
    for (let s = 0; s < planes; s++) {
      for (let k = 0; k < L.perPlane; k++) {
        throwIfAborted(signal);
        const ci = s * L.perPlane + k;
        await decompressChunk(src, ctx, ci, ctx.raw);
        transformChunk(ctx, chunkRows(page, L, ci));
        placeChunk(ctx, k, dest[s]);
      }
    }
  }
  if (page.photometric === 0 && page.sampleFormat === 1) {
    for (const d of dest) invertUnsigned(d as Uint8Array | Uint16Array | Uint32Array, bits);
  }
  const samples = planar || spp === 1 ? dest : deinterleave(dest[0], spp, w * h, dtype, page, path);
  return { width: w, height: h, dtype, samples };
}

/** A plane's array; an allocation the machine refuses becomes a 'limit' TiffError that says so. */
function allocPlane(dtype: PixelDType, length: number, page: TiffPage, path: string): PixelArray {
  try {
    return allocPixels(dtype, length);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new TiffError('Not enough memory to decode the plane', {
      code: 'limit',
      path,
      page: page.index,
      actual: `${page.width} × ${page.height} pixels of ${dtype} = ${formatBytes(length * DTYPE_BYTES[dtype])}`,
      fix: 'Close other programs, or lower HITMIC_MAX_PLANE_MB so that planes this large are refused at once',
      cause: err,
    });
  }
}

/** Fast path: strips land directly in the destination; runs of file-contiguous strips are one read. */
async function readRawStrips(
  src: FileSource,
  page: TiffPage,
  L: ChunkLayout,
  dest: PixelArray[],
  signal?: AbortSignal,
): Promise<void> {
  for (let s = 0; s < dest.length; s++) {
    const bytes = new Uint8Array(dest[s].buffer, dest[s].byteOffset, dest[s].byteLength);
    let k = 0;
    while (k < L.perPlane) {
      throwIfAborted(signal);
      const ci = s * L.perPlane + k;
      const fileStart = page.chunkOffsets[ci];
      const destStart = k * L.fullBytes;
      let len = L.rowBytes * chunkRows(page, L, ci);
      let j = k + 1;
      // Merge following strips that continue exactly where this run ends, in the file and in dest.
      while (
        j < L.perPlane &&
        page.chunkOffsets[s * L.perPlane + j] === fileStart + len &&
        len === (j - k) * L.fullBytes
      ) {
        len += L.rowBytes * chunkRows(page, L, s * L.perPlane + j);
        j++;
      }
      await src.readInto(
        bytes.subarray(destStart, destStart + len),
        fileStart,
        `strip ${ci} of page ${page.index}`,
      );
      k = j;
    }
  }
}

interface ChunkCtx {
  page: TiffPage;
  L: ChunkLayout;
  raw: Uint8Array;
  vals: PixelArray;
  swap: boolean;
  isHalf: boolean;
  aligned: boolean;
  dtype: PixelDType;
  path: string;
  tmp: Uint8Array;
  signal: AbortSignal | undefined;
}

/**
 * Decompresses chunk `ci` into `out` (its rows in the destination, or the chunk buffer); fails
 * unless at least the rows the chunk must hold come out.
 */
async function decompressChunk(src: FileSource, ctx: ChunkCtx, ci: number, out: Uint8Array): Promise<void> {
  const { page, L } = ctx;
  const needed = L.rowBytes * chunkRows(page, L, ci);
  const count = page.chunkByteCounts[ci] === -1 ? needed : page.chunkByteCounts[ci];
  const what = `${page.tiled ? 'tile' : 'strip'} ${ci} of page ${page.index}`;
  if (page.compression === 1) {
    await src.readInto(out.subarray(0, needed), page.chunkOffsets[ci], what);
    if (page.fillOrder === 2) reverseBits(out.subarray(0, needed));
    return;
  }
  const data = await src.read(page.chunkOffsets[ci], count, what);
  if (page.fillOrder === 2) reverseBits(data);
  let n: number;
  try {
    switch (page.compression) {
      case 5:
        n = decodeLzw(data, out);
        break;
      case 8:
      case 32946:
        n = await decodeDeflate(data, out, ctx.signal);
        break;
      case 32773:
        n = decodePackBits(data, out);
        break;
      default:
        // A last strip may be stored whole: allow the chunk's full size, keep what fits.
        n = await decodeZstd(data, out, L.fullBytes);
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new TiffError(`Cannot decompress ${what} (${compressionName(page.compression)})`, {
      code: 'corrupt',
      path: ctx.path,
      page: page.index,
      actual: err instanceof Error ? err.message : String(err),
      fix: 'The file is damaged; re-export it',
      cause: err,
    });
  }
  if (n < needed) {
    throw new TiffError(`Compressed ${what} decodes to too few bytes (the data is truncated or corrupt)`, {
      code: 'corrupt',
      path: ctx.path,
      page: page.index,
      expected: `${needed} bytes`,
      actual: `${n} bytes`,
    });
  }
}

/** Byte order and predictor of `rows` rows of byte-aligned (or float16) samples, in place. */
function transformAligned(ctx: ChunkCtx, bytes: Uint8Array, rows: number): void {
  const { page, L } = ctx;
  const rowSamples = page.chunkWidth * L.samplesInChunk;
  const bps = page.bitsPerSample / 8;
  if (page.predictor === 3) {
    undoFloatPredictor(bytes, rows, rowSamples, bps, L.samplesInChunk, ctx.tmp);
    return;
  }
  if (ctx.swap) swapBytes(bytes.subarray(0, rows * L.rowBytes), bps);
  if (page.predictor === 2)
    undoHorizontal(unsignedView(bytes, bps, rows * rowSamples), rows, rowSamples, L.samplesInChunk);
}

/** raw (file bytes of one chunk) → vals (native samples of the output dtype), for `rows` rows. */
function transformChunk(ctx: ChunkCtx, rows: number): void {
  const { page, L, raw, vals } = ctx;
  const rowSamples = page.chunkWidth * L.samplesInChunk;
  const stride = L.samplesInChunk;
  const bits = page.bitsPerSample;
  if (ctx.aligned || ctx.isHalf) {
    transformAligned(ctx, raw, rows);
    // Aligned samples: `vals` is a view of `raw`, nothing to copy. float16 widens to float32.
    if (ctx.isHalf)
      halfToFloat(new Uint16Array(raw.buffer, raw.byteOffset, rows * rowSamples), vals as Float32Array);
    return;
  }
  const outBytes = DTYPE_BYTES[ctx.dtype];
  const u = unsignedView(
    new Uint8Array(vals.buffer, vals.byteOffset, vals.byteLength),
    outBytes,
    vals.length,
  );
  unpackBits(raw, rows, rowSamples, L.rowBytes, bits, u);
  if (page.predictor === 2) undoHorizontalMasked(u, rows, rowSamples, stride, bits);
  if (page.sampleFormat === 2) signExtend(vals as Int8Array | Int16Array | Int32Array, bits);
}

function unsignedView(
  bytes: Uint8Array,
  size: number,
  length: number,
): Uint8Array | Uint16Array | Uint32Array {
  if (size === 1) return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  if (size === 2) return new Uint16Array(bytes.buffer, bytes.byteOffset, length);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, length);
}

/** Copies the valid part of chunk k (within its plane) from ctx.vals into the Y×X(×spp) destination. */
function placeChunk(ctx: ChunkCtx, k: number, dest: PixelArray): void {
  const { page, L, vals } = ctx;
  const sIn = L.samplesInChunk;
  const cw = page.chunkWidth;
  const y0 = Math.floor(k / L.across) * page.chunkHeight;
  const x0 = (k % L.across) * cw;
  const rows = Math.min(page.chunkHeight, page.height - y0);
  const w = page.width;
  if (!page.tiled) {
    dest.set(vals.subarray(0, rows * w * sIn) as never, y0 * w * sIn);
    return;
  }
  const cols = Math.min(cw, w - x0);
  for (let r = 0; r < rows; r++) {
    const from = r * cw * sIn;
    dest.set(vals.subarray(from, from + cols * sIn) as never, ((y0 + r) * w + x0) * sIn);
  }
}

/** Splits pixel-interleaved samples into one array per sample. */
function deinterleave(
  src: PixelArray,
  spp: number,
  n: number,
  dtype: PixelDType,
  page: TiffPage,
  path: string,
): PixelArray[] {
  const out: PixelArray[] = [];
  for (let s = 0; s < spp; s++) {
    const d = allocPlane(dtype, n, page, path);
    for (let i = 0, j = s; i < n; i++, j += spp) d[i] = src[j];
    out.push(d);
  }
  return out;
}

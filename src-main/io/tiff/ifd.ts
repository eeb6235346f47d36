import { TiffError } from './errors';
import type { FileSource } from './file-source';
import { FieldType, Tag, TAG_NAMES, TYPE_SIZE } from './tags';
import { validatePage } from './page-check';
import { DEFAULT_LIMITS, type TiffIndex, type TiffLimits, type TiffPage } from './page';

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Absolute file position of the value bytes. */
  valuePos: number;
  /** The value bytes when they fit in the entry, else null. */
  inline: Uint8Array | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Parses the header and walks the main IFD chain once, recording each page's decode parameters
 * and strip/tile offset and byte-count arrays. Both byte orders, classic TIFF and BigTIFF.
 * An IFD offset seen before ends the chain (loop) with a warning; a chain longer than
 * `limits.maxPages`, an IFD outside the file, absurd sizes or counts throw a TiffError.
 * SubIFDs are not followed.
 */
export async function indexTiff(src: FileSource, limits: TiffLimits = DEFAULT_LIMITS): Promise<TiffIndex> {
  const path = src.path;
  if (src.size < 8) {
    throw new TiffError('Not a TIFF file: too short for a TIFF header', {
      code: 'not-tiff',
      path,
      expected: 'at least 8 bytes',
      actual: `${src.size} bytes`,
    });
  }
  const head = new Uint8Array(await src.readSmall(0, Math.min(16, src.size), 'header'));
  const bo = String.fromCharCode(head[0], head[1]);
  if (bo !== 'II' && bo !== 'MM') {
    throw new TiffError('Not a TIFF file: bad byte-order mark', {
      code: 'not-tiff',
      path,
      expected: '"II" or "MM"',
      actual: JSON.stringify(bo),
      fix: 'Give a .tif/.tiff file (ND2, CZI and other formats must be exported to OME-TIFF first)',
    });
  }
  const le = bo === 'II';
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = hv.getUint16(2, le);
  let bigTiff = false;
  let first: number;
  if (magic === 42) {
    first = hv.getUint32(4, le);
  } else if (magic === 43) {
    if (head.length < 16 || hv.getUint16(4, le) !== 8 || hv.getUint16(6, le) !== 0) {
      throw new TiffError('Corrupt BigTIFF header', { code: 'not-tiff', path, expected: 'offset size 8' });
    }
    bigTiff = true;
    first = toSafe(hv.getBigUint64(8, le), path, 'first IFD offset');
  } else {
    throw new TiffError('Not a TIFF file: bad magic number', {
      code: 'not-tiff',
      path,
      expected: '42 (TIFF) or 43 (BigTIFF)',
      actual: String(magic),
    });
  }

  const pages: TiffPage[] = [];
  const warnings: string[] = [];
  const visited = new Set<number>();
  let offset = first;
  if (offset === 0) {
    throw new TiffError('The TIFF has no pages (first IFD offset is 0)', { code: 'corrupt', path });
  }
  while (offset !== 0) {
    if (visited.has(offset)) {
      warnings.push(
        `IFD chain loops back to offset ${offset} after page ${pages.length - 1}; later pages ignored`,
      );
      break;
    }
    if (pages.length >= limits.maxPages) {
      throw new TiffError('Too many pages', {
        code: 'limit',
        path,
        expected: `at most ${limits.maxPages} pages`,
        actual: `more`,
        fix: 'Raise limits.maxPages if the file is genuine',
      });
    }
    visited.add(offset);
    const { entries, next } = await readIfd(src, offset, le, bigTiff, pages.length, limits);
    const page = await buildPage(src, entries, le, pages.length, offset);
    validatePage(page, src.size, path, limits);
    pages.push(page);
    offset = next;
  }
  return { path, littleEndian: le, bigTiff, fileSize: src.size, pages, warnings };
}

async function readIfd(
  src: FileSource,
  offset: number,
  le: boolean,
  big: boolean,
  pageIndex: number,
  limits: TiffLimits,
): Promise<{ entries: Entry[]; next: number }> {
  const path = src.path;
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const offSize = big ? 8 : 4;
  if (offset < (big ? 16 : 8) || offset + countSize > src.size) {
    throw new TiffError('IFD offset points outside the file', {
      code: offset + countSize > src.size ? 'truncated' : 'corrupt',
      path,
      page: pageIndex,
      expected: `an offset between ${big ? 16 : 8} and ${src.size - countSize}`,
      actual: String(offset),
    });
  }
  const cb = await src.readSmall(offset, countSize, 'IFD entry count');
  const cv = new DataView(cb.buffer, cb.byteOffset, cb.byteLength);
  const n = big ? toSafe(cv.getBigUint64(0, le), path, 'IFD entry count') : cv.getUint16(0, le);
  if (n === 0 || n > limits.maxIfdEntries) {
    throw new TiffError('Implausible number of IFD entries', {
      code: 'corrupt',
      path,
      page: pageIndex,
      expected: `1..${limits.maxIfdEntries}`,
      actual: String(n),
    });
  }
  const total = countSize + n * entrySize + offSize;
  const buf = new Uint8Array(await src.readSmall(offset, total, 'IFD'));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const p = countSize + i * entrySize;
    const tag = dv.getUint16(p, le);
    const type = dv.getUint16(p + 2, le);
    const count = big ? toSafe(dv.getBigUint64(p + 4, le), path, 'IFD value count') : dv.getUint32(p + 4, le);
    const size = TYPE_SIZE[type] ?? 0;
    if (size === 0) continue; // unknown field type: skip the entry, as TIFF 6.0 requires
    const byteLen = size * count;
    const fieldPos = p + (big ? 12 : 8);
    if (byteLen <= offSize) {
      entries.push({
        tag,
        type,
        count,
        valuePos: offset + fieldPos,
        inline: buf.slice(fieldPos, fieldPos + byteLen),
      });
    } else {
      const valuePos = big
        ? toSafe(dv.getBigUint64(fieldPos, le), path, 'value offset')
        : dv.getUint32(fieldPos, le);
      entries.push({ tag, type, count, valuePos, inline: null });
    }
  }
  const np = countSize + n * entrySize;
  const next = big ? toSafe(dv.getBigUint64(np, le), path, 'next IFD offset') : dv.getUint32(np, le);
  return { entries, next };
}

async function buildPage(
  src: FileSource,
  entries: Entry[],
  le: boolean,
  index: number,
  ifdOffset: number,
): Promise<TiffPage> {
  const byTag = new Map<number, Entry>();
  for (const e of entries) if (!byTag.has(e.tag)) byTag.set(e.tag, e);
  const nums = async (tag: number, max = 1 << 24): Promise<number[] | null> => {
    const e = byTag.get(tag);
    return e ? readNumbers(src, e, le, index, max) : null;
  };
  const one = async (tag: number, dflt: number): Promise<number> => {
    const v = await nums(tag, 1 << 16);
    return v && v.length > 0 ? v[0] : dflt;
  };
  const width = await one(Tag.ImageWidth, 0);
  const height = await one(Tag.ImageLength, 0);
  const spp = await one(Tag.SamplesPerPixel, 1);
  // Only the first SamplesPerPixel values count (some writers append extra ones).
  const bpsAll = ((await nums(Tag.BitsPerSample, 1 << 16)) ?? [1]).slice(0, Math.max(1, spp));
  const sfAll = ((await nums(Tag.SampleFormat, 1 << 16)) ?? [1]).slice(0, Math.max(1, spp));
  for (const [name, arr] of [
    ['BitsPerSample', bpsAll],
    ['SampleFormat', sfAll],
  ] as const) {
    if (arr.some((b) => b !== arr[0])) {
      throw new TiffError('Samples of different types in one page are not supported', {
        code: 'unsupported',
        path: src.path,
        page: index,
        tag: name,
        expected: 'the same value for every sample',
        actual: arr.join(','),
      });
    }
  }
  const tiled = byTag.has(Tag.TileOffsets);
  const offsets = (await nums(tiled ? Tag.TileOffsets : Tag.StripOffsets)) ?? [];
  const counts = await nums(tiled ? Tag.TileByteCounts : Tag.StripByteCounts);
  const rps = await one(Tag.RowsPerStrip, 0xffffffff);
  const xres = await nums(Tag.XResolution, 2);
  const text = async (tag: number): Promise<string | null> => {
    const e = byTag.get(tag);
    if (!e || (e.type !== FieldType.ASCII && e.type !== FieldType.BYTE && e.type !== FieldType.UNDEFINED))
      return null;
    const bytes = e.inline ?? (await src.readSmall(e.valuePos, e.count, `tag ${TAG_NAMES[tag]}`));
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return utf8.decode(bytes.subarray(0, end));
  };
  const sf = sfAll[0] === 4 ? 1 : sfAll[0];
  return {
    index,
    ifdOffset,
    width,
    height,
    samplesPerPixel: spp,
    bitsPerSample: bpsAll[0],
    sampleFormat: sf,
    compression: await one(Tag.Compression, 1),
    photometric: await one(Tag.Photometric, 1),
    planarConfig: await one(Tag.PlanarConfiguration, 1),
    predictor: await one(Tag.Predictor, 1),
    fillOrder: await one(Tag.FillOrder, 1),
    tiled,
    chunkWidth: tiled ? await one(Tag.TileWidth, 0) : width,
    chunkHeight: tiled ? await one(Tag.TileLength, 0) : Math.max(1, Math.min(rps, height)),
    chunkOffsets: offsets,
    // Missing byte counts: -1 marks "unknown", validatePage accepts that only for uncompressed data.
    chunkByteCounts: counts ?? offsets.map(() => -1),
    subfileType: await one(Tag.NewSubfileType, 0),
    description: index === 0 ? await text(Tag.ImageDescription) : null,
    software: index === 0 ? await text(Tag.Software) : null,
    xResolution: xres && xres.length > 0 && Number.isFinite(xres[0]) && xres[0] > 0 ? xres[0] : null,
    resolutionUnit: await one(Tag.ResolutionUnit, 2),
  };
}

/** Reads the numeric values of an entry (RATIONALs as quotients); at most `max` values. */
async function readNumbers(
  src: FileSource,
  e: Entry,
  le: boolean,
  page: number,
  max: number,
): Promise<number[]> {
  if (e.count > max) {
    throw new TiffError('Tag has implausibly many values', {
      code: 'limit',
      path: src.path,
      page,
      tag: TAG_NAMES[e.tag] ?? String(e.tag),
      expected: `at most ${max}`,
      actual: String(e.count),
    });
  }
  const size = TYPE_SIZE[e.type];
  const what = `tag ${TAG_NAMES[e.tag] ?? e.tag}`;
  // readSmall may return a view into its window: the values are decoded below before any other read.
  const bytes = e.inline ?? (await src.readSmall(e.valuePos, size * e.count, what));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(e.count);
  for (let i = 0; i < e.count; i++) {
    const p = i * size;
    switch (e.type) {
      case FieldType.BYTE:
      case FieldType.UNDEFINED:
      case FieldType.ASCII:
        out[i] = dv.getUint8(p);
        break;
      case FieldType.SBYTE:
        out[i] = dv.getInt8(p);
        break;
      case FieldType.SHORT:
        out[i] = dv.getUint16(p, le);
        break;
      case FieldType.SSHORT:
        out[i] = dv.getInt16(p, le);
        break;
      case FieldType.LONG:
      case FieldType.IFD:
        out[i] = dv.getUint32(p, le);
        break;
      case FieldType.SLONG:
        out[i] = dv.getInt32(p, le);
        break;
      case FieldType.RATIONAL:
        out[i] = dv.getUint32(p, le) / dv.getUint32(p + 4, le);
        break;
      case FieldType.SRATIONAL:
        out[i] = dv.getInt32(p, le) / dv.getInt32(p + 4, le);
        break;
      case FieldType.FLOAT:
        out[i] = dv.getFloat32(p, le);
        break;
      case FieldType.DOUBLE:
        out[i] = dv.getFloat64(p, le);
        break;
      case FieldType.LONG8:
      case FieldType.IFD8:
        out[i] = toSafe(dv.getBigUint64(p, le), src.path, TAG_NAMES[e.tag] ?? String(e.tag));
        break;
      case FieldType.SLONG8:
        out[i] = Number(dv.getBigInt64(p, le));
        break;
      default:
        out[i] = 0;
    }
  }
  return out;
}

function toSafe(v: bigint, path: string, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TiffError(`BigTIFF ${what} is too large`, {
      code: 'corrupt',
      path,
      expected: `at most 2^53`,
      actual: v.toString(),
    });
  }
  return Number(v);
}

import { lengthToMicrons, timeToSeconds } from '../tiff/imagej';
import { TiffError } from '../tiff/errors';

/** What this app uses from OME-XML: the first Image's Pixels, its Channels, TiffData and Planes. */
export interface OmeMeta {
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  sizeC: number;
  sizeT: number;
  /** e.g. "XYZCT": the order in which IFDs run when no TiffData says otherwise (first letter after XY fastest). */
  dimensionOrder: string;
  type: string | null;
  /** PhysicalSizeX converted to µm, or null. */
  pixelSizeUm: number | null;
  /** Pixels TimeIncrement converted to seconds (TimeIncrementUnit, default "s"), or null. */
  timeIncrementS: number | null;
  channelNames: (string | null)[];
  /** Samples per pixel of each Channel (RGB channels are 3), default 1. */
  channelSamples: number[];
  tiffData: OmeTiffData[];
  planes: OmePlane[];
  /** Number of Image elements (more than one = multi-position / multi-series file). */
  imageCount: number;
}

export interface OmeTiffData {
  ifd: number | null;
  firstZ: number;
  firstC: number;
  firstT: number;
  planeCount: number | null;
  /** UUID FileName attribute (another file of a multi-file OME-TIFF), or null. */
  fileName: string | null;
}

export interface OmePlane {
  theZ: number;
  theC: number;
  theT: number;
  /** DeltaT converted to seconds using DeltaTUnit (OME default "s"), or null. */
  deltaTS: number | null;
}

interface Element {
  name: string;
  attrs: Record<string, string>;
  /** Index of the enclosing element in the flat list, or -1. */
  parent: number;
}

const TAG_RE = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR_RE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** A minimal, non-validating XML element scanner (comments and CDATA skipped; namespaces dropped). */
function scan(xml: string): Element[] {
  const text = xml
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '');
  const out: Element[] = [];
  const stack: number[] = [];
  for (const m of text.matchAll(TAG_RE)) {
    const name = m[2].includes(':') ? m[2].slice(m[2].indexOf(':') + 1) : m[2];
    if (m[1] === '/') {
      // Close the nearest open element of this name.
      for (let i = stack.length - 1; i >= 0; i--) {
        if (out[stack[i]].name === name) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(ATTR_RE)) attrs[a[1]] = unescapeXml(a[2] ?? a[3] ?? '');
    out.push({ name, attrs, parent: stack.length ? stack[stack.length - 1] : -1 });
    if (m[4] !== '/') stack.push(out.length - 1);
  }
  return out;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** True when an ImageDescription holds OME-XML. */
export function isOmeXml(desc: string | null): desc is string {
  return !!desc && /<(?:\w+:)?OME[\s>]/.test(desc);
}

/**
 * The metadata file named by a BinaryOnly OME-XML (`<OME><BinaryOnly MetadataFile="x.companion.ome"
 * UUID="…"/></OME>`): the description of every TIFF of a multi-file set but the one that holds
 * the metadata. Null when the XML is not BinaryOnly (it has the Image itself).
 */
export function omeBinaryOnly(xml: string): { metadataFile: string; uuid: string | null } | null {
  const els = scan(xml);
  const bo = els.find((e) => e.name === 'BinaryOnly');
  if (!bo || els.some((e) => e.name === 'Image')) return null;
  return { metadataFile: bo.attrs.MetadataFile ?? '', uuid: bo.attrs.UUID ?? null };
}

/**
 * Parses the OME-XML of an OME-TIFF (first Image only), or of a companion file (`inTiff` false),
 * and checks it: sizes must be positive integers and DimensionOrder one of the six XY… orders.
 * Throws a TiffError (tag ImageDescription, in a TIFF) naming the bad attribute otherwise.
 */
export function parseOmeXml(xml: string, path: string, inTiff = true): OmeMeta {
  const els = scan(xml);
  const bad = (what: string, expected: string, actual: string): never => {
    throw new TiffError(`Invalid OME-XML: ${what}`, {
      code: 'corrupt',
      path,
      page: inTiff ? 0 : undefined,
      tag: inTiff ? 'ImageDescription' : undefined,
      expected,
      actual,
      fix: 'Re-export the file as OME-TIFF (Fiji: File > Save As > OME-TIFF, or bfconvert)',
    });
  };
  const imageIdx = els.findIndex((e) => e.name === 'Image');
  if (imageIdx < 0) bad('no <Image> element', 'an <Image> with <Pixels>', 'none');
  const within = (i: number, ancestor: number): boolean => {
    for (let p = els[i].parent; p >= 0; p = els[p].parent) if (p === ancestor) return true;
    return false;
  };
  const pixIdx = els.findIndex((e, i) => e.name === 'Pixels' && within(i, imageIdx));
  if (pixIdx < 0) bad('no <Pixels> element in the first <Image>', '<Pixels SizeX=… SizeT=…>', 'none');
  const px = els[pixIdx].attrs;
  const size = (k: string, dflt?: number): number => {
    const raw = px[k];
    if (raw === undefined && dflt !== undefined) return dflt;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) bad(`Pixels ${k}`, 'a positive integer', String(raw));
    return v;
  };
  const order = (px.DimensionOrder ?? 'XYZCT').toUpperCase();
  if (!['XYZCT', 'XYZTC', 'XYCZT', 'XYCTZ', 'XYTZC', 'XYTCZ'].includes(order)) {
    bad('Pixels DimensionOrder', 'one of XYZCT, XYZTC, XYCZT, XYCTZ, XYTZC, XYTCZ', order);
  }
  let pixelSizeUm: number | null = null;
  if (px.PhysicalSizeX !== undefined) {
    const v = Number(px.PhysicalSizeX);
    const f = lengthToMicrons(px.PhysicalSizeXUnit ?? 'µm');
    if (Number.isFinite(v) && v > 0 && f !== null) pixelSizeUm = v * f;
  }
  let timeIncrementS: number | null = null;
  if (px.TimeIncrement !== undefined) {
    const v = Number(px.TimeIncrement);
    const f = timeToSeconds(px.TimeIncrementUnit ?? 's');
    if (Number.isFinite(v) && v > 0 && f !== null) timeIncrementS = v * f;
  }
  const channels = els.filter((e) => e.name === 'Channel' && e.parent === pixIdx);
  const tiffData = els
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.name === 'TiffData' && e.parent === pixIdx)
    .map(({ e, i }): OmeTiffData => {
      const uuid = els.find((u) => u.name === 'UUID' && u.parent === i);
      const opt = (k: string): number | null => (e.attrs[k] === undefined ? null : Number(e.attrs[k]));
      return {
        ifd: opt('IFD'),
        firstZ: opt('FirstZ') ?? 0,
        firstC: opt('FirstC') ?? 0,
        firstT: opt('FirstT') ?? 0,
        planeCount: opt('PlaneCount'),
        fileName: uuid?.attrs.FileName ?? null,
      };
    });
  const planes = els
    .filter((e) => e.name === 'Plane' && e.parent === pixIdx)
    .map((e): OmePlane => {
      let deltaTS: number | null = null;
      if (e.attrs.DeltaT !== undefined) {
        const v = Number(e.attrs.DeltaT);
        const f = timeToSeconds(e.attrs.DeltaTUnit ?? 's');
        if (Number.isFinite(v) && f !== null) deltaTS = v * f;
      }
      return {
        theZ: Number(e.attrs.TheZ ?? 0),
        theC: Number(e.attrs.TheC ?? 0),
        theT: Number(e.attrs.TheT ?? 0),
        deltaTS,
      };
    });
  return {
    sizeX: size('SizeX'),
    sizeY: size('SizeY'),
    sizeZ: size('SizeZ', 1),
    sizeC: size('SizeC', 1),
    sizeT: size('SizeT', 1),
    dimensionOrder: order,
    type: px.Type ?? null,
    pixelSizeUm,
    timeIncrementS,
    channelNames: channels.map((c) => c.attrs.Name ?? null),
    channelSamples: channels.map((c) => Math.max(1, Number(c.attrs.SamplesPerPixel ?? 1) || 1)),
    tiffData,
    planes,
    imageCount: els.filter((e) => e.name === 'Image').length,
  };
}

/**
 * IFD-order position of plane (z, c, t) when planes are stored in `order` (e.g. "XYZCT": Z
 * fastest, then C, then T). `sizes` gives SizeZ/SizeC/SizeT, with C counted in IFD planes.
 */
export function omeIfdIndex(
  order: string,
  sizes: { z: number; c: number; t: number },
  at: { z: number; c: number; t: number },
): number {
  let idx = 0;
  let stride = 1;
  for (const ch of order.slice(2)) {
    const k = ch.toLowerCase() as 'z' | 'c' | 't';
    idx += at[k] * stride;
    stride *= sizes[k];
  }
  return idx;
}

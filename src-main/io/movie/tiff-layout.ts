import path from 'node:path';
import {
  planeIndex,
  type MovieShape,
  type MovieSourceKind,
  type PixelDType,
  type PlaneLocation,
} from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import type { TiffPage } from '../tiff/page';
import { lengthToMicrons, parseImageJDescription, timeToSeconds, type ImageJMeta } from '../tiff/imagej';
import { chunkLayout, chunkRows, pageDType } from '../tiff/page-check';
import type { TiffReader } from '../tiff/reader';
import { isOmeXml, omeIfdIndex, parseOmeXml, type OmeMeta } from './ome-xml';

/** How the planes of a movie map onto TIFF pages, plus the metadata read on the way. */
export interface MovieLayout {
  kind: MovieSourceKind;
  shape: MovieShape;
  dtype: PixelDType;
  channelNames: string[];
  pixelSizeUm: number | null;
  frameIntervalS: number | null;
  planeTimestampsS: (number | null)[] | null;
  planes: PlaneLocation[];
  warnings: string[];
  /** Pages that exist only by computation (ImageJ stacks > 4 GiB with a single IFD), by index. */
  syntheticPages: Map<number, TiffPage>;
}

/** Works out T, C, Z and the plane → page mapping of one TIFF: OME-XML, then ImageJ, then plain pages-as-T. */
export function layoutFromTiff(reader: TiffReader): MovieLayout {
  const first = reader.page(0);
  const dtype = pageDType(first, reader.path);
  const warnings = [...reader.index.warnings];
  if (isOmeXml(first.description))
    return omeLayout(reader, parseOmeXml(first.description, reader.path), dtype, warnings);
  const ij = parseImageJDescription(first.description);
  if (ij) return imagejLayout(reader, ij, dtype, warnings);
  return plainLayout(reader, dtype, warnings);
}

function base(shape: MovieShape, dtype: PixelDType, kind: MovieSourceKind, warnings: string[]): MovieLayout {
  return {
    kind,
    shape,
    dtype,
    channelNames: Array.from({ length: shape.c }, (_, c) => `C${c}`),
    pixelSizeUm: null,
    frameIntervalS: null,
    planeTimestampsS: null,
    planes: new Array<PlaneLocation>(shape.t * shape.c * shape.z),
    warnings,
    syntheticPages: new Map(),
  };
}

/** Plain TIFF: every full-resolution page is one frame (T); samples per pixel are channels. */
function plainLayout(reader: TiffReader, dtype: PixelDType, warnings: string[]): MovieLayout {
  const pages = reader.index.pages.filter((p) => (p.subfileType & 0b101) === 0);
  const p0 = pages[0] ?? reader.page(0);
  for (const p of pages) {
    if (
      p.width !== p0.width ||
      p.height !== p0.height ||
      p.samplesPerPixel !== p0.samplesPerPixel ||
      pageDType(p, reader.path) !== dtype
    ) {
      throw new TiffError('Pages differ in size or type, so they cannot be frames of one movie', {
        code: 'unsupported',
        path: reader.path,
        page: p.index,
        expected: `${p0.width}×${p0.height}, ${p0.samplesPerPixel} samples, ${dtype} like page ${p0.index}`,
        actual: `${p.width}×${p.height}, ${p.samplesPerPixel} samples, ${pageDType(p, reader.path)}`,
        fix: 'Save the movie as an ImageJ hyperstack or OME-TIFF',
      });
    }
  }
  const spp = p0.samplesPerPixel;
  const L = base({ t: pages.length, c: spp, z: 1, y: p0.height, x: p0.width }, dtype, 'tiff', warnings);
  pages.forEach((p, t) => {
    for (let c = 0; c < spp; c++)
      L.planes[planeIndex(L.shape, { t, c })] = { file: reader.path, page: p.index, sample: c };
  });
  // Plain TIFF resolution counts only in centimetres (inch resolution is almost always a 72-dpi default).
  if (p0.xResolution && p0.resolutionUnit === 3) L.pixelSizeUm = 1e4 / p0.xResolution;
  return L;
}

/** ImageJ hyperstack: pages run C fastest, then Z, then T; samples per pixel (RGB) multiply C. */
function imagejLayout(
  reader: TiffReader,
  ij: ImageJMeta,
  dtype: PixelDType,
  warnings: string[],
): MovieLayout {
  const p0 = reader.page(0);
  const spp = p0.samplesPerPixel;
  const pc = ij.channels;
  let { slices: Z, frames: T } = ij;
  if (!ij.hyperstack && T === 1 && pc === 1 && Z > 1) {
    warnings.push(`ImageJ stack of ${Z} slices without frames= is read as ${Z} time points`);
    T = Z;
    Z = 1;
  } else if (pc * Z * T === 1 && ij.images > 1) {
    T = ij.images; // "images=N" alone: a plain stack, read as time
  }
  const images = pc * Z * T;
  if (ij.images !== images) {
    if (ij.images < images) {
      throw new TiffError('ImageJ description is inconsistent', {
        code: 'corrupt',
        path: reader.path,
        page: 0,
        tag: 'ImageDescription',
        expected: `images = channels × slices × frames = ${images}`,
        actual: `images=${ij.images}`,
      });
    }
    warnings.push(`ImageJ images=${ij.images} but channels×slices×frames=${images}; extra images ignored`);
  }
  const L = base({ t: T, c: pc * spp, z: Z, y: p0.height, x: p0.width }, dtype, 'imagej', warnings);
  if (reader.pageCount < images) addContiguousPages(reader, images, L);
  for (let t = 0; t < T; t++) {
    for (let z = 0; z < Z; z++) {
      for (let c = 0; c < pc * spp; c++) {
        const page = (t * Z + z) * pc + Math.floor(c / spp);
        L.planes[planeIndex(L.shape, { t, c, z })] = { file: reader.path, page, sample: c % spp };
      }
    }
  }
  const umPerUnit = lengthToMicrons(ij.unit);
  if (p0.xResolution && umPerUnit !== null) L.pixelSizeUm = umPerUnit / p0.xResolution;
  const tf = timeToSeconds(ij.timeUnit);
  if (ij.finterval !== null && tf !== null) L.frameIntervalS = ij.finterval * tf;
  return L;
}

/**
 * ImageJ writes stacks over 4 GiB with one IFD and all images back to back after page 0's data.
 * Synthesise pages 1..images-1 at page 0's offset + i × image bytes, if the file is long enough.
 */
function addContiguousPages(reader: TiffReader, images: number, L: MovieLayout): void {
  const p0 = reader.page(0);
  const lay = chunkLayout(p0);
  let bytes = 0;
  for (let i = 0; i < lay.perPlane; i++) bytes += lay.rowBytes * chunkRows(p0, lay, i);
  const contiguous = p0.chunkOffsets.every((o, i) => i === 0 || o === p0.chunkOffsets[i - 1] + lay.fullBytes);
  const end = p0.chunkOffsets[0] + images * bytes;
  if (
    p0.compression !== 1 ||
    p0.tiled ||
    !contiguous ||
    p0.planarConfig === 2 ||
    end > reader.index.fileSize
  ) {
    throw new TiffError('ImageJ description promises more images than the file holds', {
      code: 'truncated',
      path: reader.path,
      tag: 'ImageDescription',
      expected: `${images} images`,
      actual: `${reader.pageCount} pages${end > reader.index.fileSize ? ` and ${reader.index.fileSize} bytes (need ${end})` : ''}`,
      fix: 'The file may be truncated; copy it again or re-save it from ImageJ',
    });
  }
  for (let i = reader.pageCount; i < images; i++) {
    L.syntheticPages.set(i, {
      ...p0,
      index: i,
      chunkOffsets: p0.chunkOffsets.map((o) => o + i * bytes),
      description: null,
    });
  }
  L.warnings.push(
    `ImageJ file has ${reader.pageCount} IFD(s) for ${images} images; the rest are read as contiguous data`,
  );
}

/** OME-TIFF: first Image's sizes, TiffData IFD mapping (or DimensionOrder), DeltaT in seconds. */
function omeLayout(reader: TiffReader, ome: OmeMeta, dtype: PixelDType, warnings: string[]): MovieLayout {
  const p0 = reader.page(0);
  if (ome.sizeX !== p0.width || ome.sizeY !== p0.height) {
    throw new TiffError('OME-XML size disagrees with the first page', {
      code: 'corrupt',
      path: reader.path,
      page: 0,
      tag: 'ImageDescription',
      expected: `SizeX×SizeY = ${p0.width}×${p0.height} (the page size)`,
      actual: `${ome.sizeX}×${ome.sizeY}`,
    });
  }
  if (ome.imageCount > 1)
    warnings.push(`OME-XML describes ${ome.imageCount} images (positions/series); only the first is read`);
  const spp = p0.samplesPerPixel > 1 && ome.sizeC % p0.samplesPerPixel === 0 ? p0.samplesPerPixel : 1;
  const shape: MovieShape = { t: ome.sizeT, c: ome.sizeC, z: ome.sizeZ, y: ome.sizeY, x: ome.sizeX };
  const L = base(shape, dtype, 'ome-tiff', warnings);
  const ifdSizes = { z: ome.sizeZ, c: ome.sizeC / spp, t: ome.sizeT };
  const total = ifdSizes.z * ifdSizes.c * ifdSizes.t;
  // IFD (and file) of each plane in DimensionOrder position p.
  const where = new Array<{ file: string; ifd: number } | undefined>(total);
  const order = ome.dimensionOrder;
  const coordsOf = (p: number): { z: number; c: number; t: number } => {
    const out = { z: 0, c: 0, t: 0 };
    for (const ch of order.slice(2)) {
      const k = ch.toLowerCase() as 'z' | 'c' | 't';
      out[k] = p % ifdSizes[k];
      p = Math.floor(p / ifdSizes[k]);
    }
    return out;
  };
  const self = path.basename(reader.path);
  for (const td of ome.tiffData) {
    const start = omeIfdIndex(order, ifdSizes, { z: td.firstZ, c: td.firstC, t: td.firstT });
    const count = td.planeCount ?? (td.ifd === null ? total - start : 1);
    const file =
      td.fileName && td.fileName !== self ? path.join(path.dirname(reader.path), td.fileName) : reader.path;
    for (let k = 0; k < count && start + k < total; k++) where[start + k] = { file, ifd: (td.ifd ?? 0) + k };
  }
  let defaulted = 0;
  for (let p = 0; p < total; p++) {
    if (!where[p]) {
      where[p] = { file: reader.path, ifd: p };
      defaulted++;
    }
    const loc = where[p]!;
    if (loc.file === reader.path && loc.ifd >= reader.pageCount) {
      throw new TiffError('OME-XML describes more planes than the file has pages', {
        code: 'truncated',
        path: reader.path,
        tag: 'ImageDescription',
        expected: `page ${loc.ifd} for plane ${JSON.stringify(coordsOf(p))}`,
        actual: `${reader.pageCount} pages`,
        fix: 'The file may be truncated, or part of a multi-file OME-TIFF whose other files are missing',
      });
    }
    const { z, c, t } = coordsOf(p);
    for (let s = 0; s < spp; s++)
      L.planes[planeIndex(shape, { t, z, c: c * spp + s })] = { file: loc.file, page: loc.ifd, sample: s };
  }
  if (ome.tiffData.length > 0 && defaulted > 0)
    warnings.push(`${defaulted} plane(s) not covered by TiffData were mapped by DimensionOrder`);
  L.channelNames = Array.from({ length: shape.c }, (_, c) => ome.channelNames[c] ?? `C${c}`);
  L.pixelSizeUm = ome.pixelSizeUm;
  if (ome.planes.some((p) => p.deltaTS !== null)) {
    const ts = new Array<number | null>(L.planes.length).fill(null);
    for (const p of ome.planes) {
      if (p.theT < shape.t && p.theC < shape.c && p.theZ < shape.z)
        ts[planeIndex(shape, { t: p.theT, c: p.theC, z: p.theZ })] = p.deltaTS;
    }
    L.planeTimestampsS = ts;
  }
  L.frameIntervalS = ome.timeIncrementS;
  return L;
}

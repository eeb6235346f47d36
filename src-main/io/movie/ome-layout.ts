import fs from 'node:fs';
import path from 'node:path';
import { planeIndex, type MovieShape, type PixelDType } from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import type { TiffPage } from '../tiff/page';
import type { TiffReader } from '../tiff/reader';
import { base, type MovieLayout } from './layout';
import { omeBinaryOnly, omeIfdIndex, parseOmeXml, type OmeMeta } from './ome-xml';

/** Where an OME-XML came from and what is known of the movie's pixels. */
export interface OmeSource {
  /** The file holding the OME-XML (a TIFF, or a companion `.ome`); files it names are in its folder. */
  xmlPath: string;
  /** The TIFF being opened (its planes may be in it), or null for a companion opened on its own. */
  self: TiffReader | null;
  /** A page of the movie and its file: its size and type must be the OME Pixels'. */
  first: TiffPage;
  firstFile: string;
  dtype: PixelDType;
  warnings: string[];
}

/** The most bytes of a companion OME-XML read (a few KB per thousand planes). */
const MAX_OME_XML_BYTES = 64 * 2 ** 20;

/** Companion OME-XML files: `name.companion.ome` (the OME convention), `.ome`, `.ome.xml`. */
export function isOmeCompanion(p: string): boolean {
  return /\.ome(\.xml)?$/i.test(p);
}

/**
 * Throws a clear 'io' TiffError when `file` is missing. `referredBy` (a TIFF whose BinaryOnly
 * OME-XML names it) makes it the error it is: one file of a multi-file set opened without the rest.
 */
function statOrExplain(file: string, referredBy?: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TiffError(
      referredBy
        ? `This OME-TIFF is one file of a multi-file set: its metadata, and where the other planes are, live in ${path.basename(file)}, which is not beside it`
        : 'Cannot read the OME companion file',
      {
        code: 'io',
        path: referredBy ?? file,
        actual: code ?? String(err),
        fix: 'Keep every file of the set (all .ome.tif files and the .companion.ome) together in one folder, and open the .companion.ome',
        cause: err,
      },
    );
  }
}

/** Reads a companion OME-XML file (see statOrExplain for `referredBy`). */
export function readOmeXmlFile(file: string, referredBy?: string): string {
  const size = statOrExplain(file, referredBy).size;
  if (size > MAX_OME_XML_BYTES) {
    throw new TiffError('The OME-XML file is implausibly large', {
      code: 'limit',
      path: file,
      expected: `at most ${MAX_OME_XML_BYTES} bytes`,
      actual: `${size} bytes`,
    });
  }
  return fs.readFileSync(file, 'utf8');
}

/**
 * The OME-XML of a BinaryOnly TIFF's metadata file: a companion `.ome` file, or the master TIFF
 * of the set (whose first ImageDescription holds it). `openTiff` reads that TIFF's description.
 */
export async function binaryOnlyMetadata(
  reader: TiffReader,
  description: string,
  openTiff: (file: string) => Promise<string | null>,
): Promise<{ xml: string; xmlPath: string } | null> {
  const bo = omeBinaryOnly(description);
  if (!bo) return null;
  if (!bo.metadataFile) {
    throw new TiffError('The OME-XML is BinaryOnly but names no metadata file', {
      code: 'corrupt',
      path: reader.path,
      page: 0,
      tag: 'ImageDescription',
      expected: '<BinaryOnly MetadataFile="….companion.ome"/>',
      actual: 'no MetadataFile',
      fix: 'Open the set through its .companion.ome or master .ome.tif',
    });
  }
  const xmlPath = path.resolve(path.dirname(reader.path), bo.metadataFile);
  if (isOmeCompanion(xmlPath)) return { xml: readOmeXmlFile(xmlPath, reader.path), xmlPath };
  statOrExplain(xmlPath, reader.path);
  const xml = await openTiff(xmlPath);
  if (xml === null || omeBinaryOnly(xml)) {
    throw new TiffError('The master file of this multi-file OME-TIFF holds no OME-XML', {
      code: 'corrupt',
      path: xmlPath,
      page: 0,
      tag: 'ImageDescription',
      fix: 'Open the set through its .companion.ome, or re-export it as one OME-TIFF',
    });
  }
  return { xml, xmlPath };
}

/** Parses OME-XML read from `xmlPath` (a companion file, or a TIFF's first description). */
export function parseOme(xml: string, xmlPath: string): OmeMeta {
  return parseOmeXml(xml, xmlPath, !isOmeCompanion(xmlPath));
}

/**
 * OME-TIFF: the first Image's sizes, TiffData IFD mapping (or DimensionOrder), DeltaT in seconds.
 * Planes may live in other files of a multi-file set (TiffData UUID FileName, relative to the
 * OME-XML's folder); every file named must be there.
 */
export function omeLayout(ome: OmeMeta, src: OmeSource): MovieLayout {
  const { first, self, xmlPath } = src;
  if (ome.sizeX !== first.width || ome.sizeY !== first.height) {
    throw new TiffError('OME-XML size disagrees with the planes', {
      code: 'corrupt',
      path: src.firstFile,
      page: first.index,
      tag: 'ImageDescription',
      expected: `SizeX×SizeY = ${first.width}×${first.height} (the page size)`,
      actual: `${ome.sizeX}×${ome.sizeY}`,
    });
  }
  const warnings = src.warnings;
  if (ome.imageCount > 1)
    warnings.push(`OME-XML describes ${ome.imageCount} images (positions/series); only the first is read`);
  const spp =
    first.samplesPerPixel > 1 && ome.sizeC % first.samplesPerPixel === 0 ? first.samplesPerPixel : 1;
  const shape: MovieShape = { t: ome.sizeT, c: ome.sizeC, z: ome.sizeZ, y: ome.sizeY, x: ome.sizeX };
  const L = base(shape, src.dtype, 'ome-tiff', warnings);
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
  const dir = path.dirname(xmlPath);
  const selfPath = self ? path.resolve(self.path) : null;
  const fileOf = (name: string | null): string | null => {
    if (name === null) return self ? self.path : null;
    const abs = path.resolve(dir, name);
    return abs === selfPath && self ? self.path : abs;
  };
  for (const td of ome.tiffData) {
    const start = omeIfdIndex(order, ifdSizes, { z: td.firstZ, c: td.firstC, t: td.firstT });
    const count = td.planeCount ?? (td.ifd === null ? total - start : 1);
    const file = fileOf(td.fileName);
    if (file === null) {
      throw new TiffError('A TiffData of the OME companion names no file', {
        code: 'corrupt',
        path: xmlPath,
        expected: '<TiffData …><UUID FileName="….ome.tif">…</UUID></TiffData>',
        actual: 'a TiffData without UUID FileName',
        fix: 'Re-export the set (bfconvert, or Fiji: File > Save As > OME-TIFF)',
      });
    }
    for (let k = 0; k < count && start + k < total; k++) where[start + k] = { file, ifd: (td.ifd ?? 0) + k };
  }
  let defaulted = 0;
  const files = new Set<string>();
  for (let p = 0; p < total; p++) {
    if (!where[p]) {
      if (!self) {
        throw new TiffError('The OME companion does not say which file holds a plane', {
          code: 'corrupt',
          path: xmlPath,
          expected: `a TiffData for plane ${JSON.stringify(coordsOf(p))}`,
          actual: 'none',
          fix: 'Re-export the set (bfconvert, or Fiji: File > Save As > OME-TIFF)',
        });
      }
      where[p] = { file: self.path, ifd: p };
      defaulted++;
    }
    const loc = where[p]!;
    files.add(loc.file);
    if (self && loc.file === self.path && loc.ifd >= self.pageCount) {
      throw new TiffError('OME-XML describes more planes than the file has pages', {
        code: 'truncated',
        path: self.path,
        tag: 'ImageDescription',
        expected: `page ${loc.ifd} for plane ${JSON.stringify(coordsOf(p))}`,
        actual: `${self.pageCount} pages`,
        fix: 'The file may be truncated, or part of a multi-file OME-TIFF whose other files are missing',
      });
    }
    const { z, c, t } = coordsOf(p);
    for (let s = 0; s < spp; s++)
      L.planes[planeIndex(shape, { t, z, c: c * spp + s })] = { file: loc.file, page: loc.ifd, sample: s };
  }
  for (const f of files) {
    if (f !== self?.path && !fs.existsSync(f)) {
      throw new TiffError('A file of this multi-file OME-TIFF is missing', {
        code: 'io',
        path: xmlPath,
        expected: `${path.basename(f)} beside ${path.basename(xmlPath)}, as its OME-XML says`,
        actual: 'no such file',
        fix: 'Keep every file of the set together in one folder (copy the whole set again)',
      });
    }
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

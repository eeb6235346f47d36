import { planeIndex, type PixelDType } from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import { lengthToMicrons, parseImageJDescription, timeToSeconds, type ImageJMeta } from '../tiff/imagej';
import { chunkLayout, chunkRows, pageDType } from '../tiff/page-check';
import { TiffReader } from '../tiff/reader';
import { base, type MovieLayout } from './layout';
import { binaryOnlyMetadata, omeLayout, parseOme } from './ome-layout';
import { isOmeXml } from './ome-xml';

export type { MovieLayout } from './layout';

/**
 * Works out T, C, Z and the plane → page mapping of one TIFF: OME-XML (its own, or for one file of
 * a multi-file set, the companion's or master's it names), then ImageJ, then plain pages-as-T.
 */
export async function layoutFromTiff(reader: TiffReader): Promise<MovieLayout> {
  const first = reader.page(0);
  const dtype = pageDType(first, reader.path);
  const warnings = [...reader.index.warnings];
  if (isOmeXml(first.description)) {
    const meta = (await binaryOnlyMetadata(reader, first.description, (f) =>
      firstDescription(f, reader),
    )) ?? {
      xml: first.description,
      xmlPath: reader.path,
    };
    const ome = parseOme(meta.xml, meta.xmlPath);
    return omeLayout(ome, {
      xmlPath: meta.xmlPath,
      self: reader,
      first,
      firstFile: reader.path,
      dtype,
      warnings,
    });
  }
  const ij = parseImageJDescription(first.description);
  if (ij) return imagejLayout(reader, ij, dtype, warnings);
  return plainLayout(reader, dtype, warnings);
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

/** The first ImageDescription of another TIFF (the master file of a multi-file OME-TIFF). */
async function firstDescription(file: string, like: TiffReader): Promise<string | null> {
  const r = await TiffReader.open(file, { limits: like.limits });
  try {
    return r.page(0).description;
  } finally {
    await r.close();
  }
}

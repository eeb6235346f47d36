import fs from 'node:fs';
import path from 'node:path';
import { notAMovie, planeIndex, type MovieInfo, type PlaneLocation } from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import { pageDType } from '../tiff/page-check';
import type { TiffPage } from '../tiff/page';
import { TiffReader } from '../tiff/reader';
import { Movie, ReaderPool, type MovieOptions } from './movie';
import { isOmeCompanion, omeLayout, parseOme, readOmeXmlFile } from './ome-layout';
import { detectSequence, isSequencePattern, resolvePattern, type FileSequence } from './sequence';
import { layoutFromTiff, type MovieLayout } from './tiff-layout';

export type OpenMovieOptions = MovieOptions;

/**
 * Opens a movie for streaming reads from:
 * - a TIFF / BigTIFF file: OME-TIFF (OME-XML in the first ImageDescription), ImageJ hyperstack
 *   (ImageDescription "ImageJ=…"), or plain pages (each page one frame, samples are channels);
 * - a pattern with placeholders, e.g. "dir/Position01Channel0{C}Frames{T}.tif" ({T}, {C}, {Z}
 *   each match a run of digits, sorted numerically), one plane per file;
 * - a folder of per-plane TIFFs whose names carry Channel…/Frame(s)…/_t…/_c…/_z… numbers
 *   (viv's `…Channel_0.tif`, SuperSegger's `…t01xy1c1.tif` included);
 * - a multi-file OME-TIFF: its `.companion.ome`, its master `.ome.tif`, or any of its files
 *   whose BinaryOnly OME-XML names the companion or master.
 * `.nd2`, `.czi` and `.lif` are rejected with an 'unsupported' TiffError that says how to export;
 * other files that are no movie (`.txt`, `.png`, `.zip`, …) with one that says what they are.
 * Only the IFD index and metadata are read here; pixels are read by `readPlane`.
 */
export async function openMovie(p: string, opts: OpenMovieOptions = {}): Promise<Movie> {
  const why = notAMovie(p);
  if (why) throw new TiffError(why, { code: 'unsupported', path: p });
  if (isSequencePattern(p)) return openSequence(p, resolvePattern(p), opts);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (err) {
    throw new TiffError('Movie not found', {
      code: 'io',
      path: p,
      actual: (err as NodeJS.ErrnoException).code,
      fix: 'Check the path',
      cause: err,
    });
  }
  if (stat.isDirectory()) return openSequence(p, detectSequence(p), opts);
  if (isOmeCompanion(p)) return openCompanion(p, opts);

  const reader = await TiffReader.open(p, { limits: opts.limits });
  try {
    const layout = await layoutFromTiff(reader);
    const pool = new ReaderPool(opts.maxOpenFiles ?? 8, opts.limits);
    pool.adopt(reader);
    const synthetic = new Map<string, Map<number, TiffPage>>();
    if (layout.syntheticPages.size > 0) synthetic.set(reader.path, layout.syntheticPages);
    return new Movie(toInfo(p, layout), pool, synthetic, opts);
  } catch (err) {
    await reader.close();
    throw err;
  }
}

async function openSequence(p: string, seq: FileSequence, opts: OpenMovieOptions): Promise<Movie> {
  const reader = await TiffReader.open(seq.files[0], { limits: opts.limits });
  let firstLayout: MovieLayout;
  try {
    firstLayout = await layoutFromTiff(reader);
  } finally {
    await reader.close();
  }
  const s = firstLayout.shape;
  if (s.t * s.c * s.z !== 1) {
    throw new TiffError('Each file of a sequence must hold one plane', {
      code: 'unsupported',
      path: seq.files[0],
      expected: '1 frame, 1 channel, 1 slice',
      actual: `${s.t} frames, ${s.c} channels, ${s.z} slices`,
      fix: 'Open that file on its own, or give a pattern/folder whose files each hold a single plane',
    });
  }
  const shape = { t: seq.sizeT, c: seq.sizeC, z: seq.sizeZ, y: s.y, x: s.x };
  const planes: PlaneLocation[] = new Array(seq.files.length);
  for (let t = 0; t < shape.t; t++) {
    for (let z = 0; z < shape.z; z++) {
      for (let c = 0; c < shape.c; c++)
        planes[planeIndex(shape, { t, c, z })] = {
          file: seq.files[(t * shape.z + z) * shape.c + c],
          page: 0,
          sample: 0,
        };
    }
  }
  const layout: MovieLayout = {
    ...firstLayout,
    kind: 'file-sequence',
    shape,
    channelNames: seq.cValues.map((v) => (seq.sizeC > 1 || /\{C\}/.test(seq.pattern) ? `C${v}` : 'C0')),
    planeTimestampsS: null,
    planes,
    syntheticPages: new Map(),
  };
  return new Movie(toInfo(p, layout), new ReaderPool(opts.maxOpenFiles ?? 8, opts.limits), new Map(), opts);
}

/** A multi-file OME-TIFF opened through its companion OME-XML file: every plane is in a TIFF it names. */
async function openCompanion(p: string, opts: OpenMovieOptions): Promise<Movie> {
  const ome = parseOme(readOmeXmlFile(p), p);
  const td = ome.tiffData.find((d) => d.fileName !== null);
  if (!td?.fileName) {
    throw new TiffError('The OME companion names no TIFF file', {
      code: 'corrupt',
      path: p,
      expected: '<TiffData …><UUID FileName="….ome.tif">…</UUID></TiffData> in its Pixels',
      actual: 'no TiffData with a FileName',
      fix: 'Open the .ome.tif files of the set instead, or re-export it (bfconvert)',
    });
  }
  // Size and type come from a page of the set; the other files are checked to exist.
  const probe = await TiffReader.open(path.resolve(path.dirname(p), td.fileName), { limits: opts.limits });
  try {
    const first = probe.page(Math.min(td.ifd ?? 0, probe.pageCount - 1));
    const layout = omeLayout(ome, {
      xmlPath: p,
      self: null,
      first,
      firstFile: probe.path,
      dtype: pageDType(first, probe.path),
      warnings: [...probe.index.warnings],
    });
    const pool = new ReaderPool(opts.maxOpenFiles ?? 8, opts.limits);
    pool.adopt(probe);
    return new Movie(toInfo(p, layout), pool, new Map(), opts);
  } catch (err) {
    await probe.close();
    throw err;
  }
}

/**
 * True when `file` is a TIFF that holds exactly one plane (one page of one sample, and no ImageJ
 * or OME stack behind it): a frame of a per-plane file set. Reads only the first IFD.
 */
export async function holdsOnePlane(file: string): Promise<boolean> {
  let reader: TiffReader;
  try {
    // A second page is a 'limit' error here, which is the answer.
    reader = await TiffReader.open(file, { limits: { maxPages: 1 } });
  } catch {
    return false;
  }
  try {
    const s = (await layoutFromTiff(reader)).shape;
    return s.t * s.c * s.z === 1;
  } catch {
    return false;
  } finally {
    await reader.close();
  }
}

function toInfo(p: string, L: MovieLayout): MovieInfo {
  let frameTimestampsS: number[] | null = null;
  const ts = L.planeTimestampsS;
  if (ts) {
    const perT: (number | null)[] = [];
    for (let t = 0; t < L.shape.t; t++) {
      let v: number | null = null;
      for (let z = 0; z < L.shape.z && v === null; z++) {
        for (let c = 0; c < L.shape.c && v === null; c++) v = ts[planeIndex(L.shape, { t, c, z })];
      }
      perT.push(v);
    }
    if (perT.every((v) => v !== null)) frameTimestampsS = (perT as number[]).map((v, _, a) => v - a[0]);
  }
  if (!frameTimestampsS && L.frameIntervalS !== null)
    frameTimestampsS = Array.from({ length: L.shape.t }, (_, t) => t * L.frameIntervalS!);
  let frameIntervalS = L.frameIntervalS;
  if (frameIntervalS === null && frameTimestampsS && ts && L.shape.t > 1) {
    frameIntervalS = (frameTimestampsS[L.shape.t - 1] - frameTimestampsS[0]) / (L.shape.t - 1);
  }
  return {
    path: p,
    sourceKind: L.kind,
    shape: L.shape,
    dtype: L.dtype,
    channelNames: L.channelNames,
    pixelSizeUm: L.pixelSizeUm,
    frameIntervalS,
    frameTimestampsS,
    planeTimestampsS: L.planeTimestampsS,
    planes: L.planes,
    warnings: L.warnings,
  };
}

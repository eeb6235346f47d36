import fs from 'node:fs';
import path from 'node:path';
import { planeIndex, type MovieInfo, type PlaneLocation } from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import type { TiffPage } from '../tiff/page';
import { TiffReader } from '../tiff/reader';
import { Movie, ReaderPool, type MovieOptions } from './movie';
import { detectSequence, isSequencePattern, resolvePattern, type FileSequence } from './sequence';
import { layoutFromTiff, type MovieLayout } from './tiff-layout';

export type OpenMovieOptions = MovieOptions;

const NOT_TIFF: Record<string, string> = {
  '.nd2': 'ND2 is not supported yet; export to OME-TIFF (Fiji: File > Save As > OME-TIFF) or TIFF',
  '.czi': 'CZI is not supported; export to OME-TIFF (Fiji with Bio-Formats: File > Save As > OME-TIFF)',
  '.lif': 'LIF is not supported; export to OME-TIFF (Fiji with Bio-Formats: File > Save As > OME-TIFF)',
};

/**
 * Opens a movie for streaming reads from:
 * - a TIFF / BigTIFF file: OME-TIFF (OME-XML in the first ImageDescription), ImageJ hyperstack
 *   (ImageDescription "ImageJ=…"), or plain pages (each page one frame, samples are channels);
 * - a pattern with placeholders, e.g. "dir/Position01Channel0{C}Frames{T}.tif" ({T}, {C}, {Z}
 *   each match a run of digits, sorted numerically), one plane per file;
 * - a folder of per-plane TIFFs whose names carry Channel…/Frame(s)…/_t…/_c…/_z… numbers.
 * `.nd2`, `.czi` and `.lif` are rejected with an 'unsupported' TiffError that says how to export.
 * Only the IFD index and metadata are read here; pixels are read by `readPlane`.
 */
export async function openMovie(p: string, opts: OpenMovieOptions = {}): Promise<Movie> {
  const ext = path.extname(p).toLowerCase();
  if (NOT_TIFF[ext]) {
    throw new TiffError(NOT_TIFF[ext], { code: 'unsupported', path: p });
  }
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

  const reader = await TiffReader.open(p, { limits: opts.limits });
  try {
    const layout = layoutFromTiff(reader);
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
    firstLayout = layoutFromTiff(reader);
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

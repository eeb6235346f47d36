import fs from 'node:fs';
import path from 'node:path';
import {
  CROP_CONTEXT_MIN,
  type QcCrop,
  type QcCropFilter,
  type QcCropSet,
  type ResultTable,
} from '../../src-shared/api';
import {
  classesOf,
  DEFAULT_CROP_LIMIT,
  selectCandidates,
  type CropCandidate,
} from '../../src-shared/results';
import { analysisOrigin, frameExtent } from '../../src-shared/results';
import { sampleFrames } from '../../src-shared/viewer';
import { openMovie, sampleStats, type Movie } from '../io';
import { readCorrections } from './corrections';
import { ResultsError } from './errors';
import { readRunFacts } from './run-facts';
import type { MovieResults } from './run-folder';
import { movieTable } from './tables';

interface PixelPlan {
  source: QcCropSet['source'];
  note: string;
  labels?: Movie;
  image?: Movie;
  channel: number;
  /** Plane index of a movie frame in the labels stack and in the image. */
  labelsIndex(frame: number): number;
  imageIndex(frame: number): number;
  /**
   * Where the labels' pixel (0, 0) of a frame lies in the movie, at the nearest whole pixel
   * (halves up): the run's crop offset minus the frame's alignment shift.
   */
  movieOffset(frame: number): { x: number; y: number };
  /** The image is the raw movie (cut at the movie offset), not a stack in the labels' grid. */
  imageIsMovie: boolean;
  /** Planes of the image whose values set the run's one tile contrast, and what they are. */
  contrastPlanes: number[];
  contrastNote: string;
}

function noPixels(
  note: string,
  labelsIndex: (f: number) => number = () => -1,
  movieOffset: PixelPlan['movieOffset'] = () => ({ x: 0, y: 0 }),
): PixelPlan {
  return {
    source: 'none',
    note,
    channel: 0,
    labelsIndex,
    imageIndex: () => -1,
    movieOffset,
    imageIsMovie: false,
    contrastPlanes: [],
    contrastNote: '',
  };
}

/** Frames whose pixels set a run's tile contrast: a few, spread over the movie. */
const CONTRAST_SAMPLES = 5;

/**
 * Pixels come from `{movie}_restored.tif` channel 0 (the restored bright field, in the labels'
 * grid and frame indexing). Without it, from the raw movie that run.json names, in the run's
 * reference channel, at the movie frame, where the object lies in the movie: an aligned run's
 * labels are moved by the run's registration (crop offset minus the frame's shift, rounded to the
 * nearest pixel: the raw pixels are not resampled, so with a fractional shift the mask may sit up
 * to half a pixel off them). Without either (or without the labels stack, which gives each
 * object's box and mask) there are no pixels and the crops come back empty.
 */
async function pixelPlan(results: MovieResults, table: ResultTable): Promise<PixelPlan> {
  const facts = readRunFacts(results);
  const frames =
    facts.frames ??
    [...new Set(table.rows.map((r) => r[table.columns.indexOf('frame')]))]
      .filter((f): f is number => typeof f === 'number')
      .sort((a, b) => a - b);
  const slot = new Map(frames.map((f, i) => [f, i]));
  const labelsIndex = (f: number) => slot.get(f) ?? -1;
  const reg = facts.registration;
  const movieOffset = (f: number) => {
    const o = analysisOrigin(reg, f);
    return { x: Math.round(o.x), y: Math.round(o.y) };
  };
  const none = (note: string) => noPixels(note, labelsIndex, movieOffset);
  const labelsFile = results.file('labels');
  if (!fs.existsSync(labelsFile))
    return none(`No ${path.basename(labelsFile)}: rerun with export_labelled_masks: true to see crops`);
  const labels = await openMovie(labelsFile);
  const restored = results.file('restored');
  if (fs.existsSync(restored)) {
    const image = await openMovie(restored);
    const planes = sampleFrames(image.info.shape.t, CONTRAST_SAMPLES);
    return {
      source: 'restored',
      note: `Restored bright field from ${path.basename(restored)}`,
      labels,
      image,
      channel: 0,
      labelsIndex,
      imageIndex: labelsIndex,
      movieOffset,
      imageIsMovie: false,
      contrastPlanes: planes,
      contrastNote: `1–99.8 % of ${planes.length} frame${planes.length === 1 ? '' : 's'} of the restored stack`,
    };
  }
  if (facts.movie && fs.existsSync(facts.movie)) {
    const placed =
      reg.kind === 'aligned'
        ? ", placed by the run's alignment (nearest pixel)"
        : reg.warning
          ? `. ${reg.warning}`
          : '';
    return {
      source: 'raw',
      note: `No restored stack; raw channel ${facts.referenceChannel} of ${facts.movie}${placed}`,
      labels,
      image: await openMovie(facts.movie),
      channel: facts.referenceChannel,
      labelsIndex,
      imageIndex: (f) => f,
      movieOffset,
      imageIsMovie: true,
      contrastPlanes: frames.length
        ? sampleFrames(frames.length, CONTRAST_SAMPLES).map((i) => frames[i])
        : [],
      contrastNote: `1–99.8 % of ${Math.min(frames.length, CONTRAST_SAMPLES)} analysed frames of the raw movie`,
    };
  }
  await labels.close();
  return none(
    `No ${path.basename(restored)} and the raw movie named in run.json is not found: no pixels to show`,
  );
}

/**
 * A tile around an object's box: a square about twice the box's longer side (at least
 * CROP_CONTEXT_MIN), centred on the box, so the cell is seen with its neighbours.
 */
export function contextBox(
  x0: number,
  y0: number,
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } {
  const side = Math.max(CROP_CONTEXT_MIN, 2 * Math.max(width, height));
  return {
    x: x0 - Math.floor((side - width) / 2),
    y: y0 - Math.floor((side - height) / 2),
    width: side,
    height: side,
  };
}

/** Boxes, context tiles and masks of the wanted labels in one frame, cut from the image plane. */
async function cropFrame(
  plan: PixelPlan,
  frame: number,
  wanted: CropCandidate[],
): Promise<Map<number, QcCrop>> {
  const out = new Map<number, QcCrop>();
  const li = plan.labelsIndex(frame);
  if (!plan.labels || li < 0 || li >= plan.labels.info.shape.t) return out;
  const lp = await plan.labels.readPlane({ t: li, c: 0 });
  const want = new Set(wanted.map((w) => w.label));
  const box = new Map<number, [number, number, number, number]>(); // y0, x0, y1, x1
  const W = lp.width;
  for (let i = 0; i < lp.data.length; i++) {
    const id = Number(lp.data[i]);
    if (id === 0 || !want.has(id)) continue;
    const y = Math.floor(i / W);
    const x = i - y * W;
    const b = box.get(id);
    if (!b) box.set(id, [y, x, y, x]);
    else {
      if (y < b[0]) b[0] = y;
      if (x < b[1]) b[1] = x;
      if (y > b[2]) b[2] = y;
      if (x > b[3]) b[3] = x;
    }
  }
  const ii = plan.imageIndex(frame);
  const ip =
    plan.image && ii >= 0 && ii < plan.image.info.shape.t
      ? await plan.image.readPlane({ t: ii, c: plan.channel })
      : null;
  const at = plan.movieOffset(frame);
  // The image's pixel under labels pixel (0, 0): the movie offset for the raw movie, else the same grid.
  const ox = plan.imageIsMovie ? at.x : 0;
  const oy = plan.imageIsMovie ? at.y : 0;
  for (const w of wanted) {
    const b = box.get(w.label);
    if (!b) continue;
    const [y0, x0, y1, x1] = b;
    const width = x1 - x0 + 1;
    const height = y1 - y0 + 1;
    const context = contextBox(x0, y0, width, height);
    const n = context.width * context.height;
    const data = new Float32Array(ip ? n : 0);
    const mask = new Uint8Array(n);
    for (let y = 0; y < context.height; y++) {
      const ly = context.y + y;
      for (let x = 0; x < context.width; x++) {
        const lx = context.x + x;
        const k = y * context.width + x;
        if (ly >= 0 && lx >= 0 && ly < lp.height && lx < W && Number(lp.data[ly * W + lx]) === w.label)
          mask[k] = 1;
        if (!ip) continue;
        const iy = ly + oy;
        const ix = lx + ox;
        data[k] =
          iy >= 0 && ix >= 0 && iy < ip.height && ix < ip.width ? Number(ip.data[iy * ip.width + ix]) : NaN;
      }
    }
    out.set(w.label, {
      ...w,
      y: y0,
      x: x0,
      width,
      height,
      movieY: y0 + at.y,
      movieX: x0 + at.x,
      context,
      data,
      mask,
    });
  }
  return out;
}

/** A filter that came from a caller, checked field by field. */
export function checkCropFilter(filter: unknown): QcCropFilter {
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object')
    throw new ResultsError('bad-input', 'filter must be an object', { field: 'filter' });
  const f = filter as Record<string, unknown>;
  for (const k of ['frameMin', 'frameMax', 'minConfidence', 'maxConfidence', 'limit']) {
    if (f[k] !== undefined && (typeof f[k] !== 'number' || !Number.isFinite(f[k]))) {
      throw new ResultsError('bad-input', `filter.${k} must be a number`, {
        field: `filter.${k}`,
        actual: f[k],
      });
    }
  }
  if (f.pi !== undefined && !['any', 'positive', 'negative'].includes(f.pi as string)) {
    throw new ResultsError('bad-input', 'filter.pi must be any, positive or negative', {
      field: 'filter.pi',
      actual: f.pi,
    });
  }
  return f as QcCropFilter;
}

/**
 * Tiles of the movie's classified objects that pass `filter`, least confident first, at most
 * `filter.limit` (default DEFAULT_CROP_LIMIT): each object with about twice its size of context
 * and its mask, one contrast for the whole run, and the counts, classes and corrections the QC
 * view shows beside them.
 */
export async function cutCrops(results: MovieResults, rawFilter: unknown): Promise<QcCropSet> {
  const filter = checkCropFilter(rawFilter);
  const table = movieTable(results, 'cells');
  const candidates = selectCandidates(table, filter);
  const chosen = candidates.slice(0, Math.max(0, Math.floor(filter.limit ?? DEFAULT_CROP_LIMIT)));
  // Nothing to cut (limit 0: a caller that only wants the counts and corrections): no stacks opened.
  const plan = chosen.length > 0 ? await pixelPlan(results, table) : noPixels('no crops asked for');
  // Labels are unique per frame, not always across the movie: crops are kept by frame and label.
  const cut = new Map<string, QcCrop>();
  let contrast: QcCropSet['contrast'];
  try {
    const byFrame = new Map<number, CropCandidate[]>();
    for (const c of chosen) byFrame.set(c.frame, [...(byFrame.get(c.frame) ?? []), c]);
    for (const [frame, wanted] of byFrame)
      for (const [label, crop] of await cropFrame(plan, frame, wanted)) cut.set(`${frame}:${label}`, crop);
    if (plan.image && plan.contrastPlanes.length > 0) {
      const s = await sampleStats(plan.image, plan.channel, plan.contrastPlanes);
      contrast = { ...s.auto, note: plan.contrastNote };
    }
  } finally {
    await plan.labels?.close();
    await plan.image?.close();
  }
  // Objects missing from the labels stack keep their place with an empty crop.
  const crops = chosen.map(
    (c) =>
      cut.get(`${c.frame}:${c.label}`) ?? {
        ...c,
        y: 0,
        x: 0,
        width: 0,
        height: 0,
        movieY: 0,
        movieX: 0,
        context: { x: 0, y: 0, width: 0, height: 0 },
        data: new Float32Array(0),
        mask: new Uint8Array(0),
      },
  );
  const moviePath = chosen.length > 0 ? readRunFacts(results).movie : undefined;
  return {
    crops,
    matched: candidates.length,
    total: table.rows.length,
    source: plan.source,
    sourceNote: plan.note,
    classes: classesOf(table),
    frameRange: frameExtent(table),
    corrections: readCorrections(results),
    ...(contrast ? { contrast } : {}),
    ...(moviePath ? { moviePath } : {}),
  };
}

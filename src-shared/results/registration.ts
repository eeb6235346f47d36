/**
 * One coordinate system for a movie and its analysis: the movie's own pixel grid. An aligned run
 * analyses each frame moved by its drift shift (dx, dy) and cropped to the region common to all
 * frames, so its labels, restored stack and centroid columns are in another grid, different for
 * every frame. This module turns the record a run keeps in `{movie}_run.json` (`registration`)
 * into a per-frame translation, analysis → movie, as napari places a layer with `translate`.
 *
 * Convention (pixel (x, y) covers [x, x+1) × [y, y+1), as the Viewer draws it): alignment writes
 * aligned(x, y) = movie(x − dx, y − dy) (OpenCV's warpAffine, HiTMicTools' `align_image`), the
 * crop keeps aligned columns [x0, x0 + width), so analysis pixel (x, y) of frame t came from movie
 * pixel (x + x0 − dx_t, y + y0 − dy_t). Shifts are multiples of 1/32 px and may be fractional.
 */
import type { FrameShift, PixelBox, RunRegistration } from '../api';

/** A point or translation in pixels, x = column, y = row. */
export interface Point {
  x: number;
  y: number;
}

/** What run.json says, in words, next to the numbers. */
export const FRAME_OF_REFERENCE =
  "movie_x = x + crop.x0 - dx, movie_y = y + crop.y0 - dy (dx, dy: the frame's shift); x, y are pixels of the labels and restored stacks, centroid_1 and centroid_0 of _fl.csv";

/** Facts the pipeline knows when it writes a movie's outputs. */
export interface RegistrationFacts {
  movieSize: { width: number; height: number };
  analysisSize: { width: number; height: number };
  /** The movie frames analysed, in order. */
  frames: readonly number[];
  /** Alignment of each analysed frame (same order as `frames`) and the common crop; null when not aligned. */
  alignment: { shifts: readonly { dx: number; dy: number }[]; crop: PixelBox } | null;
}

/** The registration of a run the pipeline has just analysed (exact by construction). */
export function describeRegistration(f: RegistrationFacts): RunRegistration {
  if (f.alignment && f.alignment.shifts.length !== f.frames.length)
    throw new RangeError(
      `${f.alignment.shifts.length} alignment shifts for ${f.frames.length} analysed frames: one shift per frame expected`,
    );
  return {
    kind: f.alignment ? 'aligned' : 'unaligned',
    exact: true,
    movieSize: { ...f.movieSize },
    analysisSize: { ...f.analysisSize },
    crop: f.alignment ? { ...f.alignment.crop } : null,
    shifts: f.alignment
      ? f.frames.map((frame, i) => ({ frame, dx: f.alignment!.shifts[i].dx, dy: f.alignment!.shifts[i].dy }))
      : [],
    frames: [...f.frames],
  };
}

/**
 * The `registration` object written into run.json (snake_case, as the rest of run.json). The
 * analysed frames are run.json's own `frames`, not repeated here.
 */
export function registrationRecord(r: RunRegistration): Record<string, unknown> {
  return {
    frame_of_reference: FRAME_OF_REFERENCE,
    aligned: r.kind === 'aligned',
    movie_size: r.movieSize,
    analysis_size: r.analysisSize,
    crop: r.crop,
    shifts: r.shifts,
  };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function sizeOf(v: unknown): { width: number; height: number } | null {
  return isObj(v) && isNum(v.width) && isNum(v.height) ? { width: v.width, height: v.height } : null;
}

function boxOf(v: unknown): PixelBox | null {
  return isObj(v) && isNum(v.x0) && isNum(v.y0) && isNum(v.width) && isNum(v.height)
    ? { x0: v.x0, y0: v.y0, width: v.width, height: v.height }
    : null;
}

const RERUN = "Run the movie again (with --force) to record every frame's shift.";

/**
 * The registration of a run from its parsed run.json (`undefined` when there is none). Reads the
 * `registration` record; for runs written before it existed, falls back to `aligned` and `crop`:
 * an unaligned run is exact, an aligned one is placed by its crop offset alone (each frame may
 * then be off by its drift) and says so, and anything else is `unknown`.
 */
export function readRegistration(runJson: unknown): RunRegistration {
  const frames =
    isObj(runJson) && Array.isArray(runJson.frames) && runJson.frames.every(isNum)
      ? (runJson.frames as number[])
      : null;
  const unknown = (warning: string): RunRegistration => ({
    kind: 'unknown',
    exact: false,
    movieSize: null,
    analysisSize: null,
    crop: null,
    shifts: [],
    frames,
    warning,
  });
  if (!isObj(runJson))
    return unknown(
      "No readable run.json beside the results: nothing says whether this run aligned its frames, so its objects are drawn at the movie's own pixels and may be out of register. " +
        RERUN,
    );
  const rec = runJson.registration;
  if (isObj(rec)) {
    const shifts = Array.isArray(rec.shifts) ? rec.shifts : null;
    const parsed = shifts?.every((s) => isObj(s) && isNum(s.frame) && isNum(s.dx) && isNum(s.dy))
      ? (shifts as FrameShift[]).map((s) => ({ frame: s.frame, dx: s.dx, dy: s.dy }))
      : null;
    const crop = boxOf(rec.crop);
    const aligned = rec.aligned === true;
    if (parsed && (!aligned || crop))
      return {
        kind: aligned ? 'aligned' : 'unaligned',
        exact: true,
        movieSize: sizeOf(rec.movie_size),
        analysisSize: sizeOf(rec.analysis_size),
        crop: aligned ? crop : null,
        shifts: aligned ? parsed : [],
        frames,
      };
    return unknown(
      `run.json's registration record is incomplete (expected aligned, crop {x0, y0, width, height} and shifts [{frame, dx, dy}]): objects are drawn at the movie's own pixels and may be out of register. ${RERUN}`,
    );
  }
  if (runJson.aligned === false)
    return {
      kind: 'unaligned',
      exact: true,
      movieSize: null,
      analysisSize: null,
      crop: null,
      shifts: [],
      frames,
    };
  const crop = boxOf(runJson.crop);
  if (runJson.aligned === true && crop)
    return {
      kind: 'crop-only',
      exact: false,
      movieSize: null,
      analysisSize: { width: crop.width, height: crop.height },
      crop,
      shifts: [],
      frames,
      warning: `This run aligned its frames but recorded only its crop (x0 ${crop.x0}, y0 ${crop.y0}), not each frame's shift: objects are placed by the crop offset alone and may sit off the cells by that frame's drift. ${RERUN}`,
    };
  return unknown(
    `run.json does not say whether this run aligned its frames: objects are drawn at the movie's own pixels and may be out of register. ${RERUN}`,
  );
}

/** The labels stack's plane of a movie frame, or −1 when the run did not analyse that frame. */
export function labelsPlaneOf(r: RunRegistration, frame: number): number {
  return r.frames ? r.frames.indexOf(frame) : frame;
}

/** The shift of a movie frame ({0, 0} when the run did not align or did not analyse that frame). */
export function shiftOf(r: RunRegistration, frame: number): { dx: number; dy: number } {
  const s = r.shifts.find((f) => f.frame === frame);
  return s ? { dx: s.dx, dy: s.dy } : { dx: 0, dy: 0 };
}

/**
 * Where analysis pixel (0, 0) of `frame` lies in the movie: the translation analysis → movie
 * (x0 − dx, y0 − dy), fractional when the shift is. (0, 0) for an unaligned or unknown run.
 */
export function analysisOrigin(r: RunRegistration, frame: number): Point {
  if (!r.crop) return { x: 0, y: 0 };
  const s = shiftOf(r, frame);
  return { x: r.crop.x0 - s.dx, y: r.crop.y0 - s.dy };
}

/** A point of the analysis frame of `frame` in movie pixels (centroids: column x, row y). */
export function analysisToMovie(r: RunRegistration, frame: number, p: Point): Point {
  const o = analysisOrigin(r, frame);
  return { x: p.x + o.x, y: p.y + o.y };
}

/**
 * What may put a run's overlay out of register with the movie shown: the registration's own
 * warning, a movie of another size than the run read, labels of another size than recorded (or,
 * with no record, than the movie). Empty when the overlay is exact.
 */
export function placementWarnings(
  r: RunRegistration,
  movie: { width: number; height: number },
  labels: { width: number; height: number },
): string[] {
  const out: string[] = [];
  if (r.warning) out.push(r.warning);
  const same = (a: { width: number; height: number }, b: { width: number; height: number }) =>
    a.width === b.width && a.height === b.height;
  const fmt = (s: { width: number; height: number }) => `${s.width}×${s.height}`;
  if (r.movieSize && !same(r.movieSize, movie))
    out.push(
      `The run analysed a ${fmt(r.movieSize)} movie but the movie shown is ${fmt(movie)}: open the movie the run read (its path is in run.json).`,
    );
  const expected = r.analysisSize ?? (r.kind === 'aligned' || r.kind === 'crop-only' ? null : movie);
  if (expected && !same(expected, labels))
    out.push(
      `The run's labels are ${fmt(labels)} but ${r.analysisSize ? 'run.json records' : 'the movie is'} ${fmt(expected)}: the labels stack does not belong to this run or movie, so the overlay cannot be placed.`,
    );
  return out;
}

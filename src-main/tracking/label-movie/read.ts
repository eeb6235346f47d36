/**
 * Label movies from any segmentation (Omnipose, DeLTA, cellpose, Fiji/napari corrections, our own
 * `_labels.tif`): a T×Y×X stack of integer labels in any layout the movie reader opens (TIFF,
 * OME-TIFF, ImageJ hyperstack, a folder or pattern of per-frame TIFFs), read one frame at a time
 * into the detection table the trackers take. Labels are per frame: the same number in two frames
 * says nothing (every tracker links by position and shape only).
 *
 * Per object: centroid (row, column), area in pixels and the axis lengths of the ellipse with the
 * same second moments (scikit-image regionprops, as the pipeline measures them).
 */
import { ellipseShape, gatherRegionStats, type LabelImage } from '../../analysis';
import { openMovie, type Movie, type PixelArray } from '../../io';
import { TrackingError } from '../errors';
import type { DetectionTable } from '../types';

const LABEL_DTYPES = new Set(['uint8', 'uint16', 'uint32', 'int32', 'int16', 'int8']);

/** A label movie that cannot be tracked (float pixels, several channels, one frame). */
export class LabelMovieError extends TrackingError {
  constructor(
    readonly file: string,
    expected: string,
    actual: string,
    hint: string,
  ) {
    super('not a label movie', { where: file, expected, actual, hint });
  }
}

/** The detections of a label movie, and where each came from. */
export interface LabelDetections {
  /** frame = frame index 0…T−1. Columns area, major/minor axis lengths always present. */
  table: Required<DetectionTable>;
  /** The object's label in its frame, per row. */
  label: Uint32Array;
  width: number;
  height: number;
  frames: number;
  /** Which movie axis holds time ('z' for a stack whose planes are slices, e.g. from Fiji). */
  timeAxis: 't' | 'z';
}

/** Opens a label movie and checks it is one. The caller closes it. */
export async function openLabelMovie(file: string): Promise<{ movie: Movie; timeAxis: 't' | 'z' }> {
  const movie = await openMovie(file);
  const { shape, dtype } = movie.info;
  try {
    if (!LABEL_DTYPES.has(dtype))
      throw new LabelMovieError(
        file,
        'integer labels (uint8, uint16 or uint32; 0 = background)',
        `${dtype} pixels`,
        'Export the segmentation as a label image, not a probability or intensity image.',
      );
    if (shape.c !== 1)
      throw new LabelMovieError(
        file,
        'one channel of labels',
        `${shape.c} channels`,
        'Save the label channel on its own (Fiji: Image › Color › Split Channels).',
      );
    const timeAxis = shape.t === 1 && shape.z > 1 ? 'z' : 't';
    if (timeAxis === 't' && shape.z !== 1)
      throw new LabelMovieError(
        file,
        'one plane per frame (T×Y×X)',
        `${shape.t} frames × ${shape.z} slices`,
        'Track a 2-D label movie: project or pick one slice per frame.',
      );
    return { movie, timeAxis };
  } catch (err) {
    await movie.close();
    throw err;
  }
}

/** Frame `t` of an open label movie as a label image (widened to Uint32Array where signed). */
export async function readLabelFrame(
  movie: Movie,
  timeAxis: 't' | 'z',
  t: number,
  signal?: AbortSignal,
): Promise<LabelImage> {
  const plane = await movie.readPlane(timeAxis === 't' ? { t, c: 0 } : { t: 0, c: 0, z: t }, signal);
  const d: PixelArray = plane.data;
  if (
    d instanceof Uint8Array ||
    d instanceof Uint16Array ||
    d instanceof Uint32Array ||
    d instanceof Int32Array
  )
    return d;
  // int8 / int16: negative values are background, as in region-stats.
  return Uint32Array.from(d as ArrayLike<number>, (v) => (v > 0 ? v : 0));
}

export interface ReadLabelsOptions {
  signal?: AbortSignal;
  /** Called after each frame (frames done, total). */
  onFrame?: (done: number, total: number) => void;
}

/** Reads every frame of a label movie into a detection table (one frame in memory at a time). */
export async function readLabelDetections(
  file: string,
  opts: ReadLabelsOptions = {},
): Promise<LabelDetections> {
  const { movie, timeAxis } = await openLabelMovie(file);
  try {
    const { shape } = movie.info;
    const frames = timeAxis === 't' ? shape.t : shape.z;
    const width = shape.x;
    const height = shape.y;
    const zeros = new Float32Array(width * height);
    const cols = { frame: [] as number[], y: [] as number[], x: [] as number[], a: [] as number[] };
    const axes = {
      major: [] as number[],
      minor: [] as number[],
      angle: [] as number[],
      label: [] as number[],
    };
    for (let t = 0; t < frames; t++) {
      const labels = await readLabelFrame(movie, timeAxis, t, opts.signal);
      const s = gatherRegionStats(labels, zeros, width, height);
      for (let k = 0; k < s.count; k++) {
        const e = ellipseShape({ rowVar: s.rowVar[k], colVar: s.colVar[k], rowColCov: s.rowColCov[k] });
        cols.frame.push(t);
        cols.y.push(s.meanRow[k]);
        cols.x.push(s.meanCol[k]);
        cols.a.push(s.area[k]);
        axes.major.push(e.majorAxisLength);
        axes.minor.push(e.minorAxisLength);
        axes.angle.push(e.orientation);
        axes.label.push(s.labels[k]);
      }
      opts.onFrame?.(t + 1, frames);
    }
    return {
      table: {
        frame: Int32Array.from(cols.frame),
        centroid_0: Float64Array.from(cols.y),
        centroid_1: Float64Array.from(cols.x),
        area: Float64Array.from(cols.a),
        major_axis_length: Float64Array.from(axes.major),
        minor_axis_length: Float64Array.from(axes.minor),
        orientation: Float64Array.from(axes.angle),
      },
      label: Uint32Array.from(axes.label),
      width,
      height,
      frames,
      timeAxis,
    };
  } finally {
    await movie.close();
  }
}

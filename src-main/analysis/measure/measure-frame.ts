import { AnalysisOptionError, checkFrame } from '../errors';
import { ConvexAreaCounter } from './convex-area';
import { gatherRegionStats, type LabelImage } from './region-stats';
import { ellipseShape, unbiasedSkewness } from './shape';

/** The `_fl.csv` measurement columns in HiTMicTools' order (verified on a synthetic stack, reference §3.2). */
export const MEASUREMENT_COLUMNS = [
  'label',
  'frame',
  'slice',
  'channel',
  'centroid_0',
  'centroid_1',
  'max_intensity',
  'min_intensity',
  'mean_intensity',
  'area',
  'major_axis_length',
  'minor_axis_length',
  'solidity',
  'orientation',
  'roi_skewness',
  'roi_std_dev',
] as const;

export type MeasurementColumn = (typeof MEASUREMENT_COLUMNS)[number];

/**
 * Per-object measurements of one frame, one entry per object in ascending label order, as
 * HiTMicTools' `regionprops_table` + `roi_skewness`/`roi_std_dev` (scikit-image 0.19 semantics):
 * - `label`: the object's label value; `frame`: the frame index given.
 * - `slice`: the z index (always 0 here) and `channel`: the measured channel index. HiTMicTools
 *   writes these two **swapped** (its `slice` holds the channel index and its `channel` holds 0);
 *   this table uses their right meaning, as DESIGN.md decides.
 * - `centroid_0` / `centroid_1`: mean row / column of the object's pixels (pixels).
 * - `max_intensity`, `min_intensity`, `mean_intensity`: over the object's pixels.
 * - `area`: pixel count.
 * - `major_axis_length`, `minor_axis_length`: 4·√eigenvalue of the inertia tensor (pixels).
 * - `solidity`: area / convex-hull pixel count (see ConvexAreaCounter).
 * - `orientation`: radians in [−π/2, π/2], angle between the row axis and the major axis.
 * - `roi_skewness`: unbiased sample skewness, 0 with fewer than 10 distinct values.
 * - `roi_std_dev`: population standard deviation (ddof 0).
 * Statistics are accumulated in float64; HiTMicTools (numpy on float32 data) agrees to about 1e-7
 * relative. Empty frames give zero-length columns.
 * A type alias (not an interface) so it can be passed wherever a `Record<string, ArrayLike<number>>`
 * feature table is expected (e.g. PI classification).
 */
export type FrameMeasurements = {
  label: Uint32Array;
  frame: Int32Array;
  slice: Int32Array;
  channel: Int32Array;
} & { [K in Exclude<MeasurementColumn, 'label' | 'frame' | 'slice' | 'channel'>]: Float64Array };

export interface MeasureOptions {
  /** Frame (time) index written to the `frame` column. */
  frame: number;
  /** Index of the measured channel (the PI channel), written to `channel`. */
  channel: number;
  /** Z index written to `slice`; default 0. */
  slice?: number;
  /** Reusable convex-hull scratch (pass one per worker to avoid re-allocating across frames). */
  hull?: ConvexAreaCounter;
}

function checkIndex(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new AnalysisOptionError(name, 'a non-negative integer', String(v));
}

/**
 * Measures every labelled object of one frame. `labels` and `intensity` are row-major
 * width × height (height rows, width columns); label values ≤ 0 are background. One pass over
 * the label image gathers moments and intensity statistics; a second pass over each object's
 * bounding box finds the convex hull. Throws ImageShapeError on size mismatch.
 */
export function measureFrame(
  labels: LabelImage,
  intensity: Float32Array,
  width: number,
  height: number,
  options: MeasureOptions,
): FrameMeasurements {
  checkFrame('labels', labels, width, height);
  checkFrame('intensity', intensity, width, height);
  checkIndex('frame', options.frame);
  checkIndex('channel', options.channel);
  const slice = options.slice ?? 0;
  checkIndex('slice', slice);
  const st = gatherRegionStats(labels, intensity, width, height);
  const n = st.count;
  const hull = options.hull ?? new ConvexAreaCounter();
  const out: FrameMeasurements = {
    label: st.labels,
    frame: new Int32Array(n).fill(options.frame),
    slice: new Int32Array(n).fill(slice),
    channel: new Int32Array(n).fill(options.channel),
    centroid_0: st.meanRow,
    centroid_1: st.meanCol,
    max_intensity: st.intensityMax,
    min_intensity: st.intensityMin,
    mean_intensity: st.intensityMean,
    area: st.area,
    major_axis_length: new Float64Array(n),
    minor_axis_length: new Float64Array(n),
    solidity: new Float64Array(n),
    orientation: new Float64Array(n),
    roi_skewness: new Float64Array(n),
    roi_std_dev: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const e = ellipseShape({ rowVar: st.rowVar[i], colVar: st.colVar[i], rowColCov: st.rowColCov[i] });
    out.major_axis_length[i] = e.majorAxisLength;
    out.minor_axis_length[i] = e.minorAxisLength;
    out.orientation[i] = e.orientation;
    const convex = hull.count(
      labels,
      width,
      st.labels[i],
      st.minRow[i],
      st.maxRow[i],
      st.minCol[i],
      st.maxCol[i],
    );
    out.solidity[i] = st.area[i] / convex;
    out.roi_std_dev[i] = Math.sqrt(st.intensityM2[i]);
    out.roi_skewness[i] = unbiasedSkewness(
      st.area[i],
      st.intensityMean[i],
      st.intensityM2[i],
      st.intensityM3[i],
      st.distinctAtLeast10[i] === 1,
    );
  }
  return out;
}

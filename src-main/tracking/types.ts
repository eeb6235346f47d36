/**
 * Shapes shared by every tracker: the columnar detection table (HiTMicTools measurement columns,
 * row order preserved), the per-row result and the run summary.
 */

/**
 * One row per detected object. `centroid_0` is the row (y) coordinate and `centroid_1` the column
 * (x) coordinate in pixels, as in HiTMicTools. `area` and the two axis lengths are optional: a
 * tracker that uses them treats a missing column exactly as HiTMicTools treats a missing
 * DataFrame column (area 1, axes 0, the corresponding cost terms and checks skipped).
 */
export interface DetectionTable {
  frame: Int32Array;
  centroid_0: Float64Array;
  centroid_1: Float64Array;
  area?: Float64Array;
  major_axis_length?: Float64Array;
  minor_axis_length?: Float64Array;
  /**
   * scikit-image `orientation` (radians, −π/2…π/2): the major axis points along (row, column) =
   * (cos θ, sin θ). With `major_axis_length` it tells where a dividing cell's daughters appear.
   */
  orientation?: Float64Array;
}

/** Where trackers write their human-readable log lines (the HiTMicTools per-movie log). */
export interface TrackingLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Counts and statistics of one tracking run (HiTMicTools' summary log, as numbers). */
export interface TrackingSummary {
  tracker: 'hungarian-v2' | 'hungarian-v5' | 'btrack-kalman';
  /** Distinct frame values. */
  frames: number;
  detections: number;
  /** Distinct final track ids (after stitching for v5). */
  tracks: number;
  /** Tracks present in every frame (distinct frames == `frames`). */
  fullLengthTracks: number;
  /** Tracks present in a single frame. */
  singleFrameTracks: number;
  /** Frame-to-frame links made by the main assignment (re-id and division links not counted). */
  links: number;
  /** Links that skipped at least one frame (gap ≥ 2 frame units). */
  bridgedLinks: number;
  /** Tracks started because a detection was not linked (first-frame detections included). */
  newTracks: number;
  /** Mean / 95th percentile (NumPy linear) / max Euclidean length of the `links`; 0 without links. */
  meanLinkDistance: number;
  p95LinkDistance: number;
  maxLinkDistance: number;
  /** Median (pandas) number of distinct frames per track. */
  medianTrackLength: number;
  /** v5: detections linked to a retired track; 0 otherwise. */
  reidentified: number;
  /** Daughter tracks started by a detected division. */
  divisions: number;
  /** v5: tracks merged by post-hoc stitching; 0 otherwise. */
  stitches: number;
  /** v5: distinct ids before stitching; equals `tracks` otherwise. */
  tracksBeforeStitching: number;
}

/** Output of a tracker, aligned with the input rows. */
export interface TrackingResult {
  /** Track id per row (≥ 0; −1 only when the table is empty, which yields no rows). */
  trackid: Int32Array;
  /** Mother track id per row, −1 when none (always −1 for v2, which detects no divisions). */
  parent_track_id: Int32Array;
  summary: TrackingSummary;
  /** v5: the ids before stitching, which its `parent_track_id` refers to (as HiTMicTools'). */
  trackidBeforeStitching?: Int32Array;
}

/** Any tracker the pipeline can run. */
export interface Tracker {
  /** Human-readable description, e.g. `Hungarian v2 (max_distance=25)`. */
  readonly description: string;
  track(table: DetectionTable, logger?: TrackingLogger): TrackingResult;
}

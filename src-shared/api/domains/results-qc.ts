/**
 * Results and QC: the per-cell table and summary of an analysed movie, and the crops of its
 * classified cells for checking and relabelling.
 *
 * A run is found by where it wrote its outputs: `outputDir` (the run's output folder on the
 * backend's machine) and `movie` (the movie's name, the prefix of `{movie}_fl.csv`).
 */
export interface ResultsApi {
  /** `{movie}_fl.csv`: one row per cell and frame. Numbers are numbers, empty fields null. */
  cells(outputDir: string, movie: string): Promise<ResultTable>;
  /** `{movie}_summary.csv`: counts and areas per frame and class. */
  summary(outputDir: string, movie: string): Promise<ResultTable>;
  /**
   * Where the run's analysis frame (labels and restored stacks, `centroid_0`/`centroid_1`) lies in
   * the movie, frame by frame, from `{movie}_run.json`. Runs that did not record it come back with
   * `exact: false` and a `warning` saying how far to trust an overlay.
   */
  registration(outputDir: string, movie: string): Promise<RunRegistration>;
  /**
   * The movie's lineages: tracks, colonies and divisions per frame, from `{movie}_tracks.csv`
   * (`hitmic track --format hitmic`) where there is one, else from `{movie}_fl.csv`.
   */
  lineage(outputDir: string, movie: string): Promise<MovieLineage>;
  /**
   * The run's tracks from `{movie}_fl.csv` (`trackid`, `parent_track_id`), each with its frames,
   * labels and centroids in movie pixels (`centroid_*_movie`, or placed by the registration), for
   * the Viewer's tracks layer and lineage panel.
   */
  tracks(outputDir: string, movie: string): Promise<RunTracks>;
}

/**
 * One track of a run: the same cell followed over frames. After a division (HiTMicTools'
 * convention, and the Cell Tracking Challenge's) the mother's track ends and each daughter's track
 * starts with `parent` = the mother's id; a tracker may also let one daughter keep the mother's id.
 */
export interface RunTrack {
  id: number;
  /** The mother's track id; −1 when the track has none (present from the start, or not a division). */
  parent: number;
  /** Movie frames where the track is seen, ascending (gaps where it was bridged). */
  frames: number[];
  /** The object's label in each of those frames. */
  labels: number[];
  /**
   * Centroid in movie pixels, per frame: `x` = column, `y` = row, as HiTMicTools' centroid_1 and
   * centroid_0 (pixel x's centre is at x; in the Viewer's continuous coordinates, x + 0.5).
   */
  x: number[];
  y: number[];
}

export interface RunTracks {
  /** False when the run did not track (no `trackid` column, or no track ids in it). */
  tracked: boolean;
  tracks: RunTrack[];
  /** Tracks that have a parent. */
  divisions: number;
  /** How the centroids were placed in the movie, or why there are no tracks. */
  note: string;
}

/** A frame's alignment: its content was moved by (+dx, +dy) movie pixels to line up with the first frame analysed. */
export interface FrameShift {
  /** Movie frame (as in the `frame` column). */
  frame: number;
  dx: number;
  dy: number;
}

/** A box of pixels: columns [x0, x0 + width), rows [y0, y0 + height). */
export interface PixelBox {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * How a run's analysis frame sits in its movie. An aligned run moves frame t by its shift (dx, dy)
 * and keeps the crop common to all frames, so analysis pixel (x, y) of frame t is movie pixel
 * (x + crop.x0 − dx, y + crop.y0 − dy): a translation per frame, as napari's `translate`.
 */
export interface RunRegistration {
  /**
   * `aligned`: crop and every frame's shift recorded (exact); `unaligned`: no alignment, the
   * analysis frame is the movie's own (exact); `crop-only`: an aligned run that recorded only its
   * crop (runs before shifts were recorded): placed by the crop alone; `unknown`: no usable record.
   */
  kind: 'aligned' | 'unaligned' | 'crop-only' | 'unknown';
  /** Every analysed frame's placement is known (to the 1/32 px the alignment works in). */
  exact: boolean;
  /** The movie the run read, in pixels, when recorded. */
  movieSize: { width: number; height: number } | null;
  /** The analysis frame (labels and restored stacks), when recorded. */
  analysisSize: { width: number; height: number } | null;
  /** The crop of the aligned frames that the analysis frame is; null when not aligned. */
  crop: PixelBox | null;
  /** One per analysed frame when aligned (first analysed frame 0, 0); empty otherwise. */
  shifts: FrameShift[];
  /**
   * Movie frames the run analysed, in the order of the labels stack's planes (a run of
   * `--frames 5:20` has plane 0 = movie frame 5); null when run.json does not say (plane = frame).
   */
  frames: number[] | null;
  /** Why an overlay or a crop may be out of register, and what to do; absent when exact. */
  warning?: string;
}

/** One track of a lineage (src-shared/results/lineage.ts builds them). */
export interface LineageTrack {
  id: number;
  /** Mother track, −1 for a founder (or a mother not in the table). */
  parent: number;
  /** First and last frame where the track has an object. */
  begin: number;
  end: number;
  /** Objects of the track (frames it was seen in). */
  objects: number;
  /** The founder track of its colony. */
  root: number;
  /** Daughter tracks, by first frame then id. */
  children: number[];
}

export interface LineageColony {
  /** Founder track id (names the colony). */
  root: number;
  tracks: number;
  divisions: number;
  /** First and last frame of any of its tracks. */
  begin: number;
  end: number;
}

export interface RunLineage {
  /** Every track, by id. */
  tracks: LineageTrack[];
  /** Colonies, largest first (ties: earliest founder first). */
  colonies: LineageColony[];
  /** Frames of the table, ascending, and the divisions seen at each (daughters starting there). */
  frames: number[];
  divisionsPerFrame: number[];
  /** Tracks with at least one daughter. */
  divisions: number;
}

export interface MovieLineage extends RunLineage {
  /** Which table the tracks came from. */
  source: 'tracks' | 'cells';
  file: string;
}

export interface QcApi {
  /**
   * Masked bounding-box crops of the classified objects (restored bright field), lowest
   * confidence first, after `filter`; at most `filter.limit` (default 400) crops are returned.
   */
  crops(outputDir: string, movie: string, filter?: QcCropFilter): Promise<QcCropSet>;
  /**
   * Records corrections in `{movie}_qc_corrections.json` beside the outputs (written atomically).
   * A correction back to the object's original class removes it. Returns every correction now held.
   */
  relabel(outputDir: string, movie: string, corrections: QcCorrection[]): Promise<QcCorrection[]>;
  /**
   * Writes the corrections as CSV (`frame,label,old_class,new_class`) to `path`, by default
   * `{outputDir}/{movie}_qc_corrections.csv`, and returns the file, the count and the CSV text.
   */
  exportCorrections(
    outputDir: string,
    movie: string,
    path?: string,
  ): Promise<{ path: string; count: number; csv: string }>;
}

export type ResultCell = string | number | null;

export interface ResultTable {
  columns: string[];
  rows: ResultCell[][];
}

export type PiStatus = 'any' | 'positive' | 'negative';

export interface QcCropFilter {
  /** Inclusive frame range (movie frame numbers, as in the `frame` column). */
  frameMin?: number;
  frameMax?: number;
  /** Only objects of this class (as classified, before corrections). */
  className?: string;
  /** Confidence (`class_prob`) range, inclusive. */
  minConfidence?: number;
  maxConfidence?: number;
  pi?: PiStatus;
  limit?: number;
}

export interface QcCrop {
  frame: number;
  label: number;
  className: string;
  confidence: number;
  piClass?: string;
  /**
   * Bounding box of the object in the run's analysis frame (the labels stack, `centroid_0` and
   * `centroid_1`): top-left (row y, column x). For an aligned run this is not the movie's grid.
   */
  y: number;
  x: number;
  width: number;
  height: number;
  /**
   * The same box in the movie's pixels (the Viewer's coordinates), at the nearest whole pixel
   * when the frame's shift is fractional; raw-movie crops are cut here.
   */
  movieY: number;
  movieX: number;
  /**
   * The tile: the object's box widened to about twice its size (at least CROP_CONTEXT_MIN px a
   * side), centred on it, in the run's analysis frame. It may reach past the frame's edge.
   */
  context: { x: number; y: number; width: number; height: number };
  /** Row-major pixels of the context box, `NaN` outside the image; empty when no image was found. */
  data: Float32Array;
  /** 1 where the object is, per pixel of the context box (its outline is drawn from this). */
  mask: Uint8Array;
}

/** The smallest side of a QC tile's context box, pixels. */
export const CROP_CONTEXT_MIN = 24;

export interface QcCropSet {
  crops: QcCrop[];
  /** Objects that matched the filter (crops holds the first `limit` of them). */
  matched: number;
  /** Objects in the movie's table. */
  total: number;
  /** Where the pixels came from: the restored stack, the raw movie named in run.json, or none. */
  source: 'restored' | 'raw' | 'none';
  sourceNote: string;
  /**
   * One display range for every tile of the run (1–99.8 % of a sample of the source's frames), so
   * a dim cell looks dim next to a bright one; absent without pixels.
   */
  contrast?: { min: number; max: number; note: string };
  /** The raw movie the run read (run.json), for showing a cell in the Viewer. */
  moviePath?: string;
  /** Every class seen in the table plus the pipeline's defaults, in key order (1–5 first). */
  classes: string[];
  frameRange: [number, number];
  /** Corrections held for this movie. */
  corrections: QcCorrection[];
}

export interface QcCorrection {
  frame: number;
  label: number;
  oldClass: string;
  newClass: string;
}

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
   * The movie's lineages: tracks, colonies and divisions per frame, from `{movie}_tracks.csv`
   * (`hitmic track --format hitmic`) where there is one, else from `{movie}_fl.csv`.
   */
  lineage(outputDir: string, movie: string): Promise<MovieLineage>;
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
  /** Bounding box of the object in the frame: top-left (row y, column x). */
  y: number;
  x: number;
  width: number;
  height: number;
  /** Row-major pixels of the box, `NaN` outside the object's mask; empty when no image was found. */
  data: Float32Array;
}

export interface QcCropSet {
  crops: QcCrop[];
  /** Objects that matched the filter (crops holds the first `limit` of them). */
  matched: number;
  /** Objects in the movie's table. */
  total: number;
  /** Where the pixels came from: the restored stack, the raw movie named in run.json, or none. */
  source: 'restored' | 'raw' | 'none';
  sourceNote: string;
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

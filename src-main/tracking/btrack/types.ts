/**
 * Typed btrack configuration (btrack 0.7 `TrackerConfig`, lower-case keys), as produced by
 * `parseBtrackConfig` from any of the formats btrack has written over the years.
 */

/** A motion-model matrix, row-major, with sigma already applied (`matrix × sigma`). */
export interface BtrackMatrix {
  rows: number;
  cols: number;
  values: Float64Array;
  /** The sigma given in the file (1 when none, or for flat lists). */
  sigma: number;
}

export interface BtrackMotionModel {
  name: string;
  measurements: number;
  states: number;
  dt: number;
  accuracy: number;
  max_lost: number;
  prob_not_assign: number;
  A: BtrackMatrix;
  H: BtrackMatrix;
  P: BtrackMatrix;
  R: BtrackMatrix;
  /** 1 × states; null when the file gives Q directly without G. */
  G: BtrackMatrix | null;
  /** states × states: the file's Q, else Gᵀ·G (as btrack computes it). */
  Q: BtrackMatrix;
}

export interface BtrackHypothesisModel {
  name: string;
  hypotheses: string[];
  lambda_time: number | null;
  lambda_dist: number | null;
  lambda_link: number | null;
  lambda_branch: number | null;
  eta: number | null;
  theta_dist: number | null;
  theta_time: number | null;
  dist_thresh: number | null;
  time_thresh: number | null;
  apop_thresh: number | null;
  segmentation_miss_rate: number | null;
  apoptosis_rate: number | null;
  /** Required by btrack; null (with a warning) when the file omits it. */
  relax: boolean | null;
}

export interface BtrackConfig {
  /** Which layout the file used. */
  format: 'nested' | 'flat';
  name: string;
  version: string | null;
  motion_model: BtrackMotionModel;
  hypothesis_model: BtrackHypothesisModel | null;
  /** btrack default 100. */
  max_search_radius: number;
  /** The normalised document (lower-case, flat layout) the typed fields were read from. */
  raw: Record<string, unknown>;
  /** Things accepted but worth telling the user (legacy layout, misplaced keys, trailing text…). */
  warnings: string[];
}

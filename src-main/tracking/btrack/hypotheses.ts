/**
 * btrack's hypothesis model (`btrack/src/hypothesis.cc`, btrack 0.6–0.7), the probabilities of what
 * happens at the ends of a tracklet, as negative log-likelihood costs for the global assignment
 * (global.ts). With `hm` the config's `hypothesis_model`:
 *
 * - P_FP(T) = segmentation_miss_rate^(1 + duration), P_TP = 1 − P_FP.
 * - P_init(T): the larger of "at the border", exp(−min(d, theta_dist)/lambda_dist) where d is the
 *   start's distance to the field border (only when d < theta_dist or `relax`, else eta), and "at
 *   the start of the movie", exp(−(t − t0 + 1)/lambda_time) when t < t0 + theta_time (else eta).
 *   btrack makes the hypothesis only when `relax`, or near the border, or near the start; so do we.
 * - P_term(T): the same at the tracklet's end, with the movie's last frame t1: exp(−(t1 − t)/lambda_time).
 * - P_link(A → B) = exp(−d/lambda_link), d the distance from A's end to B's start (we measure it to
 *   A's Kalman prediction at B's first frame, which is what a moving cell needs).
 * - P_branch: without mitosis state labels (HiTMicTools has none) btrack scores every division
 *   alike: exp(−WEIGHT_OTHER/(2·lambda_branch)), WEIGHT_OTHER = 5 (P_dead of the children is 0
 *   without apoptosis labels).
 * - Every hypothesis adds ½·ln P_TP of each tracklet it involves, as btrack's does.
 *
 * Candidate links and daughters lie within dist_thresh and 1 ≤ Δt < time_thresh, as btrack's.
 */
import type { BtrackHypothesisModel } from './types';

/** btrack's hypothesis.h: WEIGHT_OTHER, the division weight when no mitosis states are known. */
export const WEIGHT_OTHER = 5.0;
/** btrack's safe_log floor (DEFAULT_LOW_PROBABILITY). */
const LOW_PROBABILITY = 1e-308;

/** The hypothesis model with btrack's documented example values filling what a config leaves out. */
export interface HypothesisParams {
  hypotheses: ReadonlySet<string>;
  lambda_time: number;
  lambda_dist: number;
  lambda_link: number;
  lambda_branch: number;
  eta: number;
  theta_dist: number;
  theta_time: number;
  dist_thresh: number;
  time_thresh: number;
  segmentation_miss_rate: number;
  relax: boolean;
}

/** btrack's cell_config.json hypothesis model (its documented example), used for missing fields. */
export const CELL_HYPOTHESIS_DEFAULTS: Omit<HypothesisParams, 'hypotheses'> = {
  lambda_time: 5.0,
  lambda_dist: 3.0,
  lambda_link: 10.0,
  lambda_branch: 50.0,
  eta: 1e-10,
  theta_dist: 20.0,
  theta_time: 5.0,
  dist_thresh: 40,
  time_thresh: 2,
  segmentation_miss_rate: 0.1,
  relax: true,
};

export function hypothesisParams(hm: BtrackHypothesisModel): HypothesisParams {
  const d = CELL_HYPOTHESIS_DEFAULTS;
  const pick = (v: number | null, dflt: number) => (v === null ? dflt : v);
  return {
    hypotheses: new Set(hm.hypotheses),
    lambda_time: pick(hm.lambda_time, d.lambda_time),
    lambda_dist: pick(hm.lambda_dist, d.lambda_dist),
    lambda_link: pick(hm.lambda_link, d.lambda_link),
    lambda_branch: pick(hm.lambda_branch, d.lambda_branch),
    eta: pick(hm.eta, d.eta),
    theta_dist: pick(hm.theta_dist, d.theta_dist),
    theta_time: pick(hm.theta_time, d.theta_time),
    dist_thresh: pick(hm.dist_thresh, d.dist_thresh),
    time_thresh: pick(hm.time_thresh, d.time_thresh),
    segmentation_miss_rate: pick(hm.segmentation_miss_rate, d.segmentation_miss_rate),
    relax: hm.relax ?? d.relax,
  };
}

/** −ln p with btrack's floor for p ≤ 0. */
export function nll(p: number): number {
  return -Math.log(p > 0 ? p : LOW_PROBABILITY);
}

/** The field of view (btrack's `volume`), in pixels: x = column, y = row. */
export interface Volume {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Distance to the nearest border of the volume (btrack's dist_from_border, 2-D). */
export function distFromBorder(v: Volume, x: number, y: number): number {
  let d = Infinity;
  if (v.maxX > v.minX) d = Math.min(d, x - v.minX, v.maxX - x);
  if (v.maxY > v.minY) d = Math.min(d, y - v.minY, v.maxY - y);
  return d;
}

/** Costs of the hypotheses about one end of a tracklet, in the units of the global assignment. */
export class HypothesisCosts {
  constructor(
    readonly p: HypothesisParams,
    /** First and last frame of the movie (btrack's frame range). */
    readonly frameRange: [number, number],
    readonly volume: Volume,
  ) {}

  allowed(h: 'P_init' | 'P_term' | 'P_link' | 'P_branch'): boolean {
    return this.p.hypotheses.has(h);
  }

  /** −½·ln P_TP of a tracklet lasting `duration` frame units (last − first). */
  halfTrue(duration: number): number {
    return 0.5 * nll(1 - this.pFalse(duration));
  }

  pFalse(duration: number): number {
    return this.p.segmentation_miss_rate ** Math.floor(1 + duration);
  }

  /**
   * Cost of a tracklet starting here with no predecessor: btrack's P_init hypothesis where btrack
   * makes one; elsewhere only its false-positive hypothesis explains the start, whose cost we
   * split evenly between the tracklet's two ends.
   */
  start(frame: number, x: number, y: number, duration: number): number {
    const { p } = this;
    const d = distFromBorder(this.volume, x, y);
    const nearStart = frame < this.frameRange[0] + p.theta_time;
    if (this.allowed('P_init') && (p.relax || nearStart || d < p.theta_dist)) {
      const border =
        p.relax || d < p.theta_dist ? Math.exp(-Math.min(d, p.theta_dist) / p.lambda_dist) : p.eta;
      const front = nearStart ? Math.exp(-(frame - this.frameRange[0] + 1) / p.lambda_time) : p.eta;
      return nll(Math.max(border, front)) + this.halfTrue(duration);
    }
    return 0.5 * nll(this.pFalse(duration));
  }

  /** Cost of a tracklet ending here with no successor (P_term, else half of P_FP). */
  end(frame: number, x: number, y: number, duration: number): number {
    const { p } = this;
    const d = distFromBorder(this.volume, x, y);
    const nearEnd = this.frameRange[1] - frame < p.theta_time;
    if (this.allowed('P_term') && (p.relax || nearEnd || d < p.theta_dist)) {
      const border =
        p.relax || d < p.theta_dist ? Math.exp(-Math.min(d, p.theta_dist) / p.lambda_dist) : p.eta;
      const back = nearEnd ? Math.exp(-(this.frameRange[1] - frame) / p.lambda_time) : p.eta;
      return nll(Math.max(border, back)) + this.halfTrue(duration);
    }
    return 0.5 * nll(this.pFalse(duration));
  }

  /** −ln P_link for a distance d (pixels); the ½·ln P_TP terms are added by the caller. */
  link(d: number): number {
    return d / this.p.lambda_link;
  }

  /** −ln P_branch without mitosis states (btrack's WEIGHT_OTHER case). */
  branch(): number {
    return WEIGHT_OTHER / (2 * this.p.lambda_branch);
  }
}

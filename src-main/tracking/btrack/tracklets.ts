/**
 * First pass of the btrack-config linker: frame-to-frame tracklets under a Kalman motion model.
 *
 * Per frame (sorted distinct values), every live tracklet predicts where it is, as btrack's
 * Tracklet does: its current position plus its motion vector (the change of the Kalman filter's
 * position at its last update), with the filter's position variances (the config's motion model:
 * A, H, P, R, Q = Gᵀ·G or Q; a missed frame moves the track to its prediction and propagates the
 * filter, btrack's dummy object). It is linked to the frame's detections by a linear assignment
 * with "no link" alternatives (link-lap.ts):
 *
 * - a candidate link lies within `max_search_radius` (pixels, from the prediction); its
 *   probability is btrack's (`probability_erf` in btrack's tracker): per measured axis, the mass
 *   of the predicted Gaussian within ±`accuracy` pixels of the detection, multiplied over the
 *   axes, times 2^(−lost/max_lost) for a track lost for `lost` frames (btrack's
 *   PROB_ASSIGN_EXP_DECAY); the cost is −ln of it. A wide prediction (a long-lost track) spreads
 *   its mass thin, so it cannot take far detections cheaply;
 * - leaving a tracklet and a detection both unlinked costs −ln `motion_model.prob_not_assign`
 *   (half on each side), so a link is made where it is more likely than "not assigned", the
 *   comparison btrack's belief update makes;
 * - where the table has `area`, a link whose area ratio (new / last) falls outside
 *   `areaRatio` is not a candidate: a cell does not halve or double in one frame unless it divides
 *   or is mis-segmented, and both are decided by the global pass over whole tracklets.
 *
 * A tracklet not linked for more than `motion_model.max_lost` frames is closed (gap closing within
 * max_lost happens here). Unlinked detections start tracklets.
 */
import { solveLinks } from '../link-lap';
import type { FrameGroups } from '../table';
import type { DetectionTable } from '../types';
import { axisMass } from './erf';
import { KalmanModel, type KalmanState } from './kalman';
import type { BtrackConfig } from './types';

export interface Tracklet {
  /** Detection rows in time order. */
  rows: number[];
  /** Filter state (btrack's x̂ and P after its last update), valid at frame `advancedTo`. */
  kf: KalmanState;
  first: number;
  last: number;
  /** Position (x, y) at `advancedTo`: the last detection's, or where the track was assumed to be since. */
  x: number;
  y: number;
  /** btrack's motion vector: the change of the filter's position at its last update with a detection. */
  vx: number;
  vy: number;
  /** Frame the track has been carried to: `last`, plus one per frame it was missed. */
  advancedTo: number;
}

/**
 * btrack's prediction for the next frame (`Tracklet::predict`): the current position plus the
 * motion vector, with the variances of the filter's position (diagonal of H·P·Hᵀ, P as left by
 * the last update, not propagated).
 */
export function predictNext(
  kal: KalmanModel,
  t: Tracklet,
): { x: number; y: number; varX: number; varY: number; varZ: number } {
  const c = kal.positionCovariance(t.kf);
  const m = kal.m;
  return { x: t.x + t.vx, y: t.y + t.vy, varX: c[0], varY: c[m + 1], varZ: m > 2 ? c[2 * m + 2] : 0 };
}

/** btrack's dummy object for a missed frame: the track moves to its prediction, the filter only propagates. */
function carryOver(kal: KalmanModel, t: Tracklet): void {
  t.x += t.vx;
  t.y += t.vy;
  kal.predict(t.kf);
  t.advancedTo++;
}

export interface TrackletPass {
  tracklets: Tracklet[];
  /** Frame-to-frame links made (and how many bridged a gap), with their lengths in pixels. */
  links: number;
  bridged: number;
  linkDistances: number[];
}

export interface TrackletOptions {
  /** Allowed area ratio new/last of a frame-to-frame link; null = no area gate. */
  areaRatio: [number, number] | null;
}

/** Uniform grid over detections of one frame, for radius queries. */
class Grid {
  private readonly cells = new Map<number, number[]>();
  constructor(
    private readonly size: number,
    xs: Float64Array,
    ys: Float64Array,
  ) {
    for (let i = 0; i < xs.length; i++) {
      const k = this.key(Math.floor(xs[i] / size), Math.floor(ys[i] / size));
      const c = this.cells.get(k);
      if (c) c.push(i);
      else this.cells.set(k, [i]);
    }
  }
  private key(gx: number, gy: number): number {
    return (gx + 32768) * 65536 + (gy + 32768);
  }
  /** Indices of points within the grid cells around (x, y) that a circle of radius `size` can reach. */
  near(x: number, y: number, out: number[]): void {
    out.length = 0;
    const gx = Math.floor(x / this.size);
    const gy = Math.floor(y / this.size);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const c = this.cells.get(this.key(gx + dx, gy + dy));
        if (c) for (const i of c) out.push(i);
      }
  }
}

export function buildTracklets(
  config: BtrackConfig,
  table: DetectionTable,
  groups: FrameGroups,
  options: TrackletOptions,
): TrackletPass {
  const mm = config.motion_model;
  const kal = new KalmanModel(mm);
  const m = mm.measurements;
  const radius = config.max_search_radius;
  const { centroid_0: Y, centroid_1: X, area: AREA } = table;
  const gate = options.areaRatio && AREA ? options.areaRatio : null;
  const pNotAssign = Math.min(Math.max(mm.prob_not_assign, 1e-300), 1);
  const aloneCost = -0.5 * Math.log(pNotAssign);
  const meas = (row: number): Float64Array => {
    const z = new Float64Array(m);
    z[0] = X[row];
    z[1] = Y[row];
    return z;
  };
  const tracklets: Tracklet[] = [];
  let live: Tracklet[] = [];
  let links = 0;
  let bridged = 0;
  const linkDistances: number[] = [];
  const near: number[] = [];

  const { frames, rows } = groups;
  for (let fi = 0; fi < frames.length; fi++) {
    const f = frames[fi];
    const cur = rows[fi];
    live = live.filter((t) => f - t.last - 1 <= mm.max_lost);
    const nt = live.length;
    const nc = cur.length;
    const xs = Float64Array.from(cur, (r) => X[r]);
    const ys = Float64Array.from(cur, (r) => Y[r]);
    const linkSource: number[] = [];
    const linkTarget: number[] = [];
    const linkCost: number[] = [];
    if (nt > 0 && nc > 0) {
      const grid = new Grid(radius, xs, ys);
      for (let r = 0; r < nt; r++) {
        const t = live[r];
        while (t.advancedTo < f - 1) carryOver(kal, t);
        const pred = predictNext(kal, t);
        const hx = [pred.x, pred.y];
        const sx = Math.sqrt(Math.max(pred.varX, 1e-12));
        const sy = Math.sqrt(Math.max(pred.varY, 1e-12));
        // The z axis (a 3-measurement model) has no displacement, only its spread.
        let base = m > 2 ? axisMass(0, Math.sqrt(Math.max(pred.varZ, 1e-12)), mm.accuracy) : 1;
        const lost = f - t.last - 1;
        if (lost > 0 && mm.max_lost > 0) base *= 2 ** (-lost / mm.max_lost);
        const lastArea = AREA ? AREA[t.rows[t.rows.length - 1]] : 0;
        grid.near(hx[0], hx[1], near);
        for (const c of near) {
          const dx = xs[c] - hx[0];
          const dy = ys[c] - hx[1];
          if (dx * dx + dy * dy > radius * radius) continue;
          if (gate && lastArea > 0) {
            const ratio = (AREA as Float64Array)[cur[c]] / lastArea;
            if (ratio < gate[0] || ratio > gate[1]) continue;
          }
          const p = base * axisMass(dx, sx, mm.accuracy) * axisMass(dy, sy, mm.accuracy);
          // A link no likelier than "not assigned" never beats leaving both alone: not a candidate.
          if (!(p > pNotAssign)) continue;
          linkSource.push(r);
          linkTarget.push(c);
          linkCost.push(-Math.log(p));
        }
      }
    }
    const targetOf = solveLinks({
      sources: nt,
      targets: nc,
      linkSource: Int32Array.from(linkSource),
      linkTarget: Int32Array.from(linkTarget),
      linkCost: Float64Array.from(linkCost),
      sourceAlone: new Float64Array(nt).fill(aloneCost),
      targetAlone: new Float64Array(nc).fill(aloneCost),
    });
    const taken = new Uint8Array(nc);
    for (let r = 0; r < nt; r++) {
      const c = targetOf[r];
      if (c < 0) continue;
      const t = live[r];
      const row = cur[c];
      const prev = t.rows[t.rows.length - 1];
      // btrack's MotionModel::update: propagate, correct, and keep the change as the motion vector.
      const x0 = t.kf.x[0];
      const y0 = t.kf.x[1];
      kal.predict(t.kf);
      kal.update(t.kf, meas(row));
      t.vx = t.kf.x[0] - x0;
      t.vy = t.kf.x[1] - y0;
      t.x = X[row];
      t.y = Y[row];
      t.advancedTo = f;
      if (f - t.last >= 2) bridged++;
      linkDistances.push(Math.hypot(Y[row] - Y[prev], X[row] - X[prev]));
      links++;
      t.rows.push(row);
      t.last = f;
      taken[c] = 1;
    }
    for (let c = 0; c < nc; c++) {
      if (taken[c]) continue;
      const row = cur[c];
      const t: Tracklet = {
        rows: [row],
        kf: kal.init(meas(row)),
        first: f,
        last: f,
        x: X[row],
        y: Y[row],
        vx: 0,
        vy: 0,
        advancedTo: f,
      };
      tracklets.push(t);
      live.push(t);
    }
  }
  return { tracklets, links, bridged, linkDistances };
}

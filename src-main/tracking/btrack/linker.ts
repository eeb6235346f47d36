/**
 * A Kalman-predicted frame-to-frame linker driven by a btrack configuration. What it does:
 *
 * - **Motion.** Each track carries a linear Kalman filter with the config's motion model (A, H,
 *   P, R, Q = Gᵀ·G or the given Q; typically constant velocity, 6 states / 3 measurements). The
 *   measurement is (x, y, z) = (`centroid_1`, `centroid_0`, 0) (2 measurements: x, y). Every live
 *   track is predicted once per frame unit, also across frames where it was not seen.
 * - **Linking.** Per frame (sorted distinct values), a cost matrix between live tracks and the
 *   frame's detections: the Mahalanobis distance √(yᵀS⁻¹y) of the detection from the track's
 *   predicted measurement (or, with `metric: 'euclidean'`, the plain distance to the predicted
 *   position). Pairs whose Euclidean distance to the prediction exceeds `max_search_radius` are
 *   forbidden (a large finite cost, so the solver first maximises the number of allowed links and
 *   then minimises their total cost; forbidden pairs are dropped afterwards). Optimal assignment
 *   with the SciPy-identical solver.
 * - **Gap closing.** A track stays live while its missed frames (frames since last seen − 1) are
 *   ≤ `motion_model.max_lost`; after that it is terminated for good.
 * - **Divisions** (when the table has `area`): an unassigned detection whose nearest (to its
 *   prediction) track got a detection in the same frame, within `max_search_radius`, with both
 *   that detection and the unassigned one smaller than the mother's last area, starts a daughter
 *   track with `parent_track_id` = mother id; the mother's id continues through the linked
 *   daughter (as in HiTMicTools v5). One extra daughter per mother per frame.
 * - Unassigned detections otherwise start new tracks (ids continue; first-frame ids in row order).
 *
 * What it does **not** do (btrack's full pipeline): no tracklet-level global optimisation — no
 * hypothesis generation (P_FP, P_init, P_term, P_link, P_branch, P_dead, P_merge), no GLPK/MAP
 * solve over whole tracklets, so `hypothesis_model`, `lambda_*`, `theta_*`, `dist_thresh`,
 * `time_thresh`, `segmentation_miss_rate`, `apoptosis_rate` and `relax` are parsed but unused; no
 * visual features or object (HMM) model; `accuracy` and `prob_not_assign` (btrack's Bayesian
 * belief-matrix probabilities) are not used; links are decided greedily frame by frame, so
 * mistakes are never revisited. Track ids therefore differ from btrack's.
 */
import { linearSumAssignment } from '../assignment';
import { TrackingConfigError } from '../errors';
import { percentileLinear, trackLengthStats } from '../stats';
import { groupByFrame, validateTable } from '../table';
import type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from '../types';
import { KalmanModel, type KalmanState } from './kalman';
import type { BtrackConfig } from './types';

export interface KalmanLinkerOptions {
  /** Cost of a candidate link [mahalanobis]. */
  metric?: 'mahalanobis' | 'euclidean';
  /** Start daughter tracks on divisions (needs an `area` column) [true]. */
  detectDivisions?: boolean;
}

interface LiveTrack {
  id: number;
  kf: KalmanState;
  lastSeen: number;
  lastY: number;
  lastX: number;
  area: number;
}

const FORBIDDEN = 1e12;

/** Runs the linker. Pure; `logger` receives a one-line summary. */
export function trackKalman(
  config: BtrackConfig,
  table: DetectionTable,
  options: KalmanLinkerOptions = {},
  logger?: TrackingLogger,
): TrackingResult {
  validateTable(table);
  const mm = config.motion_model;
  if (mm.measurements < 2 || mm.measurements > 3) {
    throw new TrackingConfigError(
      'motion_model.measurements',
      '2 (x, y) or 3 (x, y, z)',
      String(mm.measurements),
      'Use a btrack motion model measuring x, y and z (measurements: 3).',
    );
  }
  const metric = options.metric ?? 'mahalanobis';
  const divisions = (options.detectDivisions ?? true) && table.area !== undefined;
  const kal = new KalmanModel(mm);
  const m = mm.measurements;
  const radius = config.max_search_radius;
  const { centroid_0: Y, centroid_1: X, area: AREA } = table;
  const n = table.frame.length;
  const trackid = new Int32Array(n).fill(-1);
  const parentOf = new Map<number, number>();
  const { frames, rows } = groupByFrame(table.frame);
  const meas = (row: number): Float64Array => {
    const z = new Float64Array(m);
    z[0] = X[row];
    z[1] = Y[row];
    return z;
  };
  let live: LiveTrack[] = [];
  let nextId = 0;
  let links = 0;
  let bridged = 0;
  let nNew = 0;
  let nDiv = 0;
  const dists: number[] = [];
  let prevFrame = frames.length ? frames[0] : 0;

  const start = (row: number, f: number, mother: number): void => {
    const id = nextId++;
    trackid[row] = id;
    if (mother >= 0) parentOf.set(id, mother);
    live.push({
      id,
      kf: kal.init(meas(row)),
      lastSeen: f,
      lastY: Y[row],
      lastX: X[row],
      area: AREA ? AREA[row] : 0,
    });
    if (mother < 0) nNew++;
  };

  for (let fi = 0; fi < frames.length; fi++) {
    const f = frames[fi];
    const cur = rows[fi];
    live = live.filter((t) => f - t.lastSeen - 1 <= mm.max_lost);
    for (const t of live) for (let k = prevFrame; k < f; k++) kal.predict(t.kf);
    prevFrame = f;
    const nt = live.length;
    const nc = cur.length;
    const assignedTo = new Int32Array(nc).fill(-1); // col → index into live
    const trackGot = new Int32Array(nt).fill(-1); // live index → col
    if (nt > 0 && nc > 0) {
      const cost = new Float64Array(nt * nc);
      const zs = Array.from(cur, (row) => meas(row));
      for (let r = 0; r < nt; r++) {
        const t = live[r];
        const hx = kal.measurement(t.kf);
        const Sinv = metric === 'mahalanobis' ? kal.innovationInverse(t.kf) : null;
        const r2 = radius * radius;
        for (let c = 0; c < nc; c++) {
          const z = zs[c];
          const dx = z[0] - hx[0];
          const dy = z[1] - hx[1];
          const e2 = dx * dx + dy * dy;
          if (e2 > r2) {
            cost[r * nc + c] = FORBIDDEN;
            continue;
          }
          if (!Sinv) {
            cost[r * nc + c] = Math.sqrt(e2);
            continue;
          }
          let d2 = 0;
          for (let i = 0; i < m; i++) {
            const yi = z[i] - hx[i];
            for (let j = 0; j < m; j++) d2 += yi * Sinv[i * m + j] * (z[j] - hx[j]);
          }
          cost[r * nc + c] = Math.sqrt(Math.max(d2, 0));
        }
      }
      const a = linearSumAssignment(cost, nt, nc);
      for (let k = 0; k < a.rowInd.length; k++) {
        const r = a.rowInd[k];
        const c = a.colInd[k];
        if (cost[r * nc + c] >= FORBIDDEN) continue;
        assignedTo[c] = r;
        trackGot[r] = c;
      }
    }
    const motherArea = live.map((t) => t.area);
    const motherPred = live.map((t) => kal.measurement(t.kf));
    for (let r = 0; r < nt; r++) {
      const c = trackGot[r];
      if (c < 0) continue;
      const t = live[r];
      const row = cur[c];
      kal.update(t.kf, meas(row));
      if (f - t.lastSeen >= 2) bridged++;
      dists.push(Math.hypot(Y[row] - t.lastY, X[row] - t.lastX));
      links++;
      trackid[row] = t.id;
      t.lastSeen = f;
      t.lastY = Y[row];
      t.lastX = X[row];
      if (AREA) t.area = AREA[row];
    }
    const hadDaughter = new Uint8Array(nt);
    for (let c = 0; c < nc; c++) {
      if (assignedTo[c] >= 0) continue;
      const row = cur[c];
      let mother = -1;
      if (divisions && AREA) {
        let best = Infinity;
        for (let r = 0; r < nt; r++) {
          if (trackGot[r] < 0 || hadDaughter[r]) continue;
          const d = Math.hypot(X[row] - motherPred[r][0], Y[row] - motherPred[r][1]);
          if (d > radius || d >= best) continue;
          if (AREA[row] < motherArea[r] && AREA[cur[trackGot[r]]] < motherArea[r]) {
            best = d;
            mother = r;
          }
        }
      }
      if (mother >= 0) {
        hadDaughter[mother] = 1;
        nDiv++;
        start(row, f, live[mother].id);
      } else start(row, f, -1);
    }
  }

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = parentOf.get(trackid[i]) ?? -1;
  const st = trackLengthStats(trackid, table.frame, frames.length);
  const summary: TrackingSummary = {
    tracker: 'btrack-kalman',
    frames: frames.length,
    detections: n,
    ...st,
    links,
    bridgedLinks: bridged,
    newTracks: nNew,
    meanLinkDistance: dists.length ? dists.reduce((s, d) => s + d, 0) / dists.length : 0,
    p95LinkDistance: percentileLinear(dists, 95),
    maxLinkDistance: dists.reduce((mx, d) => Math.max(mx, d), 0),
    reidentified: 0,
    divisions: nDiv,
    stitches: 0,
    tracksBeforeStitching: st.tracks,
  };
  logger?.info(
    `Kalman linker (btrack config '${config.name}', ${metric}, max_search_radius=${radius}, max_lost=${mm.max_lost}): tracks=${st.tracks}, links=${links}, bridged=${bridged}, new=${nNew}, divisions=${nDiv}`,
  );
  return { trackid, parent_track_id: parent, summary };
}

/** A {@link Tracker} running the Kalman linker with one btrack config. */
export function createKalmanLinker(
  config: BtrackConfig,
  options: KalmanLinkerOptions = {},
): Tracker & { config: BtrackConfig } {
  return {
    config,
    description: `Kalman linker from btrack config '${config.name}' (${config.motion_model.name}, max_search_radius=${config.max_search_radius}, max_lost=${config.motion_model.max_lost})`,
    track: (table, logger) => trackKalman(config, table, options, logger),
  };
}

/**
 * HiTMicTools' Hungarian tracker v5 (`tracking/hungarian_tracker_v5.py`, opt-in `version: v5`),
 * reproduced step by step, per frame after the first (whose detections start tracks 0, 1, 2, …):
 *
 * 1. **Link.** Eligible = active tracks with `frame − last ≤ gap_bridge_frames`, in the Python
 *    dict's insertion order (a re-identified track re-enters at the end). Cost = distance
 *    + area_weight·max_distance·|ΔA|/max(min(A1,A2),1) + shape_weight·max_distance·½(relΔmajor
 *    + relΔminor) (axis denominators floored at 0.5; each term only when its weight > 0 and its
 *    columns exist). SciPy-identical assignment on the cost, then pairs kept only where the
 *    **pure distance** ≤ max_distance.
 * 2. **Divisions** (detect_divisions and an `area` column). For each linked detection, in CPython
 *    set order (see python-set-order.ts), whose area ≤ max_ratio × the track's pre-link area: the
 *    unlinked detection of the same frame with area ratio in [min_ratio, max_ratio] (inclusive)
 *    nearest to it, at distance < division_search_radius (strict; first column wins ties), is the
 *    sister. The daughter nearer the mother's previous centroid keeps the mother's id (ties keep
 *    the linked one); the other gets the next id and `parent_track_id` = mother.
 * 3. **Re-identification** (reid_enabled). Still-unlinked detections vs retired tracks last seen
 *    ≤ reid_max_gap frames ago: cost = distance, set to 1e9 where distance > reid_max_distance,
 *    relative area change > reid_area_tol or relative shape change > reid_shape_tol; assignment;
 *    pairs at 1e9 rejected. Only tracks retired at an earlier frame are visible.
 * 4. Remaining detections start new tracks. Then active tracks with `last < frame − gap` move to
 *    retired, and retired tracks with `last < frame − reid_max_gap` are forgotten.
 *
 * `parent_track_id` is computed from the ids before stitching and not remapped. Finally, unless
 * `stitch_max_distance` is null or ≤ 0, tracks are stitched (stitch.ts).
 */
import { linearSumAssignment } from './assignment';
import { checkV5Params, HUNGARIAN_V5_DEFAULTS, type HungarianV5Params } from './hungarian-v5-params';
import { PythonIntSet } from './python-set-order';
import { percentileLinear, trackLengthStats } from './stats';
import { stitchTracks } from './stitch';
import { groupByFrame, validateTable } from './table';
import type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from './types';

interface V5Track {
  c0: number;
  c1: number;
  area: number;
  major: number;
  minor: number;
  last: number;
}

const REID_FORBIDDEN = 1e9;

/** |a − b| / max(min(a, b), floor), elementwise as NumPy computes it. */
function relChange(a: number, b: number, floor: number): number {
  return Math.abs(a - b) / Math.max(Math.min(a, b), floor);
}

/** Runs Hungarian v5 on a detection table. Pure; `logger` receives HiTMicTools' summary lines. */
export function trackHungarianV5(
  table: DetectionTable,
  params: HungarianV5Params = HUNGARIAN_V5_DEFAULTS,
  logger?: TrackingLogger,
): TrackingResult {
  checkV5Params(params);
  validateTable(table);
  const p = params;
  const n = table.frame.length;
  const hasArea = table.area !== undefined;
  const hasShape = table.major_axis_length !== undefined && table.minor_axis_length !== undefined;
  const Y = table.centroid_0;
  const X = table.centroid_1;
  const A = table.area ?? new Float64Array(n).fill(1);
  const MAJ = hasShape ? (table.major_axis_length as Float64Array) : new Float64Array(n);
  const MIN = hasShape ? (table.minor_axis_length as Float64Array) : new Float64Array(n);
  const stateOf = (row: number, f: number): V5Track => ({
    c0: Y[row],
    c1: X[row],
    area: A[row],
    major: MAJ[row],
    minor: MIN[row],
    last: f,
  });

  const trackid = new Int32Array(n).fill(-1);
  const { frames, rows } = groupByFrame(table.frame);
  const active = new Map<number, V5Track>();
  let retired = new Map<number, V5Track>();
  const parentOf = new Map<number, number>();
  let nextId = 0;
  let nLink = 0;
  let nNew = 0;
  let nBridged = 0;
  let nReid = 0;
  let nDiv = 0;
  const linkDistances: number[] = [];

  if (frames.length > 0) {
    for (const row of rows[0]) {
      trackid[row] = nextId;
      active.set(nextId++, stateOf(row, frames[0]));
      nNew++;
    }
  }

  for (let fi = 1; fi < frames.length; fi++) {
    const f = frames[fi];
    const cur = rows[fi];
    const nc = cur.length;
    const eligible: number[] = [];
    for (const [tid, t] of active) if (f - t.last <= p.gap_bridge_frames) eligible.push(tid);
    const linked = new PythonIntSet();
    const preArea = new Map<number, number>();
    const preC0 = new Map<number, number>();
    const preC1 = new Map<number, number>();
    for (const tid of eligible) {
      const t = active.get(tid) as V5Track;
      preArea.set(tid, t.area);
      preC0.set(tid, t.c0);
      preC1.set(tid, t.c1);
    }

    // 1. link
    if (eligible.length > 0) {
      const nr = eligible.length;
      const dist = new Float64Array(nr * nc);
      const cost = new Float64Array(nr * nc);
      const areaTerm = p.area_weight > 0 && hasArea;
      const shapeTerm = p.shape_weight > 0 && hasShape;
      const wA = p.area_weight * p.max_distance;
      const wS = p.shape_weight * p.max_distance * 0.5;
      for (let r = 0; r < nr; r++) {
        const t = active.get(eligible[r]) as V5Track;
        for (let c = 0; c < nc; c++) {
          const row = cur[c];
          const d0 = t.c0 - Y[row];
          const d1 = t.c1 - X[row];
          const d = Math.sqrt(d0 * d0 + d1 * d1);
          let k = d;
          if (areaTerm) k = k + wA * relChange(t.area, A[row], 1.0);
          if (shapeTerm) k = k + wS * (relChange(t.major, MAJ[row], 0.5) + relChange(t.minor, MIN[row], 0.5));
          dist[r * nc + c] = d;
          cost[r * nc + c] = k;
        }
      }
      const a = linearSumAssignment(cost, nr, nc);
      for (let k = 0; k < a.rowInd.length; k++) {
        const r = a.rowInd[k];
        const c = a.colInd[k];
        const d = dist[r * nc + c];
        if (d <= p.max_distance) {
          const tid = eligible[r];
          const row = cur[c];
          trackid[row] = tid;
          if (f - (active.get(tid) as V5Track).last >= 2) nBridged++;
          active.set(tid, stateOf(row, f));
          linked.add(c);
          nLink++;
          linkDistances.push(d);
        }
      }
    }

    // 2. divisions
    if (p.detect_divisions && hasArea) {
      const [minRatio, maxRatio] = p.division_area_ratio_range;
      for (const col of linked.toArray()) {
        const row = cur[col];
        const tid = trackid[row];
        const parentArea = preArea.get(tid);
        if (parentArea === undefined || parentArea <= 0) continue;
        if (A[row] / parentArea > maxRatio) continue;
        let bestCol = -1;
        let best = Infinity;
        for (let other = 0; other < nc; other++) {
          if (linked.has(other)) continue;
          const ratio = A[cur[other]] / parentArea;
          if (!(minRatio <= ratio && ratio <= maxRatio)) continue;
          const dd = Math.hypot(Y[row] - Y[cur[other]], X[row] - X[cur[other]]);
          if (dd < p.division_search_radius && dd < best) {
            best = dd;
            bestCol = other;
          }
        }
        if (bestCol < 0) continue;
        const row2 = cur[bestCol];
        const m0 = preC0.get(tid) as number;
        const m1 = preC1.get(tid) as number;
        const d1ToMother = Math.hypot(Y[row] - m0, X[row] - m1);
        const d2ToMother = Math.hypot(Y[row2] - m0, X[row2] - m1);
        const newTid = nextId++;
        parentOf.set(newTid, tid);
        if (d2ToMother < d1ToMother) {
          trackid[row] = newTid;
          trackid[row2] = tid;
          active.set(tid, stateOf(row2, f));
          active.set(newTid, stateOf(row, f));
        } else {
          trackid[row2] = newTid;
          active.set(newTid, stateOf(row2, f));
        }
        linked.add(bestCol);
        nDiv++;
      }
    }

    // 3. re-identification
    if (p.reid_enabled && retired.size > 0) {
      const still: number[] = [];
      for (let c = 0; c < nc; c++) if (!linked.has(c)) still.push(c);
      const ids: number[] = [];
      for (const [tid, t] of retired) if (f - t.last <= p.reid_max_gap) ids.push(tid);
      if (still.length > 0 && ids.length > 0) {
        const nr = ids.length;
        const ns = still.length;
        const cost = new Float64Array(nr * ns);
        let anyAllowed = false;
        for (let r = 0; r < nr; r++) {
          const t = retired.get(ids[r]) as V5Track;
          for (let s = 0; s < ns; s++) {
            const row = cur[still[s]];
            const d0 = t.c0 - Y[row];
            const d1 = t.c1 - X[row];
            const d = Math.sqrt(d0 * d0 + d1 * d1);
            const relArea = relChange(t.area, A[row], 1.0);
            const relShape = hasShape
              ? 0.5 * (relChange(t.major, MAJ[row], 0.5) + relChange(t.minor, MIN[row], 0.5))
              : 0;
            let k = d;
            if (d > p.reid_max_distance) k = REID_FORBIDDEN;
            if (relArea > p.reid_area_tol) k = REID_FORBIDDEN;
            if (relShape > p.reid_shape_tol) k = REID_FORBIDDEN;
            cost[r * ns + s] = k;
            if (k < REID_FORBIDDEN) anyAllowed = true;
          }
        }
        if (anyAllowed) {
          const a = linearSumAssignment(cost, nr, ns);
          for (let k = 0; k < a.rowInd.length; k++) {
            if (cost[a.rowInd[k] * ns + a.colInd[k]] >= REID_FORBIDDEN) continue;
            const tid = ids[a.rowInd[k]];
            const pos = still[a.colInd[k]];
            const row = cur[pos];
            trackid[row] = tid;
            active.set(tid, stateOf(row, f));
            retired.delete(tid);
            linked.add(pos);
            nReid++;
          }
        }
      }
    }

    // 4. new tracks, retirement
    for (let c = 0; c < nc; c++) {
      if (linked.has(c)) continue;
      trackid[cur[c]] = nextId;
      active.set(nextId++, stateOf(cur[c], f));
      nNew++;
    }
    const activeCutoff = f - p.gap_bridge_frames;
    for (const [tid, t] of active) {
      if (t.last < activeCutoff) {
        active.delete(tid);
        retired.set(tid, t);
      }
    }
    const retiredCutoff = f - p.reid_max_gap;
    const kept = new Map<number, V5Track>();
    for (const [tid, t] of retired) if (t.last >= retiredCutoff) kept.set(tid, t);
    retired = kept;
  }

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = parentOf.get(trackid[i]) ?? -1;
  const before = trackLengthStats(trackid, table.frame, frames.length).tracks;
  logger?.info(
    `Hungarian tracking v5 summary: tracks=${before}, link=${nLink}, new=${nNew}, bridged=${nBridged}, reid=${nReid}, divisions=${nDiv}`,
  );

  let finalIds: Int32Array = trackid;
  let stitches = 0;
  if (p.stitch_max_distance !== null && p.stitch_max_distance > 0 && n > 0) {
    const s = stitchTracks(trackid, table.frame, Y, X, p.stitch_max_distance);
    finalIds = s.trackid;
    stitches = s.stitches;
    logger?.info(`Hungarian v5 track stitching: ${stitches} merges applied`);
  }
  const st = trackLengthStats(finalIds, table.frame, frames.length);
  const summary: TrackingSummary = {
    tracker: 'hungarian-v5',
    frames: frames.length,
    detections: n,
    ...st,
    links: nLink,
    bridgedLinks: nBridged,
    newTracks: nNew,
    meanLinkDistance: linkDistances.length
      ? linkDistances.reduce((s, d) => s + d, 0) / linkDistances.length
      : 0,
    p95LinkDistance: percentileLinear(linkDistances, 95),
    maxLinkDistance: linkDistances.reduce((m, d) => Math.max(m, d), 0),
    reidentified: nReid,
    divisions: nDiv,
    stitches,
    tracksBeforeStitching: before,
  };
  return { trackid: finalIds, parent_track_id: parent, summary, trackidBeforeStitching: trackid };
}

/** A {@link Tracker} running Hungarian v5 with fixed parameters (defaults filled in). */
export function createHungarianV5(
  params: Partial<HungarianV5Params> = {},
): Tracker & { params: HungarianV5Params } {
  const p: HungarianV5Params = { ...HUNGARIAN_V5_DEFAULTS, ...params };
  checkV5Params(p);
  return {
    params: p,
    description: `Hungarian v5 (max_distance=${p.max_distance}, gap_bridge_frames=${p.gap_bridge_frames})`,
    track: (table, logger) => trackHungarianV5(table, p, logger),
  };
}

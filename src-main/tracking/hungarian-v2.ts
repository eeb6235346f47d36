/**
 * HiTMicTools' Hungarian tracker v2 (`tracking/hungarian_tracker.py`, the default Hungarian
 * version), reproduced exactly:
 *
 * - Frames are the sorted distinct `frame` values. Every detection of the first frame starts a
 *   track; ids 0, 1, 2, … in row order.
 * - For each later frame, the eligible tracks are the active ones with
 *   `current frame − last seen frame ≤ gap_bridge_frames` (frame values, not indices), in id order.
 *   Cost = Euclidean distance from each track's last centroid (no motion model) to each detection;
 *   optimal assignment over the whole matrix (SciPy-identical), then pairs with cost > max_distance
 *   are rejected. Unassigned detections start new tracks (ids continue). Tracks silent longer than
 *   the window are dropped.
 * - Consequences (verified against Python): `gap_bridge_frames` 1 links consecutive frames only, 2
 *   tolerates one missing frame, 0 links nothing (the Python docstring's "0 = v1" is wrong).
 * - Class-agnostic; no divisions (`parent_track_id` is all −1); area/shape ignored.
 */
import { linearSumAssignment } from './assignment';
import { TrackingConfigError } from './errors';
import { percentileLinear, trackLengthStats } from './stats';
import { groupByFrame, validateTable } from './table';
import type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from './types';

export interface HungarianV2Params {
  /** Maximum linking distance in pixels [25.0]; pairs beyond it are left unlinked. */
  max_distance: number;
  /** Frames a track may stay unseen and still be linked [2]; see the module comment. */
  gap_bridge_frames: number;
}

export const HUNGARIAN_V2_DEFAULTS: Readonly<HungarianV2Params> = Object.freeze({
  max_distance: 25.0,
  gap_bridge_frames: 2,
});

interface V2Track {
  c0: number;
  c1: number;
  last: number;
}

function checkParams(p: HungarianV2Params): void {
  if (!(typeof p.max_distance === 'number' && p.max_distance >= 0)) {
    throw new TrackingConfigError(
      'tracking.parameters.max_distance',
      'a number ≥ 0 (pixels)',
      String(p.max_distance),
      'Set max_distance to the largest plausible displacement per frame, e.g. 25.0.',
    );
  }
  if (!(typeof p.gap_bridge_frames === 'number' && Number.isFinite(p.gap_bridge_frames))) {
    throw new TrackingConfigError(
      'tracking.parameters.gap_bridge_frames',
      'a number of frames (e.g. 2)',
      String(p.gap_bridge_frames),
      'Set gap_bridge_frames to 1 (consecutive frames only) or more.',
    );
  }
}

/** Runs Hungarian v2 on a detection table. Pure; `logger` receives HiTMicTools' summary text. */
export function trackHungarianV2(
  table: DetectionTable,
  params: HungarianV2Params = HUNGARIAN_V2_DEFAULTS,
  logger?: TrackingLogger,
): TrackingResult {
  checkParams(params);
  validateTable(table);
  const n = table.frame.length;
  const trackid = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const { frames, rows } = groupByFrame(table.frame);
  const { centroid_0: y, centroid_1: x } = table;
  const { max_distance: maxDist, gap_bridge_frames: gap } = params;

  const active = new Map<number, V2Track>();
  let nextId = 0;
  let links = 0;
  let bridged = 0;
  let newTracks = 0;
  const distances: number[] = [];

  const start = (row: number, f: number): void => {
    trackid[row] = nextId;
    active.set(nextId++, { c0: y[row], c1: x[row], last: f });
    newTracks++;
  };

  if (frames.length > 0) for (const row of rows[0]) start(row, frames[0]);

  for (let fi = 1; fi < frames.length; fi++) {
    const f = frames[fi];
    const cur = rows[fi];
    const eligible: number[] = [];
    for (const [tid, t] of active) if (f - t.last <= gap) eligible.push(tid);
    if (eligible.length === 0) {
      for (const row of cur) start(row, f);
      continue;
    }
    const nr = eligible.length;
    const nc = cur.length;
    const cost = new Float64Array(nr * nc);
    const cy = Float64Array.from(cur, (row) => y[row]);
    const cx = Float64Array.from(cur, (row) => x[row]);
    for (let r = 0; r < nr; r++) {
      const t = active.get(eligible[r]) as V2Track;
      const ty = t.c0;
      const tx = t.c1;
      const base = r * nc;
      for (let c = 0; c < nc; c++) {
        const d0 = ty - cy[c];
        const d1 = tx - cx[c];
        cost[base + c] = Math.sqrt(d0 * d0 + d1 * d1);
      }
    }
    const a = linearSumAssignment(cost, nr, nc);
    const linked = new Uint8Array(nc);
    for (let k = 0; k < a.rowInd.length; k++) {
      const r = a.rowInd[k];
      const c = a.colInd[k];
      const d = cost[r * nc + c];
      if (d <= maxDist) {
        const tid = eligible[r];
        const t = active.get(tid) as V2Track;
        const row = cur[c];
        trackid[row] = tid;
        if (f - t.last >= 2) bridged++;
        t.c0 = y[row];
        t.c1 = x[row];
        t.last = f;
        linked[c] = 1;
        links++;
        distances.push(d);
      }
    }
    for (let c = 0; c < nc; c++) if (!linked[c]) start(cur[c], f);
    const cutoff = f - gap;
    for (const [tid, t] of active) if (t.last < cutoff) active.delete(tid);
  }

  const st = trackLengthStats(trackid, table.frame, frames.length);
  const summary: TrackingSummary = {
    tracker: 'hungarian-v2',
    frames: frames.length,
    detections: n,
    ...st,
    links,
    bridgedLinks: bridged,
    newTracks,
    meanLinkDistance: distances.length ? distances.reduce((s, d) => s + d, 0) / distances.length : 0,
    p95LinkDistance: percentileLinear(distances, 95),
    maxLinkDistance: distances.reduce((m, d) => Math.max(m, d), 0),
    reidentified: 0,
    divisions: 0,
    stitches: 0,
    tracksBeforeStitching: st.tracks,
  };
  logger?.info(formatV2Summary(summary, params));
  return { trackid, parent_track_id: parent, summary };
}

/** HiTMicTools' "Hungarian tracking v2 summary" log text. */
export function formatV2Summary(s: TrackingSummary, p: HungarianV2Params): string {
  const pct = (100 * s.bridgedLinks) / Math.max(s.links, 1);
  return [
    'Hungarian tracking v2 summary:',
    `  Config: max_distance=${p.max_distance}, gap_bridge_frames=${p.gap_bridge_frames}`,
    `  Frames: ${s.frames}, Detections: ${s.detections}`,
    `  Tracks: ${s.tracks} total, ${s.fullLengthTracks} full-length (${s.frames}f), ${s.singleFrameTracks} single-frame`,
    `  Links: ${s.links} total, ${s.bridgedLinks} via gap bridging (${pct.toFixed(1)}%), ${s.newTracks} new tracks`,
    `  Distances: mean=${s.meanLinkDistance.toFixed(1)}px, p95=${s.p95LinkDistance.toFixed(1)}px, max=${s.maxLinkDistance.toFixed(1)}px (cutoff=${p.max_distance}px)`,
    `  Track length: median=${s.medianTrackLength.toFixed(0)} frames`,
  ].join('\n');
}

/** A {@link Tracker} running Hungarian v2 with fixed parameters. */
export function createHungarianV2(
  params: Partial<HungarianV2Params> = {},
): Tracker & { params: HungarianV2Params } {
  const p: HungarianV2Params = { ...HUNGARIAN_V2_DEFAULTS, ...params };
  checkParams(p);
  return {
    params: p,
    description: `Hungarian v2 (max_distance=${p.max_distance}, gap_bridge_frames=${p.gap_bridge_frames})`,
    track: (table, logger) => trackHungarianV2(table, p, logger),
  };
}

/**
 * The tracker a btrack configuration drives (the `btrack` backend), in two passes as btrack runs:
 *
 * 1. **Tracklets** (tracklets.ts): frame-to-frame linking under the config's Kalman motion model
 *    (A, H, P, R, Q = Gᵀ·G or Q), gated by `max_search_radius` and `accuracy`, with
 *    `prob_not_assign` as the price of leaving a track or a detection unlinked, and gap closing
 *    within `max_lost` frames.
 * 2. **Global assignment** (global.ts), when the config has a `hypothesis_model`: every tracklet's
 *    start and end explained once by btrack's hypotheses (P_init, P_term, P_link, P_branch,
 *    P_FP through P_TP) with its lambdas, thresholds and `relax`, solved as one linear assignment.
 *    Divisions come out of it: the mother's track ends at t, both daughters start at t + 1 with
 *    `parent_track_id` = the mother (the Cell Tracking Challenge convention).
 *
 * Ids: a track is a chain of tracklets joined by links; ids are given in order of first frame,
 * then first row. docs/tracking.md lists every btrack parameter and what it does here.
 */
import { TrackingConfigError } from '../errors';
import { percentileLinear, trackLengthStats } from '../stats';
import { groupByFrame, validateTable } from '../table';
import type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from '../types';
import { linkTracklets } from './global';
import { HypothesisCosts, hypothesisParams, type Volume } from './hypotheses';
import { buildTracklets } from './tracklets';
import type { BtrackConfig } from './types';

export interface KalmanLinkerOptions {
  /**
   * Area ratio (new / last) a frame-to-frame link may have [0.67, 1.5]; outside it the tracklet
   * ends (a division or a segmentation change, for the global pass to explain). Needs `area`.
   */
  linkAreaRatio?: [number, number];
  /** Daughter area / mother's last area for a division [0.3, 0.75]. Needs `area`. */
  divisionAreaRatio?: [number, number];
  /** Field of view for btrack's border distances; by default (0, 0)–(max x, max y) of the data, as HiTMicTools sets it. */
  volume?: Volume;
}

export const KALMAN_LINKER_DEFAULTS = {
  linkAreaRatio: [0.67, 1.5] as [number, number],
  divisionAreaRatio: [0.3, 0.75] as [number, number],
};

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
  const n = table.frame.length;
  const groups = groupByFrame(table.frame);
  const { frames } = groups;
  const linkAreaRatio = options.linkAreaRatio ?? KALMAN_LINKER_DEFAULTS.linkAreaRatio;
  const pass1 = buildTracklets(config, table, groups, { areaRatio: linkAreaRatio });
  const { tracklets } = pass1;
  const nt = tracklets.length;
  let next: Int32Array = new Int32Array(nt).fill(-1);
  let daughters: number[][] = Array.from({ length: nt }, () => []);
  let links = pass1.links;
  let bridged = pass1.bridged;
  const dists = [...pass1.linkDistances];
  // btrack's enable_optimisation: false skips its optimiser, and so the global pass here.
  const optimise = config.raw.enable_optimisation !== false;
  if (config.hypothesis_model && optimise && nt > 0) {
    let maxX = 0;
    let maxY = 0;
    for (let i = 0; i < n; i++) {
      maxX = Math.max(maxX, table.centroid_1[i]);
      maxY = Math.max(maxY, table.centroid_0[i]);
    }
    const volume = options.volume ?? { minX: 0, maxX, minY: 0, maxY };
    const costs = new HypothesisCosts(
      hypothesisParams(config.hypothesis_model),
      [frames[0], frames[frames.length - 1]],
      volume,
    );
    const g = linkTracklets(tracklets, table, costs, {
      divisionAreaRatio: options.divisionAreaRatio ?? KALMAN_LINKER_DEFAULTS.divisionAreaRatio,
      maxLinkAreaRatio: linkAreaRatio[1],
    });
    next = g.next;
    daughters = g.daughters;
    links += g.links;
    bridged += g.bridged;
    dists.push(...g.linkDistances);
  }

  // Track ids: chains of tracklets, numbered by first frame then first row.
  const hasPrev = new Uint8Array(nt);
  const motherOf = new Int32Array(nt).fill(-1);
  for (let i = 0; i < nt; i++) {
    if (next[i] >= 0) hasPrev[next[i]] = 1;
    for (const d of daughters[i]) motherOf[d] = i;
  }
  const order = Array.from({ length: nt }, (_, i) => i).sort(
    (a, b) => tracklets[a].first - tracklets[b].first || tracklets[a].rows[0] - tracklets[b].rows[0],
  );
  const idOf = new Int32Array(nt).fill(-1);
  const parentIdOf = new Int32Array(nt).fill(-1);
  let nextId = 0;
  let nNew = 0;
  let nDiv = 0;
  for (const i of order) {
    if (idOf[i] >= 0) continue; // reached through a chain already
    const id = nextId++;
    const mother = motherOf[i];
    if (mother < 0) nNew++;
    for (let k = i; k >= 0 && idOf[k] < 0; k = next[k]) {
      idOf[k] = id;
      // A chain's mother is the tracklet that divided into its first member.
      parentIdOf[k] = mother >= 0 ? idOf[mother] : -1;
    }
  }
  for (let i = 0; i < nt; i++) if (daughters[i].length > 0) nDiv++;
  const trackid = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  tracklets.forEach((t, i) => {
    for (const row of t.rows) {
      trackid[row] = idOf[i];
      parent[row] = parentIdOf[i];
    }
  });

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
    `btrack-config linker ('${config.name}', max_search_radius=${config.max_search_radius}, max_lost=${mm.max_lost}${config.hypothesis_model ? '' : ', no hypothesis model: tracklets only'}): tracklets=${nt}, tracks=${st.tracks}, links=${links}, bridged=${bridged}, new=${nNew}, divisions=${nDiv}`,
  );
  return { trackid, parent_track_id: parent, summary };
}

/** A {@link Tracker} running the btrack-config linker with one config. */
export function createKalmanLinker(
  config: BtrackConfig,
  options: KalmanLinkerOptions = {},
): Tracker & { config: BtrackConfig } {
  return {
    config,
    description: `btrack-config linker '${config.name}' (${config.motion_model.name}, max_search_radius=${config.max_search_radius}, max_lost=${config.motion_model.max_lost}${config.hypothesis_model ? ', global assignment of tracklets' : ''})`,
    track: (table, logger) => trackKalman(config, table, options, logger),
  };
}

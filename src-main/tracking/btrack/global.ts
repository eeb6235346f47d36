/**
 * Second pass of the btrack-config linker: one global assignment over whole tracklets, the
 * problem btrack's optimiser solves (every tracklet's start and end explained exactly once by
 * init / term / link / branch), posed as a linear assignment (link-lap.ts) instead of btrack's
 * integer program:
 *
 * - rows: each tracklet end E_i, and — when the config allows P_branch — a second "daughter" row
 *   D_i; columns: each tracklet start S_j;
 * - E_i → S_j is a link (or a division's first daughter): cost −ln P_link + ½·ln P_TP of each;
 * - D_i → S_k is a division's second daughter: cost −ln P_branch − ½·ln P_TP(k) − ln P_link(d_k);
 *   so a division costs btrack's branch hypothesis times the two daughters' link probabilities
 *   (btrack itself does not weigh where the daughters are, only that they lie within dist_thresh,
 *   which in a packed colony lets any two nearby starts become daughters);
 * - E_i alone costs P_term (hypotheses.ts), S_j alone P_init, D_i alone nothing.
 *
 * Divisions must also look like one where the table has `area`: each daughter's area is within
 * `divisionAreaRatio` of the mother's last area (a daughter candidate outside it is not offered),
 * and after the solve a division whose first daughter is not daughter-sized, or whose daughters
 * start in different frames, is undone (the first stays a link, the second starts a track).
 * A D row used alone (its E row left unlinked) is the same as a link.
 */
import { solveLinks } from '../link-lap';
import type { DetectionTable } from '../types';
import { DAUGHTER_OFFSET, exchangeDaughters, spotDistance, type MotherSpots } from './divisions';
import { HypothesisCosts } from './hypotheses';
import type { Tracklet } from './tracklets';

export interface GlobalOptions {
  /** Daughter area / mother's last area for a division; null = no area check. */
  divisionAreaRatio: [number, number] | null;
  /** Largest area ratio (new / old) of a link across tracklets; null = no check. */
  maxLinkAreaRatio: number | null;
}

/** What the global pass decided for every tracklet. */
export interface GlobalLinks {
  /** Tracklet that continues tracklet i, or −1. */
  next: Int32Array;
  /** Daughter tracklets of tracklet i ([] when it does not divide). */
  daughters: number[][];
  links: number;
  bridged: number;
  linkDistances: number[];
  /** Divisions whose daughters exchangeDaughters re-paired. */
  exchanged: number;
}

export function linkTracklets(
  tracklets: Tracklet[],
  table: DetectionTable,
  costs: HypothesisCosts,
  options: GlobalOptions,
): GlobalLinks {
  const n = tracklets.length;
  const { centroid_0: Y, centroid_1: X, area: AREA, major_axis_length: MAJOR, orientation: ANGLE } = table;
  const hp = costs.p;
  const divArea = options.divisionAreaRatio && AREA ? options.divisionAreaRatio : null;
  const branching = costs.allowed('P_branch');
  const linking = costs.allowed('P_link');
  const firstRow = tracklets.map((t) => t.rows[0]);
  const lastRow = tracklets.map((t) => t.rows[t.rows.length - 1]);
  const half = tracklets.map((t) => costs.halfTrue(t.last - t.first));

  // Starts by frame, for the candidate search.
  const startsAt = new Map<number, number[]>();
  tracklets.forEach((t, j) => {
    const list = startsAt.get(t.first);
    if (list) list.push(j);
    else startsAt.set(t.first, [j]);
  });

  // Where each tracklet's daughters would appear one frame after its end (divisions.ts).
  const spots: MotherSpots = {
    x: new Float64Array(n),
    y: new Float64Array(n),
    ux: new Float64Array(n),
    uy: new Float64Array(n),
  };

  const linkSource: number[] = [];
  const linkTarget: number[] = [];
  const linkCost: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tracklets[i];
    const endArea = AREA ? AREA[lastRow[i]] : 0;
    for (let dt = 1; dt < Math.max(hp.time_thresh, 2); dt++) {
      // Where the track would be dt frames after its end (btrack's prediction, carried over).
      const hx = [X[lastRow[i]] + dt * t.vx, Y[lastRow[i]] + dt * t.vy];
      if (dt === 1) {
        const m = lastRow[i];
        const q = MAJOR && ANGLE ? DAUGHTER_OFFSET * MAJOR[m] : 0;
        spots.x[i] = hx[0];
        spots.y[i] = hx[1];
        spots.ux[i] = ANGLE ? Math.sin(ANGLE[m]) * q : 0;
        spots.uy[i] = ANGLE ? Math.cos(ANGLE[m]) * q : 0;
      }
      if (dt >= hp.time_thresh) break;
      const cands = startsAt.get(t.last + dt);
      if (!cands) continue;
      for (const j of cands) {
        const s = firstRow[j];
        const d = Math.hypot(X[s] - hx[0], Y[s] - hx[1]);
        if (!(d < hp.dist_thresh)) continue;
        const ratio = endArea > 0 ? (AREA as Float64Array)[s] / endArea : 1;
        const daughterSize = dt === 1 && (!divArea || (ratio >= divArea[0] && ratio <= divArea[1]));
        // A daughter-sized start is measured from the nearer of the mother's two halves.
        const dd = daughterSize ? spotDistance(spots, i, X[s], Y[s]) : d;
        if (linking && (options.maxLinkAreaRatio === null || ratio <= options.maxLinkAreaRatio)) {
          linkSource.push(i);
          linkTarget.push(j);
          linkCost.push(costs.link(dd) + half[i] + half[j]);
        }
        if (branching && daughterSize) {
          linkSource.push(n + i);
          linkTarget.push(j);
          linkCost.push(costs.branch() + half[j] + costs.link(dd));
        }
      }
    }
  }
  const sourceAlone = new Float64Array(2 * n);
  const targetAlone = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = tracklets[i];
    sourceAlone[i] = costs.end(t.last, X[lastRow[i]], Y[lastRow[i]], t.last - t.first);
    targetAlone[i] = costs.start(t.first, X[firstRow[i]], Y[firstRow[i]], t.last - t.first);
  }
  const targetOf = solveLinks({
    sources: 2 * n,
    targets: n,
    linkSource: Int32Array.from(linkSource),
    linkTarget: Int32Array.from(linkTarget),
    linkCost: Float64Array.from(linkCost),
    sourceAlone,
    targetAlone,
  });

  const next = new Int32Array(n).fill(-1);
  const daughters: number[][] = Array.from({ length: n }, () => []);
  const daughterSized = (i: number, j: number) => {
    if (!divArea) return true;
    const r = (AREA as Float64Array)[firstRow[j]] / (AREA as Float64Array)[lastRow[i]];
    return r >= divArea[0] && r <= divArea[1];
  };
  for (let i = 0; i < n; i++) {
    const a = targetOf[i];
    const b = targetOf[n + i];
    if (b < 0) {
      if (a >= 0) next[i] = a;
    } else if (a < 0) {
      next[i] = b; // a daughter row used alone is a link
    } else if (tracklets[a].first === tracklets[b].first && daughterSized(i, a)) {
      daughters[i] = [a, b];
    } else {
      next[i] = a; // not a division after all: b starts its own track
    }
  }
  const exchanged = exchangeDaughters(
    daughters,
    spots,
    (j) => tracklets[j].first,
    (j) => [X[firstRow[j]], Y[firstRow[j]]],
    (i, j) => daughterSized(i, j) && spotDistance(spots, i, X[firstRow[j]], Y[firstRow[j]]) < hp.dist_thresh,
    2 * hp.dist_thresh,
  );
  let links = 0;
  let bridged = 0;
  const linkDistances: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = next[i];
    if (j < 0) continue;
    links++;
    if (tracklets[j].first - tracklets[i].last >= 2) bridged++;
    const a = lastRow[i];
    const b = firstRow[j];
    linkDistances.push(Math.hypot(Y[b] - Y[a], X[b] - X[a]));
  }
  return { next, daughters, links, bridged, linkDistances, exchanged };
}

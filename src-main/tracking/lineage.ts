/**
 * Divisions as first-class events, the same way for every tracker: at a division the mother's
 * track ends at frame t and both daughters start at t + 1 with `parent_track_id` = the mother (the
 * Cell Tracking Challenge convention), so a track is one cell cycle.
 *
 * - {@link splitAtDivisions} turns HiTMicTools v5's convention (the mother's id continues through
 *   the daughter nearer her, the other daughter names her as parent) into that one: the mother's
 *   rows from the daughter's first frame on become a new track with the mother as parent.
 * - {@link inferDivisions} finds divisions in tracks made without them (Hungarian v2): a track
 *   that starts next to a track whose area just fell to a daughter's, or two tracks that start
 *   where a mother's track just ended, both daughter-sized.
 * - {@link remapParents} maps parent ids through a renumbering (v5's stitching, which HiTMicTools
 *   forgets: its `parent_track_id` keeps ids that stitching merged away).
 */
import { DAUGHTER_OFFSET, pairCost } from './btrack/divisions';
import { trackLengthStats } from './stats';
import type { DetectionTable, TrackingResult } from './types';

/** Division search for {@link inferDivisions} (HiTMicTools v5's defaults). */
export interface DivisionSearch {
  /** Daughter area / mother area, inclusive [0.3, 0.7]. */
  areaRatio: [number, number];
  /** Largest distance between the two daughters, pixels [15]. */
  radius: number;
}

export const DIVISION_SEARCH_DEFAULTS: DivisionSearch = { areaRatio: [0.3, 0.7], radius: 15 };

/** Rows of each track id, in frame order. */
function rowsByTrack(frame: Int32Array, trackid: Int32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < trackid.length; i++) {
    if (trackid[i] < 0) continue;
    const l = out.get(trackid[i]);
    if (l) l.push(i);
    else out.set(trackid[i], [i]);
  }
  for (const l of out.values()) l.sort((a, b) => frame[a] - frame[b] || a - b);
  return out;
}

/**
 * CTC lineage from a "mother continues" lineage: every track with a daughter starting at frame f
 * while the track itself still has rows at frames ≥ f is cut there; the rest becomes a new track
 * (next free id) whose parent is the mother, and later daughters of the original track name the
 * piece they branch from. Returns new columns; the inputs are not modified.
 */
export function splitAtDivisions(
  frame: Int32Array,
  trackid: Int32Array,
  parent: Int32Array,
): { trackid: Int32Array; parent: Int32Array; splits: number } {
  const ids = Int32Array.from(trackid);
  const par = Int32Array.from(parent);
  const byTrack = rowsByTrack(frame, trackid);
  let nextId = 0;
  for (const id of byTrack.keys()) nextId = Math.max(nextId, id + 1);
  // daughters' first frames, per mother
  const kids = new Map<number, { id: number; start: number }[]>();
  for (const [id, rows] of byTrack) {
    const m = parent[rows[0]];
    if (m < 0 || !byTrack.has(m)) continue;
    const list = kids.get(m);
    const entry = { id, start: frame[rows[0]] };
    if (list) list.push(entry);
    else kids.set(m, [entry]);
  }
  let splits = 0;
  const kidIds = [...kids.keys()].sort((a, b) => a - b);
  for (const mother of kidIds) {
    const rows = byTrack.get(mother) as number[];
    const daughters = (kids.get(mother) as { id: number; start: number }[]).sort(
      (a, b) => a.start - b.start || a.id - b.id,
    );
    let piece = mother;
    for (const d of daughters) {
      const later = rows.filter((r) => frame[r] >= d.start && ids[r] === piece);
      const dRows = byTrack.get(d.id) as number[];
      if (later.length === 0) {
        for (const r of dRows) par[r] = piece;
        continue;
      }
      const cont = nextId++;
      splits++;
      for (const r of later) {
        ids[r] = cont;
        par[r] = piece;
      }
      for (const r of dRows) par[r] = piece;
      piece = cont;
    }
  }
  return { trackid: ids, parent: par, splits };
}

/** Maps each parent id through `idMap` (old id → new id); ids not in the map are kept. */
export function remapParents(parent: Int32Array, idMap: ReadonlyMap<number, number>): Int32Array {
  return Int32Array.from(parent, (p) => (p >= 0 ? (idMap.get(p) ?? p) : p));
}

/**
 * The old → new id map of a renumbering, from the id columns before and after it (row by row).
 */
export function idMapOf(before: Int32Array, after: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < before.length; i++) if (before[i] >= 0) m.set(before[i], after[i]);
  return m;
}

/**
 * Divisions in tracks made without them. For each frame f (after the first), over the tracks that
 * start at f ("new"), and the tracks present at the frame before ("mothers"):
 *
 * - a mother that continues into f with her area falling into `areaRatio` of her area before, and
 *   a new daughter-sized track beside her continuation, is a division with the mother continuing
 *   (split later by {@link splitAtDivisions});
 * - a mother that ends before f, with two new daughter-sized tracks, is a division into both.
 *
 * "Beside": with orientation and axis lengths, the two daughters lie on the mother's two daughter
 * spots (a quarter of her major axis either side along it) within a quarter of her major axis in
 * all; without, nearer than `radius` to each other and to her. Candidates are taken best first;
 * each mother and each daughter at most once. Returns the parent column ("mother continues"
 * convention) and the number of divisions found.
 */
export function inferDivisions(
  table: DetectionTable,
  trackid: Int32Array,
  search: DivisionSearch = DIVISION_SEARCH_DEFAULTS,
): { parent: Int32Array; divisions: number } {
  const { frame, centroid_0: Y, centroid_1: X, area: A } = table;
  const parent = new Int32Array(trackid.length).fill(-1);
  if (!A) return { parent, divisions: 0 };
  const byTrack = rowsByTrack(frame, trackid);
  const frames = [...new Set(frame)].sort((a, b) => a - b);
  const prevOf = new Map(frames.map((f, k) => [f, k > 0 ? frames[k - 1] : null]));
  // per frame: rows present
  const rowsAt = new Map<number, number[]>();
  for (let i = 0; i < frame.length; i++) {
    if (trackid[i] < 0) continue;
    const l = rowsAt.get(frame[i]);
    if (l) l.push(i);
    else rowsAt.set(frame[i], [i]);
  }
  const startRow = new Map<number, number>();
  for (const [id, rows] of byTrack) startRow.set(id, rows[0]);
  const [lo, hi] = search.areaRatio;
  const sized = (daughter: number, mother: number) => {
    const r = A[daughter] / A[mother];
    return r >= lo && r <= hi;
  };
  const dist = (a: number, b: number) => Math.hypot(Y[a] - Y[b], X[a] - X[b]);
  const { major_axis_length: MAJOR, orientation: ANGLE } = table;
  /**
   * How well daughters a, b sit where mother m leaves them (smaller is better), or null when
   * they cannot be hers: with orientation and axis lengths, the two daughters' distances to her two
   * daughter spots (divisions.ts), at most a quarter of her major axis in all; without, the
   * sisters' distance, each sister and the pair within `radius`.
   */
  const pairCheck = (m: number, a: number, b: number): number | null => {
    if (MAJOR && ANGLE) {
      const q = DAUGHTER_OFFSET * MAJOR[m];
      const spots = {
        x: Float64Array.of(X[m]),
        y: Float64Array.of(Y[m]),
        ux: Float64Array.of(Math.sin(ANGLE[m]) * q),
        uy: Float64Array.of(Math.cos(ANGLE[m]) * q),
      };
      const c = pairCost(spots, 0, X[a], Y[a], X[b], Y[b]);
      return c <= q ? c : null;
    }
    const dab = dist(a, b);
    if (dab >= search.radius || dist(a, m) >= search.radius || dist(b, m) >= search.radius) return null;
    return dab;
  };
  let divisions = 0;
  for (const f of frames) {
    const prev = prevOf.get(f);
    if (prev === null || prev === undefined) continue;
    const here = rowsAt.get(f) ?? [];
    const before = rowsAt.get(prev) ?? [];
    const fresh = here.filter((r) => startRow.get(trackid[r]) === r);
    if (fresh.length === 0) continue;
    const hereOf = new Map(here.map((r) => [trackid[r], r]));
    const cands: { cost: number; mother: number; d1: number; d2: number }[] = [];
    const consider = (m: number, a: number, b: number) => {
      if (!sized(a, m) || !sized(b, m)) return;
      const cost = pairCheck(m, a, b);
      if (cost !== null) cands.push({ cost, mother: m, d1: a, d2: b });
    };
    for (const m of before) {
      const cont = hereOf.get(trackid[m]);
      if (cont !== undefined) for (const n of fresh) consider(m, cont, n);
      else
        for (let i = 0; i < fresh.length; i++)
          for (let j = i + 1; j < fresh.length; j++) consider(m, fresh[i], fresh[j]);
    }
    cands.sort((p, q) => p.cost - q.cost || p.mother - q.mother);
    const usedMother = new Set<number>();
    const usedRow = new Set<number>();
    for (const c of cands) {
      if (usedMother.has(c.mother) || usedRow.has(c.d1) || usedRow.has(c.d2)) continue;
      usedMother.add(c.mother);
      usedRow.add(c.d1);
      usedRow.add(c.d2);
      const motherId = trackid[c.mother];
      for (const d of [c.d1, c.d2]) {
        if (trackid[d] === motherId) continue;
        for (const r of byTrack.get(trackid[d]) as number[]) parent[r] = motherId;
      }
      divisions++;
    }
  }
  return { parent, divisions };
}

/** How a tracker reports divisions, which decides what {@link ctcLineage} has to do. */
export type LineageSource = 'none' | 'mother-continues' | 'ctc';

/**
 * A tracker's result in the CTC lineage convention. `source`: 'none' (Hungarian v2: divisions are
 * inferred first), 'mother-continues' (Hungarian v5; its parent ids are mapped through its
 * stitching first), 'ctc' (the btrack-config linker: unchanged). The summary's `tracks`,
 * `divisions` and track-length figures are recounted.
 */
export function ctcLineage(
  table: DetectionTable,
  result: TrackingResult,
  source: LineageSource,
  search: DivisionSearch = DIVISION_SEARCH_DEFAULTS,
): TrackingResult {
  if (source === 'ctc') return result;
  let parent = result.parent_track_id;
  if (source === 'none') parent = inferDivisions(table, result.trackid, search).parent;
  else if (result.trackidBeforeStitching)
    parent = remapParents(parent, idMapOf(result.trackidBeforeStitching, result.trackid));
  const split = splitAtDivisions(table.frame, result.trackid, parent);
  const mothers = new Set<number>();
  for (const p of split.parent) if (p >= 0) mothers.add(p);
  const nFrames = new Set(table.frame).size;
  return {
    trackid: split.trackid,
    parent_track_id: split.parent,
    summary: {
      ...result.summary,
      ...trackLengthStats(split.trackid, table.frame, nFrames),
      divisions: mothers.size,
    },
  };
}

/**
 * Lineages of a tracked movie: its tracks (one per cell cycle in the Cell Tracking Challenge
 * convention `hitmic run` and `hitmic track` write: a mother's track ends where her daughters'
 * begin), grouped into colonies (all descendants of one founder track), the divisions per frame,
 * and the layout of one colony's tree for drawing. Pure: both the backend (which reads the tables)
 * and the renderer (which draws) use it.
 *
 * Input rows are (frame, trackid, parent_track_id) as in `{movie}_fl.csv` or `{movie}_tracks.csv`:
 * trackid −1 = not tracked (ignored), parent_track_id −1 = no mother. A mother whose track goes on
 * past her daughter's start (HiTMicTools' v5 convention, `lineage: hitmictools`) is drawn the same
 * way: the branch leaves her where the daughter begins.
 */
import type { LineageColony, LineageTrack, RunLineage } from '../api';

export interface LineageRow {
  frame: number;
  trackid: number;
  parent: number;
}

/** Builds the lineage of a movie's rows (any order). */
export function buildLineage(rows: Iterable<LineageRow>): RunLineage {
  const byId = new Map<number, LineageTrack>();
  const frameSet = new Set<number>();
  for (const r of rows) {
    frameSet.add(r.frame);
    if (!(r.trackid >= 0)) continue;
    let t = byId.get(r.trackid);
    if (!t) {
      t = {
        id: r.trackid,
        parent: -1,
        begin: r.frame,
        end: r.frame,
        objects: 0,
        root: r.trackid,
        children: [],
      };
      byId.set(r.trackid, t);
    }
    t.objects++;
    if (r.frame < t.begin) t.begin = r.frame;
    if (r.frame > t.end) t.end = r.frame;
    if (r.parent >= 0 && r.parent !== r.trackid) t.parent = r.parent;
  }
  for (const t of byId.values()) if (t.parent >= 0 && !byId.has(t.parent)) t.parent = -1;
  for (const t of byId.values()) if (t.parent >= 0) (byId.get(t.parent) as LineageTrack).children.push(t.id);
  const tracks = [...byId.values()].sort((a, b) => a.id - b.id);
  for (const t of tracks) t.children.sort((a, b) => byId.get(a)!.begin - byId.get(b)!.begin || a - b);
  // Founders: follow mothers up (a cycle, which no tracker makes, is cut where it closes).
  for (const t of tracks) {
    let r = t;
    const seen = new Set<number>([t.id]);
    while (r.parent >= 0 && !seen.has(r.parent)) {
      seen.add(r.parent);
      r = byId.get(r.parent) as LineageTrack;
    }
    t.root = r.id;
  }
  const frames = [...frameSet].sort((a, b) => a - b);
  const frameIndex = new Map(frames.map((f, i) => [f, i]));
  const divisionsPerFrame = new Array<number>(frames.length).fill(0);
  const colonies = new Map<number, LineageColony>();
  let divisions = 0;
  for (const t of tracks) {
    let c = colonies.get(t.root);
    if (!c) colonies.set(t.root, (c = { root: t.root, tracks: 0, divisions: 0, begin: t.begin, end: t.end }));
    c.tracks++;
    c.begin = Math.min(c.begin, t.begin);
    c.end = Math.max(c.end, t.end);
    if (t.children.length > 0) {
      c.divisions++;
      divisions++;
      // A division happens where the first daughter begins.
      const first = byId.get(t.children[0]) as LineageTrack;
      const k = frameIndex.get(first.begin);
      if (k !== undefined) divisionsPerFrame[k]++;
    }
  }
  return {
    tracks,
    colonies: [...colonies.values()].sort(
      (a, b) => b.tracks - a.tracks || a.begin - b.begin || a.root - b.root,
    ),
    frames,
    divisionsPerFrame,
    divisions,
  };
}

/** One track as a horizontal bar of a lineage tree. */
export interface TreeBranch {
  id: number;
  parent: number;
  /** Frames it spans (from its start; a daughter's branch starts at her first frame). */
  begin: number;
  end: number;
  /** Row of the drawing: leaves 0, 1, 2, … top to bottom, a mother between her daughters. */
  row: number;
}

/** The layout of a colony's tree: every branch's row, and the rows used. */
export interface TreeLayout {
  root: number;
  branches: TreeBranch[];
  rows: number;
  begin: number;
  end: number;
}

/**
 * Lays out the tree of the colony founded by `root`: time runs left to right, each track is a bar
 * from its first to its last frame, leaves take one row each in depth-first order, and a mother
 * sits halfway between her first and last daughter (a classic lineage tree).
 */
export function layoutColony(lineage: RunLineage, root: number): TreeLayout {
  const byId = new Map(lineage.tracks.map((t) => [t.id, t]));
  const branches: TreeBranch[] = [];
  let next = 0;
  const place = (id: number): number => {
    const t = byId.get(id) as LineageTrack;
    let row: number;
    if (t.children.length === 0) row = next++;
    else {
      const rows = t.children.map(place);
      row = (rows[0] + rows[rows.length - 1]) / 2;
    }
    branches.push({ id, parent: t.parent, begin: t.begin, end: t.end, row });
    return row;
  };
  if (byId.has(root)) place(root);
  branches.sort((a, b) => a.row - b.row || a.id - b.id);
  const begin = branches.reduce((m, b) => Math.min(m, b.begin), Infinity);
  const end = branches.reduce((m, b) => Math.max(m, b.end), -Infinity);
  return {
    root,
    branches,
    rows: next,
    begin: Number.isFinite(begin) ? begin : 0,
    end: Number.isFinite(end) ? end : 0,
  };
}

/** Divisions per frame as a table (for CSV export). */
export function divisionsTable(l: RunLineage): { columns: string[]; rows: number[][] } {
  return { columns: ['frame', 'divisions'], rows: l.frames.map((f, i) => [f, l.divisionsPerFrame[i]]) };
}

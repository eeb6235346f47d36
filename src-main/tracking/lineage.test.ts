import { describe, expect, it } from 'vitest';
import { tableOf, type Row } from './__tests__/helpers';
import { trackHungarianV2 } from './hungarian-v2';
import { trackHungarianV5 } from './hungarian-v5';
import { ctcLineage, idMapOf, inferDivisions, remapParents, splitAtDivisions } from './lineage';
import { selectTracker } from './select';

/** A cell at (80, 80) for frames 0–3 that divides into two cells 8 px apart from frame 4 on. */
function division(): Row[] {
  const rows: Row[] = [];
  for (let f = 0; f < 4; f++) rows.push({ frame: f, y: 80, x: 80, area: 120 + 4 * f });
  for (let f = 4; f < 7; f++) {
    rows.push({ frame: f, y: 80, x: 76 - 0.5 * (f - 4), area: 62 + 2 * (f - 4) });
    rows.push({ frame: f, y: 80, x: 84 + 0.5 * (f - 4), area: 60 + 2 * (f - 4) });
  }
  return rows;
}

const mother = [0, 1, 2, 3];
const left = [4, 6, 8];
const right = [5, 7, 9];
const idsAt = (ids: Int32Array, rows: number[]) => new Set(rows.map((r) => ids[r]));

/** Checks the CTC convention: mother ends at frame 3, each daughter one new track with her as parent. */
function expectCtc(trackid: Int32Array, parent: Int32Array) {
  const m = idsAt(trackid, mother);
  const a = idsAt(trackid, left);
  const b = idsAt(trackid, right);
  expect(m.size).toBe(1);
  expect(a.size).toBe(1);
  expect(b.size).toBe(1);
  const [mid] = m;
  expect(a.has(mid) || b.has(mid)).toBe(false);
  expect([...a][0]).not.toBe([...b][0]);
  for (const r of [...left, ...right]) expect(parent[r]).toBe(mid);
  for (const r of mother) expect(parent[r]).toBe(-1);
}

describe('divisions in the CTC convention for every tracker', () => {
  it('splits HiTMicTools v5 (mother continues through one daughter) at the division', () => {
    const table = tableOf(division());
    const raw = trackHungarianV5(table);
    expect(raw.summary.divisions).toBe(1);
    // v5 itself: the mother's id continues into one daughter
    const m = raw.trackid[0];
    expect(idsAt(raw.trackid, left).has(m) || idsAt(raw.trackid, right).has(m)).toBe(true);
    const ctc = ctcLineage(table, raw, 'mother-continues');
    expectCtc(ctc.trackid, ctc.parent_track_id);
    expect(ctc.summary.divisions).toBe(1);
    expect(ctc.summary.tracks).toBe(3);
  });

  it('infers the division Hungarian v2 does not detect', () => {
    const table = tableOf(division());
    const raw = trackHungarianV2(table, { max_distance: 10, gap_bridge_frames: 2 });
    expect(Array.from(raw.parent_track_id).every((p) => p === -1)).toBe(true);
    const found = inferDivisions(table, raw.trackid);
    expect(found.divisions).toBe(1);
    const ctc = ctcLineage(table, raw, 'none');
    expectCtc(ctc.trackid, ctc.parent_track_id);
  });

  it('infers nothing where the new cell is not daughter-sized or too far', () => {
    const rows = division().map((r) => (r.frame >= 4 && r.x > 80 ? { ...r, area: 130 } : r));
    const table = tableOf(rows);
    const raw = trackHungarianV2(table, { max_distance: 10, gap_bridge_frames: 2 });
    expect(inferDivisions(table, raw.trackid).divisions).toBe(0);
  });

  it('uses the mother\u2019s axis where orientation is measured: daughters must sit at her two ends', () => {
    // A horizontal mother (major axis 32 px): daughters ±8 px along x are hers; a cell 8 px
    // above her (across the axis) is not, though as near.
    const base = division();
    const withShape = (rows: Row[]) => {
      const t = tableOf(rows);
      t.major_axis_length = Float64Array.from(rows, (r) => (r.frame < 4 ? 32 : 16));
      t.minor_axis_length = Float64Array.from(rows, () => 7);
      t.orientation = Float64Array.from(rows, () => Math.PI / 2); // along the columns (x)
      return t;
    };
    const along = withShape(base);
    const raw = trackHungarianV2(along, { max_distance: 10, gap_bridge_frames: 2 });
    expect(inferDivisions(along, raw.trackid).divisions).toBe(1);
    const across = withShape(base.map((r) => (r.frame >= 4 && r.x > 80 ? { ...r, x: 80, y: 88 } : r)));
    const raw2 = trackHungarianV2(across, { max_distance: 10, gap_bridge_frames: 2 });
    expect(inferDivisions(across, raw2.trackid).divisions).toBe(0);
  });

  it('selectTracker applies the lineage mode: ctc by default, hitmictools leaves the columns as HiTMicTools writes them', () => {
    const table = tableOf(division());
    const ctc = selectTracker({ backend: 'hungarian', version: 'v5' }).tracker.track(table);
    expectCtc(ctc.trackid, ctc.parent_track_id);
    const hm = selectTracker({ backend: 'hungarian', version: 'v5', lineage: 'hitmictools' }).tracker.track(
      table,
    );
    const raw = trackHungarianV5(table);
    expect(Array.from(hm.trackid)).toEqual(Array.from(raw.trackid));
    expect(Array.from(hm.parent_track_id)).toEqual(Array.from(raw.parent_track_id));
    const v2 = selectTracker({ backend: 'hungarian', lineage: 'hitmictools' }).tracker.track(table);
    expect(Array.from(v2.parent_track_id).every((p) => p === -1)).toBe(true);
    expect(() => selectTracker({ backend: 'hungarian', lineage: 'napari' })).toThrow(/tracking\.lineage/);
  });
});

describe('splitAtDivisions and parent remapping', () => {
  it('cuts the continuing mother at each daughter, later daughters naming the piece they leave', () => {
    // track 0: frames 0–5; daughter 1 starts at 2, daughter 2 starts at 4 (both "from" 0)
    const frame = Int32Array.of(0, 1, 2, 3, 4, 5, 2, 3, 4);
    const trackid = Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 2);
    const parent = Int32Array.of(-1, -1, -1, -1, -1, -1, 0, 0, 0);
    const s = splitAtDivisions(frame, trackid, parent);
    expect(Array.from(s.trackid)).toEqual([0, 0, 3, 3, 4, 4, 1, 1, 2]);
    expect(Array.from(s.parent)).toEqual([-1, -1, 0, 0, 3, 3, 0, 0, 3]);
    expect(s.splits).toBe(2);
  });

  it('maps parent ids through a renumbering (v5 stitching)', () => {
    const before = Int32Array.of(4, 4, 7, 9);
    const after = Int32Array.of(2, 2, 2, 9);
    expect(Array.from(remapParents(Int32Array.of(-1, 7, 4, 9), idMapOf(before, after)))).toEqual([
      -1, 2, 2, 9,
    ]);
  });
});

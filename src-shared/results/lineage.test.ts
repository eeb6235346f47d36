import { describe, expect, it } from 'vitest';
import { buildLineage, divisionsTable, layoutColony, type LineageRow } from './lineage';

/** Rows of a track present from `begin` to `end`. */
const track = (id: number, begin: number, end: number, parent = -1): LineageRow[] =>
  Array.from({ length: end - begin + 1 }, (_, k) => ({ frame: begin + k, trackid: id, parent }));

describe('buildLineage', () => {
  // Colony A: 0 (frames 0–2) → 1, 2 (3–5); 1 → 3, 4 (6–7). Colony B: 5 alone (0–7). Untracked row.
  const rows = [
    ...track(0, 0, 2),
    ...track(1, 3, 5, 0),
    ...track(2, 3, 7, 0),
    ...track(3, 6, 7, 1),
    ...track(4, 6, 7, 1),
    ...track(5, 0, 7),
    { frame: 4, trackid: -1, parent: -1 },
  ];
  const l = buildLineage(rows);

  it('finds tracks, founders and daughters', () => {
    expect(l.tracks.map((t) => [t.id, t.parent, t.begin, t.end, t.root])).toEqual([
      [0, -1, 0, 2, 0],
      [1, 0, 3, 5, 0],
      [2, 0, 3, 7, 0],
      [3, 1, 6, 7, 0],
      [4, 1, 6, 7, 0],
      [5, -1, 0, 7, 5],
    ]);
    expect(l.tracks[0].children).toEqual([1, 2]);
    expect(l.tracks[0].objects).toBe(3);
  });

  it('groups colonies, largest first, and counts divisions where the daughters appear', () => {
    expect(l.colonies).toEqual([
      { root: 0, tracks: 5, divisions: 2, begin: 0, end: 7 },
      { root: 5, tracks: 1, divisions: 0, begin: 0, end: 7 },
    ]);
    expect(l.frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(l.divisionsPerFrame).toEqual([0, 0, 0, 1, 0, 0, 1, 0]);
    expect(l.divisions).toBe(2);
    expect(divisionsTable(l).rows[3]).toEqual([3, 1]);
  });

  it('lays a colony out with leaves on rows 0, 1, … and each mother between her daughters', () => {
    const t = layoutColony(l, 0);
    expect(t.rows).toBe(3);
    const row = Object.fromEntries(t.branches.map((b) => [b.id, b.row]));
    expect(row).toEqual({ 3: 0, 4: 1, 1: 0.5, 2: 2, 0: 1.25 });
    expect([t.begin, t.end]).toEqual([0, 7]);
  });

  it('ignores a parent that is not in the table and mothers that continue (HiTMicTools v5)', () => {
    const v5 = buildLineage([...track(0, 0, 5), ...track(1, 3, 5, 0), ...track(2, 0, 1, 99)]);
    expect(v5.tracks.find((t) => t.id === 2)!.parent).toBe(-1);
    expect(v5.divisionsPerFrame[3]).toBe(1);
    const t = layoutColony(v5, 0);
    expect(t.branches.map((b) => b.id).sort()).toEqual([0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ResultTable, RunRegistration } from '../api';
import { TrackIndex } from '../viewer';
import { lineageOf, runTracksOf } from './tracks';

const UNALIGNED: RunRegistration = {
  kind: 'unaligned',
  exact: true,
  movieSize: null,
  analysisSize: null,
  crop: null,
  shifts: [],
  frames: null,
};

/**
 * A mother (track 1) divides after frame 2 into tracks 2 and 3 (CTC convention: the mother ends);
 * track 4 lives alone. Rows out of order, as a table may hold them.
 */
function table(extra: { movieCols?: boolean } = {}): ResultTable {
  const columns = ['label', 'frame', 'centroid_0', 'centroid_1', 'trackid', 'parent_track_id'];
  if (extra.movieCols) columns.push('centroid_0_movie', 'centroid_1_movie');
  const row = (label: number, frame: number, y: number, x: number, t: number, p: number) => {
    const r: (number | null)[] = [label, frame, y, x, t, p];
    if (extra.movieCols) r.push(y + 100, x + 200);
    return r;
  };
  return {
    columns,
    rows: [
      row(5, 1, 10, 20, 1, -1),
      row(1, 0, 10, 18, 1, -1),
      row(9, 2, 11, 22, 1, -1),
      row(3, 3, 8, 22, 2, 1),
      row(4, 3, 14, 23, 3, 1),
      row(7, 4, 7, 23, 2, 1),
      row(8, 4, 15, 24, 3, 1),
      row(2, 0, 50, 50, 4, -1),
      row(6, 4, 51, 52, 4, -1),
    ],
  };
}

describe('run tracks', () => {
  it('groups rows by trackid in frame order with labels, centroids and parents', () => {
    const r = runTracksOf(table(), UNALIGNED);
    expect(r.tracked).toBe(true);
    expect(r.divisions).toBe(2);
    expect(r.tracks.map((t) => t.id)).toEqual([1, 2, 3, 4]);
    expect(r.tracks[0]).toEqual({
      id: 1,
      parent: -1,
      frames: [0, 1, 2],
      labels: [1, 5, 9],
      x: [18, 20, 22],
      y: [10, 10, 11],
    });
    expect(r.tracks[2].parent).toBe(1);
    expect(r.tracks[3].frames).toEqual([0, 4]); // a bridged gap stays a gap
  });

  it('places centroids in the movie: the table’s movie columns, or the registration', () => {
    expect(runTracksOf(table({ movieCols: true }), UNALIGNED).tracks[0].x[0]).toBe(218);
    const aligned: RunRegistration = {
      ...UNALIGNED,
      kind: 'aligned',
      crop: { x0: 9, y0: 4, width: 500, height: 500 },
      shifts: [
        { frame: 0, dx: 0, dy: 0 },
        { frame: 1, dx: 1.5, dy: -2 },
      ],
    };
    const t = runTracksOf(table(), aligned).tracks[0];
    expect([t.x[0], t.y[0]]).toEqual([18 + 9, 10 + 4]);
    expect([t.x[1], t.y[1]]).toEqual([20 + 9 - 1.5, 10 + 4 + 2]);
  });

  it('says when a run did not track', () => {
    const t = table();
    const noTrack = { columns: t.columns.slice(0, 4), rows: t.rows.map((r) => r.slice(0, 4)) };
    expect(runTracksOf(noTrack, UNALIGNED)).toMatchObject({
      tracked: false,
      note: expect.stringMatching(/tracking: true/),
    });
    const empty = { columns: t.columns, rows: t.rows.map((r) => [...r.slice(0, 4), null, null]) };
    expect(runTracksOf(empty, UNALIGNED).tracked).toBe(false);
  });

  it('gives a cell’s lineage: mother, daughters, sister, ancestors', () => {
    const { tracks } = runTracksOf(table(), UNALIGNED);
    const mother = lineageOf(tracks, 1)!;
    expect(mother.parent).toBeUndefined();
    expect(mother.daughters.map((t) => t.id)).toEqual([2, 3]);
    const d = lineageOf(tracks, 3)!;
    expect(d.parent?.id).toBe(1);
    expect(d.sisters.map((t) => t.id)).toEqual([2]);
    expect(d.ancestors).toEqual([1]);
    expect(lineageOf(tracks, 99)).toBeUndefined();
    // A parent the table does not hold, and a cycle in bad data, end the walk.
    const odd = [
      { ...tracks[0], id: 10, parent: 11 },
      { ...tracks[1], id: 11, parent: 10 },
      { ...tracks[2], id: 12, parent: 77 },
    ];
    expect(lineageOf(odd, 10)!.ancestors).toEqual([11]);
    expect(lineageOf(odd, 12)).toMatchObject({ missingParent: 77, ancestors: [77] });
  });
});

describe('track tails', () => {
  const index = new TrackIndex(runTracksOf(table(), UNALIGNED).tracks);

  it('finds the track of an object and where to look for a track in any frame', () => {
    expect(index.trackOf(3, 4)?.id).toBe(3);
    expect(index.trackOf(3, 99)).toBeUndefined();
    expect(index.labelAt(2, 4)).toBe(7);
    expect(index.positionNear(4, 2)).toEqual({ x: 50, y: 50 }); // in its gap: the last seen
    expect(index.positionNear(1, 9)).toEqual({ x: 22, y: 11 }); // after its end
  });

  it('draws each cell’s last N frames, forking from the mother at a division', () => {
    const tails = index.tails(4, 4);
    const byId = new Map(tails.map((t) => [t.id, t]));
    // Daughter 3: the mother's frame-2 position, then frames 3 and 4.
    expect(byId.get(3)).toEqual({
      id: 3,
      fromParent: true,
      points: [
        { x: 22, y: 11 },
        { x: 23, y: 14 },
        { x: 24, y: 15 },
      ],
    });
    expect(byId.get(4)?.points).toEqual([
      { x: 50, y: 50 },
      { x: 52, y: 51 },
    ]);
    expect(byId.has(1)).toBe(false); // the mother is not in frame 4
    // A window that ends before the division reaches only the mother.
    expect(index.tails(4, 1).find((t) => t.id === 3)).toMatchObject({ fromParent: false });
    expect(index.tails(0, 5)).toEqual([]); // no history yet
  });
});

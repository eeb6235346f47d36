import { describe, expect, it } from 'vitest';
import { trackHungarianV2 } from './hungarian-v2';
import { trackHungarianV5 } from './hungarian-v5';
import { HUNGARIAN_V5_DEFAULTS } from './hungarian-v5-params';
import { applyPiposLockin } from './pipos-lockin';
import { stitchTracks } from './stitch';
import { gaussian, mulberry32, tableOf, type Row } from './__tests__/helpers';

/** HiTMicTools' test fixture: 5 cells on a diagonal 100 px apart, 3 frames, N(0, 2) jitter. */
function diagonalCells(seed: number): Row[] {
  const g = gaussian(mulberry32(seed));
  const rows: Row[] = [];
  for (let f = 0; f < 3; f++)
    for (let c = 0; c < 5; c++) rows.push({ frame: f, y: 100 * c + 2 * g(), x: 100 * c + 2 * g(), area: 50 });
  return rows;
}

function idsByCell(trackid: Int32Array, cells: number): number[][] {
  const out: number[][] = Array.from({ length: cells }, () => []);
  trackid.forEach((id, i) => out[i % cells].push(id));
  return out;
}

describe('HiTMicTools tracker scenarios (§4.6)', () => {
  it('v2: 5 jittered cells on a diagonal each keep exactly one id', () => {
    const r = trackHungarianV2(tableOf(diagonalCells(42)), { max_distance: 25, gap_bridge_frames: 2 });
    const byCell = idsByCell(r.trackid, 5);
    for (const ids of byCell) expect(new Set(ids).size).toBe(1);
    expect(new Set(byCell.map((ids) => ids[0])).size).toBe(5);
    expect(Array.from(r.trackid.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(r.summary).toMatchObject({
      frames: 3,
      detections: 15,
      tracks: 5,
      fullLengthTracks: 5,
      links: 10,
      newTracks: 5,
    });
  });

  it('v5 with defaults also keeps the 5 diagonal cells apart', () => {
    const r = trackHungarianV5(tableOf(diagonalCells(7)));
    for (const ids of idsByCell(r.trackid, 5)) expect(new Set(ids).size).toBe(1);
    expect(r.summary.tracks).toBe(5);
  });

  it('lock-in: a cell piPOS at frame 1 and piNEG at frame 2 reads [piNEG, piPOS, piPOS]', () => {
    const table = tableOf(diagonalCells(42));
    const r = trackHungarianV2(table, { max_distance: 25, gap_bridge_frames: 2 });
    const pi = Array.from({ length: 15 }, () => 'piNEG');
    pi[5 + 2] = 'piPOS'; // cell 2 at frame 1
    const l = applyPiposLockin(r.trackid, table.frame, pi);
    expect([l.pi_class[2], l.pi_class[7], l.pi_class[12]]).toEqual(['piNEG', 'piPOS', 'piPOS']);
    expect(l.pi_class.filter((c, i) => i % 5 !== 2 && c !== 'piNEG')).toEqual([]);
    expect(l.summary).toEqual({
      trackedDetections: 15,
      untrackedDetections: 0,
      tracksAffected: 1,
      overrides: 1,
      piposBefore: 1,
      piposAfter: 2,
    });
    expect(pi[12]).toBe('piNEG'); // input untouched
  });

  it('lock-in leaves untracked rows (-1) and same-frame rows alone', () => {
    const l = applyPiposLockin(Int32Array.from([-1, -1, 3, 3, 3]), Int32Array.from([0, 1, 0, 0, 1]), [
      'piPOS',
      'piNEG',
      'piPOS',
      'piNEG',
      null,
    ]);
    expect(l.pi_class).toEqual(['piPOS', 'piNEG', 'piPOS', 'piNEG', 'piPOS']);
    expect(l.summary).toMatchObject({ trackedDetections: 3, untrackedDetections: 2, overrides: 1 });
  });

  it('v5 stitch_tracks: frame-0 track absorbs one of two frame-2 detections ~1 px away, no duplicate (id, frame)', () => {
    const trackid = Int32Array.from([0, 1, 2]);
    const frame = Int32Array.from([0, 2, 2]);
    const s = stitchTracks(
      trackid,
      frame,
      Float64Array.from([50, 50.8, 51]),
      Float64Array.from([50, 50.5, 49.2]),
      8,
    );
    expect(s.trackid[0]).toBe(0);
    const framesOf0 = Array.from(frame).filter((_, i) => s.trackid[i] === 0);
    expect(framesOf0).toEqual([0, 2]);
    const pairs = Array.from(s.trackid, (id, i) => `${id}@${frame[i]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(s.stitches).toBe(1);
  });

  it('v5 with reid_max_gap=1 and stitching 8 px: detections at frames 0, 2, 20 within 1.5 px → one id', () => {
    const table = tableOf([
      { frame: 0, y: 30, x: 30 },
      { frame: 2, y: 30.8, x: 31 },
      { frame: 20, y: 31.1, x: 29.9 },
    ]);
    const r = trackHungarianV5(table, { ...HUNGARIAN_V5_DEFAULTS, reid_max_gap: 1, stitch_max_distance: 8 });
    expect(new Set(r.trackid).size).toBe(1);
    expect(r.summary).toMatchObject({ tracksBeforeStitching: 2, stitches: 1, tracks: 1 });
    const l = applyPiposLockin(r.trackid, table.frame, ['piNEG', 'piPOS', 'piNEG']);
    expect(l.pi_class).toEqual(['piNEG', 'piPOS', 'piPOS']);
    // Without stitching the frame-20 detection starts a new track.
    const off = trackHungarianV5(table, {
      ...HUNGARIAN_V5_DEFAULTS,
      reid_max_gap: 1,
      stitch_max_distance: null,
    });
    expect(Array.from(off.trackid)).toEqual([0, 0, 1]);
  });

  it('v5 re-identifies a retired track within reid_max_gap (before stitching)', () => {
    // gap_bridge 1: missing frames 1-3 retires the track at frame 2; re-id at frame 4 (gap 4 ≤ 16).
    const rows: Row[] = [0, 4, 5].map((f) => ({ frame: f, y: 10 + 0.3 * f, x: 10, area: 40 }));
    rows.push({ frame: 2, y: 300, x: 300, area: 40 }); // keeps frame 2 and 3 processed
    rows.push({ frame: 3, y: 300, x: 300, area: 40 });
    const r = trackHungarianV5(tableOf(rows), {
      ...HUNGARIAN_V5_DEFAULTS,
      gap_bridge_frames: 1,
      stitch_max_distance: null,
    });
    expect(r.trackid[0]).toBe(r.trackid[1]);
    expect(r.trackid[1]).toBe(r.trackid[2]);
    expect(r.summary.reidentified).toBe(1);
  });
});

describe('gap_bridge_frames semantics (v2)', () => {
  // One cell seen at frames 0, 1 and 3 (frame 2 missed); a far-away cell keeps frame 2 in the movie.
  const table = tableOf([
    { frame: 0, y: 10, x: 10 },
    { frame: 1, y: 11, x: 10 },
    { frame: 2, y: 500, x: 500 },
    { frame: 3, y: 12, x: 10 },
  ]);
  it('1 links consecutive frames only', () => {
    expect(Array.from(trackHungarianV2(table, { max_distance: 25, gap_bridge_frames: 1 }).trackid)).toEqual([
      0, 0, 1, 2,
    ]);
  });
  it('2 tolerates one missing frame (and counts a bridged link)', () => {
    const r = trackHungarianV2(table, { max_distance: 25, gap_bridge_frames: 2 });
    expect(Array.from(r.trackid)).toEqual([0, 0, 1, 0]);
    expect(r.summary.bridgedLinks).toBe(1);
  });
  it('0 links nothing', () => {
    expect(Array.from(trackHungarianV2(table, { max_distance: 25, gap_bridge_frames: 0 }).trackid)).toEqual([
      0, 1, 2, 3,
    ]);
  });
  it('rejects links longer than max_distance after the assignment', () => {
    expect(Array.from(trackHungarianV2(table, { max_distance: 0.5, gap_bridge_frames: 2 }).trackid)).toEqual([
      0, 1, 2, 3,
    ]);
  });
});

describe('v5 divisions', () => {
  it('a dividing cell: the daughter nearer the mother keeps the id, the other gets a new id with parent_track_id', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 3; f++) rows.push({ frame: f, y: 50, x: 50, area: 100 });
    rows.push({ frame: 0, y: 200, x: 200, area: 80 }); // bystander
    for (let f = 3; f < 6; f++) {
      const s = f - 3;
      rows.push({ frame: f, y: 50, x: 46 - s, area: 50 }); // daughter A, 4 px from the mother at frame 3
      rows.push({ frame: f, y: 50, x: 55 + s, area: 48 }); // daughter B, 5 px away
      rows.push({ frame: f, y: 200, x: 200, area: 80 });
    }
    const r = trackHungarianV5(tableOf(rows));
    const mother = r.trackid[0];
    const idA = rows
      .map((row, i) => (row.x < 50 && row.frame >= 3 ? r.trackid[i] : null))
      .filter((v) => v !== null);
    const idB = rows
      .map((row, i) => (row.x > 50 && row.x < 100 && row.frame >= 3 ? r.trackid[i] : null))
      .filter((v) => v !== null);
    expect(new Set(idA)).toEqual(new Set([mother]));
    expect(new Set(idB).size).toBe(1);
    expect(idB[0]).not.toBe(mother);
    rows.forEach((row, i) => {
      if (r.trackid[i] === idB[0]) expect(r.parent_track_id[i]).toBe(mother);
      else expect(r.parent_track_id[i]).toBe(-1);
    });
    expect(r.summary.divisions).toBe(1);
  });

  it('v2 ignores divisions (no parent ids)', () => {
    const r = trackHungarianV2(
      tableOf([
        { frame: 0, y: 50, x: 50, area: 100 },
        { frame: 1, y: 50, x: 46, area: 50 },
        { frame: 1, y: 50, x: 55, area: 50 },
      ]),
    );
    expect(Array.from(r.parent_track_id)).toEqual([-1, -1, -1]);
    expect(Array.from(r.trackid)).toEqual([0, 0, 1]);
  });
});

describe('input handling', () => {
  it('an empty table gives empty columns', () => {
    const r = trackHungarianV5(tableOf([]));
    expect(r.trackid.length).toBe(0);
    expect(r.summary.tracks).toBe(0);
  });
  it('a NaN centroid is rejected naming the column and row', () => {
    const t = tableOf([
      { frame: 0, y: 1, x: 1 },
      { frame: 1, y: NaN, x: 1 },
    ]);
    expect(() => trackHungarianV2(t)).toThrow(/centroid_0', row 1/);
  });
});

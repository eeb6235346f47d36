import { describe, expect, it } from 'vitest';
import { trackHungarianV2 } from '../hungarian-v2';
import { btrackCellConfig, tableOf, type Row } from '../__tests__/helpers';
import { trackKalman } from './linker';
import { parseBtrackConfig } from './parse';

/** btrack's canonical cell model, parsed; search radius 50 unless given. */
function cellConfig(overrides: { max_lost?: number; max_search_radius?: number } = {}) {
  return parseBtrackConfig(
    btrackCellConfig({ max_lost: overrides.max_lost, max_search_radius: overrides.max_search_radius ?? 50 }),
  );
}

/** Two cells at constant velocity ±6 px/frame on rows 3 px apart: they pass each other between frames 2 and 3. */
function crossing(): Row[] {
  const rows: Row[] = [];
  for (let f = 0; f < 8; f++) {
    rows.push({ frame: f, y: 50, x: 6 * f, area: 60 }); // A →
    rows.push({ frame: f, y: 53, x: 27 - 6 * f, area: 60 }); // B ←
  }
  return rows;
}

describe('Kalman linker (btrack config)', () => {
  it('keeps two cells crossing at constant velocity apart, where last-position matching swaps them', () => {
    const table = tableOf(crossing());
    const nn = trackHungarianV2(table, { max_distance: 25, gap_bridge_frames: 2 });
    const nnA = new Set(Array.from(nn.trackid).filter((_, i) => i % 2 === 0));
    expect(nnA.size).toBeGreaterThan(1); // nearest-neighbour on last positions does swap (the scenario is hard)

    for (const metric of ['mahalanobis', 'euclidean'] as const) {
      const r = trackKalman(cellConfig(), table, { metric });
      const a = Array.from(r.trackid).filter((_, i) => i % 2 === 0);
      const b = Array.from(r.trackid).filter((_, i) => i % 2 === 1);
      expect(new Set(a)).toEqual(new Set([0]));
      expect(new Set(b)).toEqual(new Set([1]));
    }
  });

  it('keeps the id of a cell missing for 2 frames when max_lost is 3 (gap closing), not when max_lost is 1', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 9; f++) {
      if (f !== 4 && f !== 5) rows.push({ frame: f, y: 100 + 2 * f, x: 40 + 3 * f });
      rows.push({ frame: f, y: 400, x: 400 - f }); // another cell keeps every frame in the movie
    }
    const table = tableOf(rows);
    const idsOfFirst = (ids: Int32Array) => Array.from(ids).filter((_, i) => rows[i].y < 300);
    const r = trackKalman(cellConfig({ max_lost: 3 }), table);
    expect(new Set(idsOfFirst(r.trackid)).size).toBe(1);
    expect(r.summary.bridgedLinks).toBe(1);
    const short = trackKalman(cellConfig({ max_lost: 1 }), table);
    expect(new Set(idsOfFirst(short.trackid)).size).toBe(2);
  });

  it('does not link beyond max_search_radius', () => {
    const table = tableOf([
      { frame: 0, y: 0, x: 0 },
      { frame: 1, y: 0, x: 30 },
    ]);
    expect(Array.from(trackKalman(cellConfig({ max_search_radius: 50 }), table).trackid)).toEqual([0, 0]);
    expect(Array.from(trackKalman(cellConfig({ max_search_radius: 20 }), table).trackid)).toEqual([0, 1]);
  });

  it('a division starts a daughter track whose parent_track_id is the mother', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 4; f++) rows.push({ frame: f, y: 80, x: 80, area: 120 });
    for (let f = 4; f < 7; f++) {
      rows.push({ frame: f, y: 80, x: 76 - (f - 4), area: 60 });
      rows.push({ frame: f, y: 80, x: 84 + (f - 4), area: 58 });
    }
    rows.push({ frame: 6, y: 300, x: 300, area: 200 }); // a newcomer far away, not a daughter
    const r = trackKalman(cellConfig(), tableOf(rows));
    const mother = r.trackid[0];
    const daughterIds = new Set(
      rows.map((row, i) => (row.frame >= 4 && row.x < 200 ? r.trackid[i] : -9)).filter((v) => v !== -9),
    );
    expect(daughterIds.size).toBe(2);
    expect(daughterIds.has(mother)).toBe(true);
    const other = [...daughterIds].find((id) => id !== mother) as number;
    rows.forEach((row, i) => {
      expect(r.parent_track_id[i]).toBe(r.trackid[i] === other ? mother : -1);
    });
    expect(r.summary.divisions).toBe(1);
    expect(r.summary.newTracks).toBe(2); // the first cell and the newcomer
  });
});

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

    const r = trackKalman(cellConfig(), table);
    const a = Array.from(r.trackid).filter((_, i) => i % 2 === 0);
    const b = Array.from(r.trackid).filter((_, i) => i % 2 === 1);
    expect(new Set(a)).toEqual(new Set([0]));
    expect(new Set(b)).toEqual(new Set([1]));
  });

  it('closes a 2-frame gap in the first pass when the prediction is confident (max_lost 3), not with max_lost 1', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 9; f++) {
      if (f !== 4 && f !== 5) rows.push({ frame: f, y: 100 + 2 * f, x: 40 + 3 * f });
      rows.push({ frame: f, y: 400, x: 400 - f }); // another cell keeps every frame in the movie
    }
    const table = tableOf(rows);
    const idsOfFirst = (ids: Int32Array) => Array.from(ids).filter((_, i) => rows[i].y < 300);
    // cell_config with little process noise (G σ 1 for 15): the prediction stays narrow while lost
    const steady = (maxLost: number) => {
      const c = btrackCellConfig({ max_lost: maxLost, max_search_radius: 50 }) as {
        TrackerConfig: { MotionModel: Record<string, unknown> };
      };
      Object.assign(c.TrackerConfig.MotionModel, { G: { sigma: 1, matrix: [0.5, 0.5, 0.5, 1, 1, 1] } });
      return parseBtrackConfig(c);
    };
    const r = trackKalman(steady(3), table);
    expect(new Set(idsOfFirst(r.trackid)).size).toBe(1);
    expect(r.summary.bridgedLinks).toBe(1);
    const short = trackKalman(steady(1), table);
    expect(new Set(idsOfFirst(short.trackid)).size).toBe(2);
  });

  it('closes a gap in the global pass when time_thresh allows it', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 9; f++) if (f !== 4 && f !== 5) rows.push({ frame: f, y: 100, x: 100 + f });
    const table = tableOf(rows);
    const withThresh = (t: number) => {
      const c = btrackCellConfig({ max_lost: 0 }) as {
        TrackerConfig: { HypothesisModel: Record<string, unknown> };
      };
      Object.assign(c.TrackerConfig.HypothesisModel, { time_thresh: t, relax: false, theta_dist: 5 });
      return parseBtrackConfig(c);
    };
    // Away from the border (relax off), ending and starting are unlikely; a 3-frame link is not.
    const vol = { volume: { minX: 0, maxX: 200, minY: 0, maxY: 200 } };
    expect(new Set(trackKalman(withThresh(4), table, vol).trackid).size).toBe(1);
    expect(new Set(trackKalman(withThresh(2), table, vol).trackid).size).toBe(2);
  });

  it('does not link beyond max_search_radius', () => {
    // accuracy ±40 px: every candidate within reach is equally likely, only the radius decides
    const wide = (radius: number) =>
      parseBtrackConfig({
        ...btrackCellConfig({ max_search_radius: radius }),
        TrackerConfig: {
          MotionModel: {
            ...(btrackCellConfig().TrackerConfig as { MotionModel: Record<string, unknown> }).MotionModel,
            accuracy: 40,
          },
        },
      });
    const table = tableOf([
      { frame: 0, y: 0, x: 0 },
      { frame: 1, y: 0, x: 30 },
    ]);
    expect(Array.from(trackKalman(wide(50), table).trackid)).toEqual([0, 0]);
    expect(Array.from(trackKalman(wide(20), table).trackid)).toEqual([0, 1]);
  });

  it('a division ends the mother and starts both daughters with her as parent (CTC)', () => {
    const rows: Row[] = [];
    for (let f = 0; f < 4; f++) rows.push({ frame: f, y: 80, x: 80, area: 120 });
    for (let f = 4; f < 7; f++) {
      rows.push({ frame: f, y: 80, x: 76 - (f - 4), area: 60 });
      rows.push({ frame: f, y: 80, x: 84 + (f - 4), area: 58 });
    }
    rows.push({ frame: 6, y: 300, x: 300, area: 200 }); // a newcomer far away, not a daughter
    const r = trackKalman(cellConfig(), tableOf(rows));
    expect(Array.from(r.trackid)).toEqual([0, 0, 0, 0, 1, 2, 1, 2, 1, 2, 3]);
    expect(Array.from(r.parent_track_id)).toEqual([-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, -1]);
    expect(r.summary.divisions).toBe(1);
    expect(r.summary.newTracks).toBe(2); // the first cell and the newcomer
  });

  it('without a hypothesis model it only builds tracklets: a division leaves the daughters unparented', () => {
    const rows: Row[] = [{ frame: 0, y: 80, x: 80, area: 120 }];
    rows.push({ frame: 1, y: 80, x: 76, area: 60 }, { frame: 1, y: 80, x: 84, area: 58 });
    const c = btrackCellConfig() as { TrackerConfig: Record<string, unknown> };
    delete c.TrackerConfig.HypothesisModel;
    const r = trackKalman(parseBtrackConfig(c), tableOf(rows));
    expect(Array.from(r.parent_track_id)).toEqual([-1, -1, -1]);
    expect(new Set(r.trackid).size).toBe(3); // the area gate keeps the mother off a half-sized daughter
  });
});

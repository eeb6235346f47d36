import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackKalman } from './btrack/linker';
import { parseBtrackConfig } from './btrack/parse';
import { trackHungarianV2 } from './hungarian-v2';
import type { DetectionTable, TrackingResult } from './types';

/**
 * btrack's particle model (particle_config.json: random walk, A = identity, accuracy 7.5,
 * prob_not_assign 0.1) with TrackMate's 15 px cutoff.
 */
const particle = (maxLost: number) =>
  parseBtrackConfig({
    motion_model: {
      name: 'particle_motion',
      measurements: 3,
      states: 6,
      accuracy: 7.5,
      prob_not_assign: 0.1,
      max_lost: maxLost,
      A: {
        matrix: [
          1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
          0, 0, 1,
        ],
      },
      H: { matrix: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
      P: {
        sigma: 150,
        matrix: [
          0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0,
          0, 0, 0, 0, 1,
        ],
      },
      G: { sigma: 15, matrix: [0.5, 0.5, 0.5, 1, 1, 1] },
      R: { sigma: 5, matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    },
    max_search_radius: 15,
  });

/*
 * Agreement with TrackMate 6.0.3's LAP tracker on its synthetic FakeTracks movie (laptrack's
 * reference exports; linking cutoff 15 px, gap closing ≤ 2 frames at 15 px). TrackMate solves a
 * global LAP on squared distances with alternative (no-link) costs and a second segment-level LAP
 * for gap closing; HiTMicTools v2 solves per frame on plain distances and gates afterwards. The
 * test reports the agreement and asserts a floor, so a regression in linking shows up.
 */
const DIR = path.resolve(__dirname, '../../../shared/fixtures/tracking/laptrack_trackmate_reference');
const present = existsSync(DIR);
const MISSING = `SKIPPED: TrackMate reference not found at ${DIR}`;
if (!present) console.warn(MISSING);

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path.join(DIR, file), 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

function compare(
  mode: string,
  run: (t: DetectionTable) => TrackingResult,
  label: string,
): { ours: number; ref: number; common: number } {
  const spots = csv(`trackmate_tracks_${mode}_spots.csv`);
  const table: DetectionTable = {
    frame: Int32Array.from(spots, (s) => Number(s.frame)),
    centroid_0: Float64Array.from(spots, (s) => Number(s.position_y)),
    centroid_1: Float64Array.from(spots, (s) => Number(s.position_x)),
  };
  const r = run(table);
  const byTrack = new Map<number, number[]>();
  r.trackid.forEach((id, i) => byTrack.set(id, [...(byTrack.get(id) ?? []), i]));
  const key = (a: string, b: string): string => [a, b].sort().join('-');
  const ours = new Set<string>();
  for (const rows of byTrack.values()) {
    rows.sort((a, b) => table.frame[a] - table.frame[b]);
    for (let k = 1; k < rows.length; k++) ours.add(key(spots[rows[k - 1]].id, spots[rows[k]].id));
  }
  const ref = new Set(
    csv(`trackmate_tracks_${mode}_edges.csv`).map((e) => key(e.spot_source_id, e.spot_target_id)),
  );
  const common = [...ours].filter((e) => ref.has(e)).length;
  console.log(
    `TrackMate ${mode} vs ${label}: ours ${ours.size} edges, TrackMate ${ref.size}, common ${common} (recall ${((common / ref.size) * 100).toFixed(1)} %, precision ${((common / ours.size) * 100).toFixed(1)} %)`,
  );
  return { ours: ours.size, ref: ref.size, common };
}

describe.skipIf(!present)(
  `Hungarian v2 vs TrackMate LAP edges (FakeTracks)${present ? '' : ` — ${MISSING}`}`,
  () => {
    it('without gap closing (v2, gap_bridge_frames 1, 15 px)', () => {
      const c = compare(
        'without_gap_closing',
        (t) => trackHungarianV2(t, { max_distance: 15, gap_bridge_frames: 1 }),
        'v2',
      );
      expect(c.common / c.ref).toBeGreaterThan(0.95);
    });
    it('with gap closing (v2, gap_bridge_frames 2, 15 px)', () => {
      const c = compare(
        'with_gap_closing',
        (t) => trackHungarianV2(t, { max_distance: 15, gap_bridge_frames: 2 }),
        'v2',
      );
      expect(c.common / c.ref).toBeGreaterThan(0.95);
    });
    it('Kalman linker (particle model, radius 15; max_lost 0 and 1)', () => {
      const a = compare('without_gap_closing', (t) => trackKalman(particle(0), t), 'Kalman linker');
      const b = compare('with_gap_closing', (t) => trackKalman(particle(1), t), 'Kalman linker');
      expect(a.common / a.ref).toBeGreaterThan(0.9);
      expect(b.common / b.ref).toBeGreaterThan(0.9);
    });
  },
);

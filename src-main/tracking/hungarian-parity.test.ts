import { describe, expect, it } from 'vitest';
import { trackHungarianV2 } from './hungarian-v2';
import { trackHungarianV5 } from './hungarian-v5';
import { HUNGARIAN_V5_DEFAULTS } from './hungarian-v5-params';
import { idChecksum, syntheticMovie, tableOf } from './__tests__/helpers';

/*
 * Parity with HiTMicTools on dense synthetic movies (divisions, births, 4 % dropouts).
 * Expected numbers come from a line-by-line, pandas-free transcription of HiTMicTools'
 * hungarian_tracker.py / hungarian_tracker_v5.py run with NumPy 2.4.6, SciPy 1.17.1 and CPython
 * 3.11.7 (real `scipy.optimize.linear_sum_assignment`, `cdist`, CPython set order), on the same
 * generator (`__tests__/helpers.ts` `syntheticMovie`), and the checksum `idChecksum`:
 *   h = 0; for i, t in enumerate(ids): h = (h*1000003 + (t+2)*(i+1)) % 2147483647
 * Stitching in the transcription orders equal first frames by id, as stitch.ts does.
 * "v5b" = v5 with shape_weight 0.5, gap_bridge_frames 2, stitching off.
 */
const CASES = [
  {
    seed: 11,
    F: 30,
    C: 60,
    size: 150,
    step: 2.0,
    n: 2498,
    v2: 1843250514,
    v2tracks: 123,
    v5: 1073937334,
    v5parent: 1486589193,
    v5tracks: 125,
    reid: 1,
    div: 43,
    before: 132,
    stitches: 7,
    v5b: 149403561,
    v5btracks: 141,
  },
  {
    seed: 12,
    F: 40,
    C: 120,
    size: 200,
    step: 3.0,
    n: 7538,
    v2: 904386504,
    v2tracks: 316,
    v5: 513179332,
    v5parent: 1567522191,
    v5tracks: 316,
    reid: 4,
    div: 109,
    before: 345,
    stitches: 29,
    v5b: 339359843,
    v5btracks: 377,
  },
  {
    seed: 13,
    F: 25,
    C: 200,
    size: 300,
    step: 4.0,
    n: 6413,
    v2: 1589350436,
    v2tracks: 406,
    v5: 1774083155,
    v5parent: 124690560,
    v5tracks: 407,
    reid: 2,
    div: 121,
    before: 433,
    stitches: 26,
    v5b: 263263103,
    v5btracks: 505,
  },
];

describe('parity with HiTMicTools on synthetic movies', () => {
  it.each(CASES)('seed $seed: $n detections', (c) => {
    const table = tableOf(syntheticMovie(c.seed, c.F, c.C, c.size, c.step));
    expect(table.frame.length).toBe(c.n);

    const a = trackHungarianV2(table);
    expect(a.summary.tracks).toBe(c.v2tracks);
    expect(idChecksum(a.trackid)).toBe(c.v2);

    const b = trackHungarianV5(table);
    expect(b.summary).toMatchObject({
      tracks: c.v5tracks,
      reidentified: c.reid,
      divisions: c.div,
      tracksBeforeStitching: c.before,
      stitches: c.stitches,
    });
    expect(idChecksum(b.trackid)).toBe(c.v5);
    expect(idChecksum(b.parent_track_id)).toBe(c.v5parent);

    const v = trackHungarianV5(table, {
      ...HUNGARIAN_V5_DEFAULTS,
      shape_weight: 0.5,
      stitch_max_distance: null,
      gap_bridge_frames: 2,
    });
    expect(v.summary.tracks).toBe(c.v5btracks);
    expect(idChecksum(v.trackid)).toBe(c.v5b);
  });
});

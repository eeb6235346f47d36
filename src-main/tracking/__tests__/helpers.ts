/**
 * Helpers for the tracking tests only (not exported from index.ts): a seeded PRNG and a builder
 * turning plain rows into a columnar DetectionTable.
 */
import type { DetectionTable } from '../types';

export { mulberry32 } from '../../../test-support/random';

/** Standard normal numbers (Box–Muller) from a uniform generator. */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface Row {
  frame: number;
  y: number;
  x: number;
  area?: number;
  major?: number;
  minor?: number;
}

/** Columnar table from rows; area/axes columns exist only if every row has them. */
export function tableOf(rows: readonly Row[]): DetectionTable {
  const t: DetectionTable = {
    frame: Int32Array.from(rows, (r) => r.frame),
    centroid_0: Float64Array.from(rows, (r) => r.y),
    centroid_1: Float64Array.from(rows, (r) => r.x),
  };
  if (rows.length > 0 && rows.every((r) => r.area !== undefined))
    t.area = Float64Array.from(rows, (r) => r.area as number);
  if (rows.length > 0 && rows.every((r) => r.major !== undefined && r.minor !== undefined)) {
    t.major_axis_length = Float64Array.from(rows, (r) => r.major as number);
    t.minor_axis_length = Float64Array.from(rows, (r) => r.minor as number);
  }
  return t;
}

/**
 * Deterministic synthetic movie, bit-identical to the Python generator used for the reference
 * numbers (integer LCG s ← (1103515245·s + 12345) mod 2³¹): cells random-walk by ±`step` px, grow
 * by 2 px² per frame, divide (areas a/2 and a/2 − 1, ±3 px apart) with probability 25 % once above
 * 110 px², a cell is born with probability 30 % per frame, and 4 % of detections are dropped.
 * Rows: frame-major, cells in list order; major/minor axes = area/6 and area/12.
 */
export function syntheticMovie(
  seed: number,
  nFrames: number,
  nCells: number,
  size: number,
  step: number,
): Row[] {
  let s = BigInt(seed);
  const nx = (m: number): number => {
    s = (1103515245n * s + 12345n) % 2147483648n;
    return Number(s % BigInt(m));
  };
  let cells: number[][] = [];
  for (let i = 0; i < nCells; i++) cells.push([nx(size * 1000) / 1000, nx(size * 1000) / 1000, 60 + nx(40)]);
  const rows: Row[] = [];
  for (let f = 0; f < nFrames; f++) {
    const next: number[][] = [];
    for (const c of cells) {
      c[0] += ((nx(2001) - 1000) / 1000) * step;
      c[1] += ((nx(2001) - 1000) / 1000) * step;
      c[2] += 2;
      if (c[2] > 110 && nx(100) < 25) {
        const a = c[2] / 2;
        next.push([c[0] - 3, c[1], a], [c[0] + 3, c[1], a - 1]);
      } else next.push(c);
    }
    if (nx(100) < 30) next.push([nx(size * 1000) / 1000, nx(size * 1000) / 1000, 50 + nx(40)]);
    cells = next;
    for (const c of cells) {
      if (nx(100) < 4) continue;
      rows.push({ frame: f, y: c[0], x: c[1], area: c[2], major: c[2] / 6, minor: c[2] / 12 });
    }
  }
  return rows;
}

/** Order-sensitive checksum of an id column (same formula as the Python side). */
export function idChecksum(ids: ArrayLike<number>): number {
  let h = 0n;
  for (let i = 0; i < ids.length; i++) h = (h * 1000003n + BigInt((ids[i] + 2) * (i + 1))) % 2147483647n;
  return Number(h);
}

/**
 * btrack's canonical cell model (docs/user_guide/configuration.rst; cell_config.json): constant
 * velocity in 3-D, as the raw JSON object a config file holds.
 */
export function btrackCellConfig(
  options: { max_lost?: number; max_search_radius?: number; hypotheses?: string[] } = {},
): Record<string, unknown> {
  return {
    TrackerConfig: {
      MotionModel: {
        name: 'cell_motion',
        dt: 1.0,
        measurements: 3,
        states: 6,
        accuracy: 7.5,
        prob_not_assign: 0.1,
        max_lost: options.max_lost ?? 5,
        A: {
          matrix: [
            1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
            0, 0, 1,
          ],
        },
        H: { matrix: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
        P: {
          sigma: 150.0,
          matrix: [
            0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0,
            0, 0, 0, 0, 1,
          ],
        },
        G: { sigma: 15.0, matrix: [0.5, 0.5, 0.5, 1, 1, 1] },
        R: { sigma: 5.0, matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
      },
      HypothesisModel: {
        name: 'cell_hypothesis',
        hypotheses: options.hypotheses ?? ['P_FP', 'P_init', 'P_term', 'P_link', 'P_branch'],
        relax: true,
      },
    },
    ...(options.max_search_radius !== undefined ? { max_search_radius: options.max_search_radius } : {}),
  };
}

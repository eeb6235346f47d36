import { describe, expect, it } from 'vitest';
import { assignThenGate, linearSumAssignment } from './assignment';
import { AssignmentInputError } from './errors';

/** The LCG used to build the reference matrices in Python (exact integer arithmetic in both). */
function lcgMatrix(seed: number, r: number, c: number, mod: number, div: number): Float64Array {
  let s = BigInt(seed);
  const out = new Float64Array(r * c);
  for (let k = 0; k < r * c; k++) {
    s = (1103515245n * s + 12345n) % 2147483648n;
    out[k] = Number(s % BigInt(mod)) / div;
  }
  return out;
}

/*
 * Expected results from SciPy 1.17.1 (/usr/bin/python3):
 *   def lcg(seed): s = seed; while True: s = (1103515245*s + 12345) % 2**31; yield s
 *   def mat(seed, r, c, mod, div):
 *       g = lcg(seed); return np.array([next(g) % mod for _ in range(r*c)], float).reshape(r, c) / div
 *   ri, ci = scipy.optimize.linear_sum_assignment(mat(seed, r, c, mod, div))
 * Cases with mod 1..5 are tie-heavy integer matrices: they check SciPy's exact tie-breaking.
 */
const SCIPY_CASES = [
  {
    seed: 1000,
    r: 6,
    c: 6,
    mod: 100000,
    div: 1000,
    rows: [0, 1, 2, 3, 4, 5],
    cols: [5, 2, 1, 4, 0, 3],
    total: 118.199,
  },
  {
    seed: 1001,
    r: 10,
    c: 10,
    mod: 100000,
    div: 1000,
    rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    cols: [7, 1, 5, 2, 0, 9, 8, 4, 6, 3],
    total: 206.831,
  },
  {
    seed: 1002,
    r: 5,
    c: 8,
    mod: 100000,
    div: 1000,
    rows: [0, 1, 2, 3, 4],
    cols: [4, 0, 3, 6, 1],
    total: 36.413,
  },
  {
    seed: 1003,
    r: 8,
    c: 5,
    mod: 100000,
    div: 1000,
    rows: [0, 3, 5, 6, 7],
    cols: [3, 1, 4, 0, 2],
    total: 92.379,
  },
  {
    seed: 1004,
    r: 7,
    c: 12,
    mod: 100000,
    div: 1000,
    rows: [0, 1, 2, 3, 4, 5, 6],
    cols: [10, 6, 11, 8, 3, 5, 1],
    total: 47.571,
  },
  {
    seed: 1005,
    r: 12,
    c: 7,
    mod: 100000,
    div: 1000,
    rows: [0, 3, 4, 6, 7, 8, 10],
    cols: [5, 2, 6, 4, 0, 1, 3],
    total: 57.233,
  },
  { seed: 1006, r: 6, c: 6, mod: 4, div: 1, rows: [0, 1, 2, 3, 4, 5], cols: [1, 3, 5, 0, 2, 4], total: 3 },
  {
    seed: 1007,
    r: 9,
    c: 9,
    mod: 3,
    div: 1,
    rows: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    cols: [4, 2, 3, 6, 7, 8, 1, 0, 5],
    total: 0,
  },
  { seed: 1008, r: 5, c: 9, mod: 3, div: 1, rows: [0, 1, 2, 3, 4], cols: [2, 1, 5, 3, 7], total: 0 },
  { seed: 1009, r: 9, c: 5, mod: 3, div: 1, rows: [0, 1, 2, 3, 6], cols: [3, 0, 1, 4, 2], total: 0 },
  {
    seed: 1010,
    r: 8,
    c: 8,
    mod: 2,
    div: 1,
    rows: [0, 1, 2, 3, 4, 5, 6, 7],
    cols: [1, 3, 5, 7, 4, 0, 2, 6],
    total: 4,
  },
  { seed: 1011, r: 4, c: 11, mod: 5, div: 1, rows: [0, 1, 2, 3], cols: [1, 0, 2, 4], total: 1 },
  { seed: 1012, r: 11, c: 4, mod: 5, div: 1, rows: [0, 1, 3, 4], cols: [0, 2, 3, 1], total: 0 },
  {
    seed: 1013,
    r: 7,
    c: 7,
    mod: 1,
    div: 1,
    rows: [0, 1, 2, 3, 4, 5, 6],
    cols: [0, 1, 2, 3, 4, 5, 6],
    total: 0,
  },
  { seed: 1014, r: 6, c: 10, mod: 1, div: 1, rows: [0, 1, 2, 3, 4, 5], cols: [0, 1, 2, 3, 4, 5], total: 0 },
  { seed: 1015, r: 10, c: 6, mod: 1, div: 1, rows: [0, 1, 2, 3, 4, 5], cols: [0, 1, 2, 3, 4, 5], total: 0 },
];

function bruteForceMin(cost: Float64Array, n: number): number {
  let best = Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const permute = (k: number): void => {
    if (k === n) {
      let s = 0;
      for (let i = 0; i < n; i++) s += cost[i * n + perm[i]];
      best = Math.min(best, s);
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      permute(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  permute(0);
  return best;
}

describe('linearSumAssignment', () => {
  it.each(SCIPY_CASES)('matches SciPy on seed $seed ($r×$c, mod $mod)', (k) => {
    const a = linearSumAssignment(lcgMatrix(k.seed, k.r, k.c, k.mod, k.div), k.r, k.c);
    expect(Array.from(a.rowInd)).toEqual(k.rows);
    expect(Array.from(a.colInd)).toEqual(k.cols);
    expect(a.totalCost).toBeCloseTo(k.total, 9);
  });

  it('matches SciPy on a 200×300 matrix (total 813.164, first 20 columns)', () => {
    const a = linearSumAssignment(lcgMatrix(7, 200, 300, 1000000, 1000), 200, 300);
    expect(a.totalCost).toBeCloseTo(813.164, 6);
    expect(Array.from(a.colInd.subarray(0, 20))).toEqual([
      239, 195, 161, 48, 8, 31, 128, 114, 292, 82, 225, 228, 36, 109, 275, 37, 245, 106, 93, 176,
    ]);
  });

  it('finds the brute-force optimum for every n ≤ 7 (30 random matrices)', () => {
    for (let t = 0; t < 30; t++) {
      const n = 1 + (t % 7);
      const m = lcgMatrix(500 + t, n, n, 1000, 10);
      const a = linearSumAssignment(m, n, n);
      expect(a.totalCost).toBeCloseTo(bruteForceMin(m, n), 9);
      expect(new Set(a.colInd).size).toBe(n);
    }
  });

  it('solves a 1000×1000 matrix quickly', () => {
    const m = lcgMatrix(99, 1000, 1000, 1000000, 1000);
    const t0 = performance.now();
    const a = linearSumAssignment(m, 1000, 1000);
    const ms = performance.now() - t0;
    expect(new Set(a.colInd).size).toBe(1000);
    console.log(`linearSumAssignment 1000×1000: ${ms.toFixed(0)} ms, total ${a.totalCost.toFixed(3)}`);
    expect(ms).toBeLessThan(20000);
  });

  it('handles empty matrices and +Infinity (forbidden) entries', () => {
    expect(linearSumAssignment(new Float64Array(0), 0, 5).rowInd.length).toBe(0);
    const m = Float64Array.from([Infinity, 1, 2, Infinity]);
    expect(Array.from(linearSumAssignment(m, 2, 2).colInd)).toEqual([1, 0]);
  });

  it('rejects NaN, wrong length and infeasible matrices with a field-naming error', () => {
    expect(() => linearSumAssignment(Float64Array.from([1, NaN, 2, 3]), 2, 2)).toThrow(/cost\[0, 1\]/);
    expect(() => linearSumAssignment(new Float64Array(5), 2, 3)).toThrow(AssignmentInputError);
    expect(() => linearSumAssignment(Float64Array.from([Infinity, Infinity, 1, 2]), 2, 2)).toThrow(
      /infeasible/,
    );
  });
});

describe('assignThenGate', () => {
  it('gates after assignment, never before (HiTMicTools semantics)', () => {
    // Row 0 is near column 0 (1) and far from column 1 (30); row 1 is at 2 from column 0 and 100 from column 1.
    // Optimal: (0,1)+(1,0) = 32 < (0,0)+(1,1) = 101. Gate 25 then rejects (0,1): row 0 stays unmatched
    // even though column 0 alone would have fitted it — gating before assignment would give (0,0).
    const cost = Float64Array.from([1, 30, 2, 100]);
    const g = assignThenGate(cost, 2, 2, 25);
    expect(Array.from(g.rowInd)).toEqual([1]);
    expect(Array.from(g.colInd)).toEqual([0]);
  });
});

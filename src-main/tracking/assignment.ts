/**
 * Rectangular linear sum assignment, identical in result to `scipy.optimize.linear_sum_assignment`
 * (SciPy ≥ 1.6, `rectangular_lsap.cpp`): the shortest-augmenting-path (Jonker–Volgenant family)
 * algorithm of Crouse (2016), reproduced operation for operation so that ties are broken exactly as
 * SciPy breaks them (remaining columns scanned in reverse order; among equal reduced costs a free
 * column wins). O(n²·m) time for an n×m matrix with n ≤ m.
 */
import { AssignmentInputError } from './errors';

/** Result of {@link linearSumAssignment}: pairs `(rowInd[k], colInd[k])`, sorted by row. */
export interface Assignment {
  rowInd: Int32Array;
  colInd: Int32Array;
  /** Sum of `cost[rowInd[k], colInd[k]]`. */
  totalCost: number;
}

/**
 * Minimum-cost assignment of rows to columns of a dense row-major `nRows × nCols` cost matrix.
 * Returns min(nRows, nCols) pairs sorted by row index, like SciPy. Entries may be `+Infinity`
 * (forbidden) as long as a complete assignment of the smaller side exists.
 *
 * @throws AssignmentInputError when the length does not match, an entry is NaN or −∞, or no
 *   finite-cost complete assignment exists (SciPy: "cost matrix is infeasible").
 */
export function linearSumAssignment(cost: Float64Array, nRows: number, nCols: number): Assignment {
  if (!Number.isInteger(nRows) || !Number.isInteger(nCols) || nRows < 0 || nCols < 0) {
    throw new AssignmentInputError(
      'matrix shape',
      'non-negative integer rows and columns',
      `${nRows}×${nCols}`,
    );
  }
  if (cost.length !== nRows * nCols) {
    throw new AssignmentInputError(
      'cost length',
      `${nRows}×${nCols} = ${nRows * nCols} entries`,
      `${cost.length}`,
    );
  }
  if (nRows === 0 || nCols === 0)
    return { rowInd: new Int32Array(0), colInd: new Int32Array(0), totalCost: 0 };

  const transpose = nCols < nRows;
  let nr = nRows;
  let nc = nCols;
  let c = cost;
  if (transpose) {
    c = new Float64Array(nRows * nCols);
    for (let i = 0; i < nRows; i++) for (let j = 0; j < nCols; j++) c[j * nRows + i] = cost[i * nCols + j];
    nr = nCols;
    nc = nRows;
  }
  for (let k = 0; k < c.length; k++) {
    const x = c[k];
    if (x !== x || x === -Infinity) {
      const r = transpose ? k % nr : Math.floor(k / nc);
      const col = transpose ? Math.floor(k / nr) : k % nc;
      throw new AssignmentInputError(
        `cost[${r}, ${col}]`,
        'a number that is not NaN or −Infinity',
        String(x),
      );
    }
  }

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // --- augmenting_path ---
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      SR[i] = 1;
      const base = i * nc;
      const ui = u[i];
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + c[base + j] - ui - v[j];
        if (r < shortest[j]) {
          path[j] = i;
          shortest[j] = r;
        }
        const sj = shortest[j];
        if (sj < lowest || (sj === lowest && row4col[j] === -1)) {
          lowest = sj;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) {
        throw new AssignmentInputError(
          'cost matrix',
          'a feasible matrix (every row of the smaller side can reach a finite-cost column)',
          'infeasible (too many +Infinity entries)',
        );
      }
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    // --- update dual variables ---
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) if (SR[r] && r !== curRow) u[r] += minVal - shortest[col4row[r]];
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] -= minVal - shortest[j];
    // --- augment ---
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const tmp = col4row[r];
      col4row[r] = j;
      j = tmp;
      if (r === curRow) break;
    }
  }

  const n = nr;
  const rowInd = new Int32Array(n);
  const colInd = new Int32Array(n);
  let total = 0;
  if (transpose) {
    // col4row[k] is the original row matched to original column k; sort pairs by original row.
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => col4row[a] - col4row[b]);
    for (let k = 0; k < n; k++) {
      rowInd[k] = col4row[order[k]];
      colInd[k] = order[k];
      total += cost[rowInd[k] * nCols + colInd[k]];
    }
  } else {
    for (let k = 0; k < n; k++) {
      rowInd[k] = k;
      colInd[k] = col4row[k];
      total += cost[k * nCols + col4row[k]];
    }
  }
  return { rowInd, colInd, totalCost: total };
}

/**
 * HiTMicTools' gating: solve the assignment on the full matrix first, then keep only the pairs
 * whose `gate[r, c]` is ≤ `maxGate` (gating never changes which pairs the solver picks; a rejected
 * pair just leaves its row and column unassigned). `gate` defaults to `cost`.
 */
export function assignThenGate(
  cost: Float64Array,
  nRows: number,
  nCols: number,
  maxGate: number,
  gate: Float64Array = cost,
): Assignment {
  const a = linearSumAssignment(cost, nRows, nCols);
  const keep: number[] = [];
  for (let k = 0; k < a.rowInd.length; k++)
    if (gate[a.rowInd[k] * nCols + a.colInd[k]] <= maxGate) keep.push(k);
  const rowInd = Int32Array.from(keep, (k) => a.rowInd[k]);
  const colInd = Int32Array.from(keep, (k) => a.colInd[k]);
  let total = 0;
  for (let k = 0; k < rowInd.length; k++) total += cost[rowInd[k] * nCols + colInd[k]];
  return { rowInd, colInd, totalCost: total };
}

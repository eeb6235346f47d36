import type { WindowGrid } from './windows';

/**
 * Σw for every pixel of a padded H×W frame tiled by `grid` with importance map `map`: the denominator
 * of MONAI's weighted average. It depends only on the geometry, not on the data, so it is computed once
 * per (frame size, window, overlap, map) and reused for every frame of a movie. Windows are added in
 * grid order in float32, as MONAI's count map accumulates them, so the sums are the same to the bit.
 * Do not modify the result.
 */
export function blendWeights(
  height: number,
  width: number,
  grid: WindowGrid,
  roiH: number,
  roiW: number,
  map: Float32Array,
): Float32Array {
  const key = `${height}x${width}:${roiH}x${roiW}:${grid.ys.join(',')}:${grid.xs.join(',')}`;
  const hit = weightCache.get(key);
  if (hit?.map === map) {
    // Most recently used last, so the oldest entry is the first one dropped.
    weightCache.delete(key);
    weightCache.set(key, hit);
    return hit.weights;
  }
  const weights = new Float32Array(height * width);
  for (const y0 of grid.ys) {
    for (const x0 of grid.xs) {
      for (let y = 0; y < roiH; y++) {
        const o = (y0 + y) * width + x0;
        const m = y * roiW;
        for (let x = 0; x < roiW; x++) weights[o + x] += map[m + x];
      }
    }
  }
  weightCache.set(key, { map, weights });
  // A 2048² map is 16 MB: keep the few a worker's stages use (restorers and segmenter), not every size seen.
  while (weightCache.size > MAX_CACHED_WEIGHTS) weightCache.delete(weightCache.keys().next().value as string);
  return weights;
}

const MAX_CACHED_WEIGHTS = 3;
const weightCache = new Map<string, { map: Float32Array; weights: Float32Array }>();

/** How a merger places windows: the grid over its padded frame, the window size and its importance map. */
export interface MergerGeometry {
  grid: WindowGrid;
  roiH: number;
  roiW: number;
  map: Float32Array;
  /** True when the map is all ones (constant blending): the products are skipped. */
  constant: boolean;
}

/**
 * Weighted average merger (MONAI `AvgMerger` with an importance map) over a window grid: `aggregate`
 * adds window k's pred·w into a C×H×W float32 sum; `finalize` divides by the precomputed Σw (see
 * blendWeights), giving Σ(pred·w)/Σ(w). `sums` hands out the undivided sums instead, for callers
 * that only need the sign of the average (Σw > 0 everywhere). `aggregate` refuses to run after either.
 * Windows must come in grid order: the part of a window no earlier window touched is stored, not
 * added (a copy for constant blending), which is why the order matters.
 */
export class WeightedMerger {
  private readonly sum: Float32Array;
  private readonly weights: Float32Array;
  private done = false;

  constructor(
    readonly channels: number,
    readonly height: number,
    readonly width: number,
    private readonly geometry: MergerGeometry,
  ) {
    const { grid, roiH, roiW, map } = geometry;
    this.weights = blendWeights(height, width, grid, roiH, roiW, map);
    this.sum = new Float32Array(channels * height * width);
  }

  /**
   * Adds window k of the grid. `pred` holds C×roiH×roiW values starting at `predOffset` (so a window of
   * a batched output needs no copy).
   */
  aggregate(pred: Float32Array, predOffset: number, k: number): void {
    if (this.done) throw new Error('WeightedMerger.aggregate called after finalize');
    const { width: W, sum, channels } = this;
    const { grid, roiH, roiW, map, constant } = this.geometry;
    const nx = grid.xs.length;
    const iy = Math.floor(k / nx);
    const ix = k % nx;
    const y0 = grid.ys[iy];
    const x0 = grid.xs[ix];
    // The grid's earlier rows span the whole width: rows above their end are already summed into.
    // Below it, the earlier windows of this grid row cover the columns left of theirs.
    const newFromRow = iy > 0 ? Math.max(0, grid.ys[iy - 1] + roiH - y0) : 0;
    const newFromCol = ix > 0 ? Math.max(0, grid.xs[ix - 1] + roiW - x0) : 0;
    const plane = this.height * W;
    const roiPlane = roiH * roiW;
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < roiH; y++) {
        const o = c * plane + (y0 + y) * W + x0;
        const p = predOffset + c * roiPlane + y * roiW;
        const split = y < newFromRow ? roiW : newFromCol;
        if (constant) {
          addRow(sum, o, pred, p, split);
          if (split < roiW) sum.set(pred.subarray(p + split, p + roiW), o + split);
        } else {
          const m = y * roiW;
          addWeightedRow(sum, o, pred, p, map, m, split);
          for (let x = split; x < roiW; x++) sum[o + x] = pred[p + x] * map[m + x];
        }
      }
    }
  }

  /** Divides the sums by the weights in place and returns the C×H×W result. */
  finalize(): Float32Array {
    if (this.done) return this.sum;
    const plane = this.height * this.width;
    const { sum, weights } = this;
    for (let c = 0; c < this.channels; c++) {
      const o = c * plane;
      for (let i = 0; i < plane; i++) sum[o + i] /= weights[i];
    }
    this.done = true;
    return sum;
  }

  /** The undivided C×H×W sums Σ(pred·w) and the H×W Σw (shared: read only); the merger is closed. */
  sums(): { sum: Float32Array; weights: Float32Array } {
    if (this.done) throw new Error('WeightedMerger.sums called after finalize');
    this.done = true;
    return { sum: this.sum, weights: this.weights };
  }
}

// The two hot loops of tiled inference (≈ 8 M additions per 2048² frame). Unrolled by four: V8 does
// not vectorise, and the unrolled loop measured about a third faster than the plain one.

/** sum[o..o+n) += pred[p..p+n) */
function addRow(sum: Float32Array, o: number, pred: Float32Array, p: number, n: number): void {
  let x = 0;
  for (; x + 4 <= n; x += 4) {
    sum[o + x] += pred[p + x];
    sum[o + x + 1] += pred[p + x + 1];
    sum[o + x + 2] += pred[p + x + 2];
    sum[o + x + 3] += pred[p + x + 3];
  }
  for (; x < n; x++) sum[o + x] += pred[p + x];
}

/** sum[o..o+n) += pred[p..p+n) · map[m..m+n) */
function addWeightedRow(
  sum: Float32Array,
  o: number,
  pred: Float32Array,
  p: number,
  map: Float32Array,
  m: number,
  n: number,
): void {
  let x = 0;
  for (; x + 4 <= n; x += 4) {
    sum[o + x] += pred[p + x] * map[m + x];
    sum[o + x + 1] += pred[p + x + 1] * map[m + x + 1];
    sum[o + x + 2] += pred[p + x + 2] * map[m + x + 2];
    sum[o + x + 3] += pred[p + x + 3] * map[m + x + 3];
  }
  for (; x < n; x++) sum[o + x] += pred[p + x] * map[m + x];
}

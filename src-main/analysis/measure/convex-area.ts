import type { LabelImage } from './region-stats';

/**
 * Convex-hull pixel area exactly as scikit-image 0.19 `convex_hull_image(object_mask)` counts it
 * (used by `solidity = area / area_convex`):
 * - every object pixel (r, c) contributes the four midpoints of its edges, (r ± 0.5, c) and
 *   (r, c ± 0.5) (skimage `_offsets_diamond`; only the first and last pixel of each row are needed,
 *   as skimage's `possible_hull` does);
 * - the hull of those points is taken (monotone chain; collinear points dropped, as qhull does);
 * - the convex area is the number of pixel centres of the object's bounding box inside the hull or
 *   on its boundary (skimage includes labels 1, 2, 3 = inside, vertex, edge).
 * All arithmetic is done on doubled coordinates (2r, 2c), so it is exact: no tolerance is needed.
 */
export class ConvexAreaCounter {
  /** Doubled hull candidate points (y, x interleaved) and the hull; grown on demand, reused. */
  private pts = new Int32Array(0);
  private keys = new Float64Array(0);
  private hull = new Int32Array(0);

  private ensure(points: number): void {
    if (this.keys.length >= points) return;
    const cap = Math.max(points, this.keys.length * 2, 64);
    this.pts = new Int32Array(cap * 2);
    this.keys = new Float64Array(cap);
    this.hull = new Int32Array(cap * 2 + 4);
  }

  /**
   * Convex area (pixels) of the object `label` whose inclusive bounding box is
   * [minRow, maxRow] × [minCol, maxCol] in a row-major label image of the given width.
   */
  count(
    labels: LabelImage,
    width: number,
    label: number,
    minRow: number,
    maxRow: number,
    minCol: number,
    maxCol: number,
  ): number {
    const rows = maxRow - minRow + 1;
    this.ensure(rows * 6);
    const keys = this.keys;
    let np = 0;
    // Key = (2r+1 − (2·minRow − 1)) · K + (2c + 1 − (2·minCol − 1)): sorts by (y, x), all non-negative.
    const y0 = 2 * minRow - 1;
    const x0 = 2 * minCol - 1;
    const K = 2 * (maxCol - minCol) + 4;
    for (let r = minRow; r <= maxRow; r++) {
      const row = r * width;
      let left = -1;
      let right = -1;
      for (let c = minCol; c <= maxCol; c++) {
        if (labels[row + c] === label) {
          left = c;
          break;
        }
      }
      if (left < 0) continue;
      for (let c = maxCol; c >= left; c--) {
        if (labels[row + c] === label) {
          right = c;
          break;
        }
      }
      const y = 2 * r - y0;
      keys[np++] = (y - 1) * K + (2 * left - x0);
      keys[np++] = y * K + (2 * left - 1 - x0);
      keys[np++] = (y + 1) * K + (2 * left - x0);
      keys[np++] = (y - 1) * K + (2 * right - x0);
      keys[np++] = y * K + (2 * right + 1 - x0);
      keys[np++] = (y + 1) * K + (2 * right - x0);
    }
    const sorted = keys.subarray(0, np).sort();
    const pts = this.pts;
    let m = 0;
    for (let i = 0; i < np; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue;
      const key = sorted[i];
      const yy = Math.floor(key / K);
      pts[2 * m] = yy + y0;
      pts[2 * m + 1] = key - yy * K + x0;
      m++;
    }
    const h = this.buildHull(m);
    return this.countInside(h, minRow, maxRow);
  }

  /** Andrew's monotone chain over pts[0..m) sorted by (y, x); returns the hull size (CCW in (x, y)). */
  private buildHull(m: number): number {
    const p = this.pts;
    const hull = this.hull;
    let k = 0;
    const cross = (o: number, a: number, bi: number): number => {
      // (a − o) × (b − o) with points as (x, y) = (pts[2i+1], pts[2i]).
      return (
        (hull[2 * a + 1] - hull[2 * o + 1]) * (p[2 * bi] - hull[2 * o]) -
        (hull[2 * a] - hull[2 * o]) * (p[2 * bi + 1] - hull[2 * o + 1])
      );
    };
    for (let i = 0; i < m; i++) {
      while (k >= 2 && cross(k - 2, k - 1, i) <= 0) k--;
      hull[2 * k] = p[2 * i];
      hull[2 * k + 1] = p[2 * i + 1];
      k++;
    }
    const lower = k + 1;
    for (let i = m - 2; i >= 0; i--) {
      while (k >= lower && cross(k - 2, k - 1, i) <= 0) k--;
      hull[2 * k] = p[2 * i];
      hull[2 * k + 1] = p[2 * i + 1];
      k++;
    }
    return k - 1;
  }

  /** Pixel centres (2r, 2c) inside or on the hull polygon, rows minRow..maxRow. */
  private countInside(h: number, minRow: number, maxRow: number): number {
    const hull = this.hull;
    let total = 0;
    for (let r = minRow; r <= maxRow; r++) {
      const Y = 2 * r;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < h; i++) {
        const j = i + 1 === h ? 0 : i + 1;
        const ya = hull[2 * i];
        const xa = hull[2 * i + 1];
        const yb = hull[2 * j];
        const xb = hull[2 * j + 1];
        if ((ya < Y && yb < Y) || (ya > Y && yb > Y)) continue;
        if (ya === yb) {
          lo = Math.min(lo, xa, xb);
          hi = Math.max(hi, xa, xb);
          continue;
        }
        // x = xa + (Y − ya)(xb − xa)/(yb − ya): exact rational; Math.ceil/floor of the correctly
        // rounded quotient is exact because the denominator is small.
        const x = xa + ((Y - ya) * (xb - xa)) / (yb - ya);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (lo > hi) continue;
      const cLo = Math.ceil(lo / 2);
      const cHi = Math.floor(hi / 2);
      if (cHi >= cLo) total += cHi - cLo + 1;
    }
    return total;
  }
}

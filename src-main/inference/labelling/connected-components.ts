/**
 * Connected-component labelling of a binary H×W mask (row-major Uint8Array, non-zero = foreground),
 * union-find over horizontal runs on typed arrays, as scipy.ndimage.label: 4-connectivity by
 * default (its default structure in 2-D), 8 optional; labels 1..N numbered in raster order of each object's first pixel.
 * Optionally drops objects smaller than `minSize` pixels (size ≥ minSize is kept) and renumbers the
 * survivors 1..N, still in raster order — HiTMicTools' segmentation post-processing.
 */
export interface LabelResult {
  /** Uint16Array when count ≤ 65535, else Uint32Array; 0 = background. */
  labels: Uint16Array | Uint32Array;
  count: number;
  /** Pixel count per label (index 0 unused). */
  areas: Uint32Array;
}

export interface LabelOptions {
  connectivity?: 4 | 8;
  /** Objects with fewer pixels are removed; default 0 (keep all). */
  minSize?: number;
}

function find(parent: Int32Array, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r];
  while (parent[x] !== r) {
    const n = parent[x];
    parent[x] = r;
    x = n;
  }
  return r;
}

/** Joins the sets of runs a and b; the smaller run index (earlier in raster order) stays the root. */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}

/**
 * Run-based labelling: each row's horizontal runs of foreground are found with a tight scan, runs
 * touching a run of the row above are joined (union-find over runs, not pixels), and the labels are
 * written run by run. A cell of a few hundred pixels is a dozen runs, so the per-pixel work is just
 * the scan and the final fill.
 */
export function labelComponents(
  mask: Uint8Array,
  height: number,
  width: number,
  opts: LabelOptions = {},
): LabelResult {
  // 8-connectivity also joins runs that only touch at a corner: widen the overlap test by one pixel.
  const reach = opts.connectivity === 8 ? 1 : 0;
  const minSize = opts.minSize ?? 0;
  let runStart = new Int32Array(4096);
  let runEnd = new Int32Array(4096);
  let parent = new Int32Array(4096);
  const rowFirst = new Int32Array(height + 1);
  let runs = 0;
  let prevFirst = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    rowFirst[y] = runs;
    let j = prevFirst; // candidate runs of the row above: [prevFirst, rowFirst[y])
    const prevEnd = runs;
    let x = 0;
    while (x < width) {
      while (x < width && mask[row + x] === 0) x++;
      if (x === width) break;
      const s = x;
      while (x < width && mask[row + x] !== 0) x++;
      if (runs === runStart.length) {
        runStart = grow(runStart);
        runEnd = grow(runEnd);
        parent = grow(parent);
      }
      const r = runs++;
      runStart[r] = s;
      runEnd[r] = x;
      parent[r] = r;
      if (y === 0) continue;
      while (j < prevEnd && runEnd[j] + reach <= s) j++;
      for (let k = j; k < prevEnd && runStart[k] < x + reach; k++) union(parent, r, k);
    }
    prevFirst = rowFirst[y];
  }
  rowFirst[height] = runs;
  // Roots are the first run of their object in raster order, so numbering roots in increasing order
  // numbers objects in raster order of their first pixel, as scipy.ndimage.label does.
  const rootArea = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    parent[r] = find(parent, r);
    rootArea[parent[r]] += runEnd[r] - runStart[r];
  }
  const final = new Uint32Array(runs);
  let count = 0;
  for (let r = 0; r < runs; r++) if (parent[r] === r && rootArea[r] >= minSize) final[r] = ++count;
  const labels = count <= 0xffff ? new Uint16Array(height * width) : new Uint32Array(height * width);
  const areas = new Uint32Array(count + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let r = rowFirst[y]; r < rowFirst[y + 1]; r++) {
      const f = final[parent[r]];
      if (f === 0) continue;
      labels.fill(f, row + runStart[r], row + runEnd[r]);
      areas[f] += runEnd[r] - runStart[r];
    }
  }
  return { labels, count, areas };
}

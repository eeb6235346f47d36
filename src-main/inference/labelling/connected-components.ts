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
 * The horizontal runs of foreground of an H×W image, row by row: run r covers x in
 * [start[r], end[r]) of its row, and the runs of row y are rowFirst[y] .. rowFirst[y+1]−1.
 * Rows must be filled in order: `beginRow(y)`, then `add` its runs left to right; `finish()` at the end.
 */
export class RowRuns {
  start = new Int32Array(4096);
  end = new Int32Array(4096);
  count = 0;
  readonly rowFirst: Int32Array;

  constructor(
    readonly height: number,
    readonly width: number,
  ) {
    this.rowFirst = new Int32Array(height + 1);
  }

  beginRow(y: number): void {
    this.rowFirst[y] = this.count;
  }

  add(start: number, end: number): void {
    if (this.count === this.start.length) {
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }

  finish(): this {
    this.rowFirst[this.height] = this.count;
    return this;
  }
}

/** The runs of the non-zero pixels of a row-major mask. */
export function maskRuns(mask: Uint8Array, height: number, width: number): RowRuns {
  const runs = new RowRuns(height, width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    runs.beginRow(y);
    let x = 0;
    while (x < width) {
      while (x < width && mask[row + x] === 0) x++;
      if (x === width) break;
      const s = x;
      while (x < width && mask[row + x] !== 0) x++;
      runs.add(s, x);
    }
  }
  return runs.finish();
}

/**
 * Labels connected runs: runs touching a run of the row above are joined (union-find over runs, not
 * pixels) and the labels are written run by run. A cell of a few hundred pixels is a dozen runs, so
 * the per-pixel work is only the scan that found the runs and the final fill.
 */
export function labelRuns(runs: RowRuns, opts: LabelOptions = {}): LabelResult {
  const { height, width, start, end, rowFirst, count: n } = runs;
  // 8-connectivity also joins runs that only touch at a corner: widen the overlap test by one pixel.
  const reach = opts.connectivity === 8 ? 1 : 0;
  const minSize = opts.minSize ?? 0;
  const parent = new Int32Array(n);
  for (let r = 0; r < n; r++) parent[r] = r;
  for (let y = 1; y < height; y++) {
    let j = rowFirst[y - 1];
    const prevEnd = rowFirst[y];
    for (let r = rowFirst[y]; r < rowFirst[y + 1]; r++) {
      while (j < prevEnd && end[j] + reach <= start[r]) j++;
      for (let k = j; k < prevEnd && start[k] < end[r] + reach; k++) union(parent, r, k);
    }
  }
  // Roots are the first run of their object in raster order, so numbering roots in increasing order
  // numbers objects in raster order of their first pixel, as scipy.ndimage.label does.
  const rootArea = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    parent[r] = find(parent, r);
    rootArea[parent[r]] += end[r] - start[r];
  }
  const final = new Uint32Array(n);
  let count = 0;
  for (let r = 0; r < n; r++) if (parent[r] === r && rootArea[r] >= minSize) final[r] = ++count;
  const labels = count <= 0xffff ? new Uint16Array(height * width) : new Uint32Array(height * width);
  const areas = new Uint32Array(count + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let r = rowFirst[y]; r < rowFirst[y + 1]; r++) {
      const f = final[parent[r]];
      if (f === 0) continue;
      labels.fill(f, row + start[r], row + end[r]);
      areas[f] += end[r] - start[r];
    }
  }
  return { labels, count, areas };
}

export function labelComponents(
  mask: Uint8Array,
  height: number,
  width: number,
  opts: LabelOptions = {},
): LabelResult {
  return labelRuns(maskRuns(mask, height, width), opts);
}

/**
 * Connected-component labelling of a binary H×W mask (row-major Uint8Array, non-zero = foreground),
 * two-pass union-find on typed arrays, as scipy.ndimage.label: 4-connectivity by default (its default
 * structure in 2-D), 8 optional; labels 1..N numbered in raster order of each object's first pixel.
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

function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return ra;
  // Keep the smaller provisional label as root: provisional labels grow in raster order.
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

export function labelComponents(
  mask: Uint8Array,
  height: number,
  width: number,
  opts: LabelOptions = {},
): LabelResult {
  const eight = opts.connectivity === 8;
  const minSize = opts.minSize ?? 0;
  const n = height * width;
  const prov = new Int32Array(n);
  // At most ceil(n/2)+1 provisional labels with 4-connectivity; n+1 is always enough.
  let parent = new Int32Array(Math.min(n, 1024) + 1);
  let next = 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!mask[i]) continue;
      let l = 0;
      if (x > 0 && prov[i - 1]) l = prov[i - 1];
      if (y > 0) {
        const up = prov[i - width];
        if (up) l = l === 0 ? up : l === up ? l : union(parent, l, up);
        if (eight) {
          if (x > 0 && prov[i - width - 1])
            l = l ? union(parent, l, prov[i - width - 1]) : prov[i - width - 1];
          if (x + 1 < width && prov[i - width + 1])
            l = l ? union(parent, l, prov[i - width + 1]) : prov[i - width + 1];
        }
      }
      if (!l) {
        if (next >= parent.length) {
          const grown = new Int32Array(Math.min(n + 1, parent.length * 2));
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        l = next++;
      }
      prov[i] = l;
    }
  }
  // Resolve roots, count areas per root.
  const rootArea = new Uint32Array(next);
  for (let l = 1; l < next; l++) parent[l] = find(parent, l);
  for (let i = 0; i < n; i++) if (prov[i]) rootArea[parent[prov[i]]]++;
  // Final numbering in raster order of first pixel: the root is the smallest provisional label of its
  // component, and provisional labels were issued in raster order of first pixel, so numbering roots
  // in increasing order gives raster order.
  const final = new Uint32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    if (parent[l] === l && rootArea[l] >= minSize && rootArea[l] > 0) final[l] = ++count;
  }
  const labels = count <= 0xffff ? new Uint16Array(n) : new Uint32Array(n);
  const areas = new Uint32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const p = prov[i];
    if (!p) continue;
    const f = final[parent[p]];
    labels[i] = f;
    areas[f]++;
  }
  areas[0] = 0;
  return { labels, count, areas };
}

import type { Detection } from './types';

/**
 * ScSegmenter clump merging (class 1): union merge by real mask overlap, no IoU.
 * A pair i<j is a candidate when their box intersection area ≥ minOverlap = max(1, clumpMergeMinOverlap)
 * and their mask offsets are "adjacent" (|Δoffset_x|, |Δoffset_y| ≤ tile + mask width). The overlap is
 * the number of pixels set in both binarised masks inside the global window floor/ceil of the
 * intersection box; pairs with overlap ≥ minOverlap are joined (union-find, path compression).
 * Each group becomes one detection: box (floor min x1, floor min y1, ceil max x2, ceil max y2), the
 * OR of the member masks inside that box, score = mean of member scores, offset = box top-left.
 * Groups are returned by score descending (stable).
 */
export function mergeClumps(
  clumps: readonly Detection[],
  clumpMergeMinOverlap: number,
  tileSize: number,
): Detection[] {
  const n = clumps.length;
  if (n === 0) return [];
  const minOverlap = Math.max(1, clumpMergeMinOverlap);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const nx = parent[x];
      parent[x] = r;
      x = nx;
    }
    return r;
  };
  for (let i = 0; i < n; i++) {
    const a = clumps[i];
    for (let j = i + 1; j < n; j++) {
      const b = clumps[j];
      const ix1 = Math.max(a.x1, b.x1);
      const iy1 = Math.max(a.y1, b.y1);
      const ix2 = Math.min(a.x2, b.x2);
      const iy2 = Math.min(a.y2, b.y2);
      if (ix2 <= ix1 || iy2 <= iy1 || (ix2 - ix1) * (iy2 - iy1) < minOverlap) continue;
      const reach = tileSize + Math.max(a.maskW, b.maskW);
      if (Math.abs(a.offX - b.offX) > reach || Math.abs(a.offY - b.offY) > reach) continue;
      if (!a.mask || !b.mask) continue;
      if (maskOverlap(a, b, Math.floor(ix1), Math.floor(iy1), Math.ceil(ix2), Math.ceil(iy2)) >= minOverlap) {
        const ra = find(i);
        const rb = find(j);
        if (ra !== rb) parent[rb] = ra;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  const merged: Detection[] = [];
  for (const members of groups.values()) merged.push(unionOf(members.map((i) => clumps[i])));
  return merged
    .map((d, i) => ({ d, i }))
    .sort((p, q) => q.d.score - p.d.score || p.i - q.i)
    .map((p) => p.d);
}

function maskAt(d: Detection, gx: number, gy: number): boolean {
  const lx = gx - d.offX;
  const ly = gy - d.offY;
  return lx >= 0 && ly >= 0 && lx < d.maskW && ly < d.maskH && d.mask![ly * d.maskW + lx] !== 0;
}

function maskOverlap(a: Detection, b: Detection, x0: number, y0: number, x1: number, y1: number): number {
  let count = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (maskAt(a, x, y) && maskAt(b, x, y)) count++;
  return count;
}

function unionOf(members: Detection[]): Detection {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  let score = 0;
  for (const m of members) {
    x1 = Math.min(x1, m.x1);
    y1 = Math.min(y1, m.y1);
    x2 = Math.max(x2, m.x2);
    y2 = Math.max(y2, m.y2);
    score += m.score;
  }
  x1 = Math.floor(x1);
  y1 = Math.floor(y1);
  x2 = Math.ceil(x2);
  y2 = Math.ceil(y2);
  const w = Math.max(0, x2 - x1);
  const h = Math.max(0, y2 - y1);
  const hasMask = members.some((m) => m.mask);
  const mask = hasMask ? new Uint8Array(w * h) : undefined;
  let area = 0;
  if (mask) {
    for (const m of members) {
      if (!m.mask) continue;
      const gx0 = Math.max(x1, m.offX);
      const gy0 = Math.max(y1, m.offY);
      const gx1 = Math.min(x2, m.offX + m.maskW);
      const gy1 = Math.min(y2, m.offY + m.maskH);
      for (let gy = gy0; gy < gy1; gy++) {
        for (let gx = gx0; gx < gx1; gx++)
          if (m.mask[(gy - m.offY) * m.maskW + (gx - m.offX)]) mask[(gy - y1) * w + (gx - x1)] = 1;
      }
    }
    for (let i = 0; i < mask.length; i++) area += mask[i];
  }
  return {
    x1,
    y1,
    x2,
    y2,
    score: score / members.length,
    classId: 1,
    mask,
    maskW: mask ? w : 0,
    maskH: mask ? h : 0,
    offX: x1,
    offY: y1,
    area: area || w * h,
  };
}

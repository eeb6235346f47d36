import type { Detection } from './types';

/** ScSegmenter stitch priorities by class ID (not name): clump 1 → 3, debris 2 → 2, single-cell 0 → 1, other → 0. */
export function stitchPriority(classId: number): number {
  return classId === 1 ? 3 : classId === 2 ? 2 : classId === 0 ? 1 : 0;
}

export interface InstanceResult {
  /** Int32 H×W instance labels; label l ↔ index l−1 of the arrays below (all 0 for box-only detectors). */
  labels: Int32Array;
  /** Number of objects (length of the arrays below). */
  count: number;
  /** n×4 xyxy, tight around the surviving pixels (x2 = max x + 1). */
  boxes: Float32Array;
  classIds: Int32Array;
  scores: Float32Array;
  areas: Int32Array;
}

/**
 * Priority stitching of ScSegmenter (`_merge_detections` steps 6–7) into an H×W Int32 label image.
 * Masks are placed in the given order (the caller sorts by priority ascending). For each existing
 * label under an incoming mask: a label already marked removed may be overwritten; else an incoming
 * priority ≤ the existing one is blocked; else if overlap/existing area ≥ priorityOverlapFraction
 * the existing label is marked removed and overwritten; otherwise blocked. The incoming object gets
 * the allowed background/overwritten pixels (if any) as a new label. Finally every pixel of a removed
 * label is cleared, labels are compacted 1..N, boxes and areas are recomputed from the pixels and
 * objects smaller than minMaskArea are dropped (relabelled consecutively).
 */
export function stitchDetections(
  dets: readonly Detection[],
  H: number,
  W: number,
  priorityOverlapFraction: number,
  minMaskArea: number,
): InstanceResult {
  const labels = new Int32Array(H * W);
  const lPriority: number[] = [0];
  const lArea: number[] = [0];
  const lDet: number[] = [-1];
  const removed: number[] = [0];
  let overwrite = new Uint8Array(16);
  for (let d = 0; d < dets.length; d++) {
    const det = dets[d];
    if (!det.mask) continue;
    const gx0 = Math.max(0, det.offX);
    const gy0 = Math.max(0, det.offY);
    const gx1 = Math.min(W, det.offX + det.maskW);
    const gy1 = Math.min(H, det.offY + det.maskH);
    const overlap = new Map<number, number>();
    let total = 0;
    for (let gy = gy0; gy < gy1; gy++) {
      const mrow = (gy - det.offY) * det.maskW - det.offX;
      for (let gx = gx0; gx < gx1; gx++) {
        if (!det.mask[mrow + gx]) continue;
        total++;
        const ex = labels[gy * W + gx];
        if (ex > 0) overlap.set(ex, (overlap.get(ex) ?? 0) + 1);
      }
    }
    if (total === 0) continue;
    const prio = stitchPriority(det.classId);
    if (overwrite.length < lArea.length + 1) {
      overwrite = new Uint8Array(Math.max(overwrite.length * 2, lArea.length + 1)); // all flags are 0 between masks
    }
    for (const [ex, ov] of overlap) {
      if (removed[ex]) overwrite[ex] = 1;
      else if (prio <= lPriority[ex]) continue;
      else if (ov / lArea[ex] >= priorityOverlapFraction) {
        removed[ex] = 1;
        overwrite[ex] = 1;
      }
    }
    const id = lArea.length;
    let placed = 0;
    for (let gy = gy0; gy < gy1; gy++) {
      const mrow = (gy - det.offY) * det.maskW - det.offX;
      for (let gx = gx0; gx < gx1; gx++) {
        if (!det.mask[mrow + gx]) continue;
        const g = gy * W + gx;
        const ex = labels[g];
        if (ex === 0 || overwrite[ex]) {
          labels[g] = id;
          placed++;
        }
      }
    }
    for (const ex of overlap.keys()) overwrite[ex] = 0;
    if (placed > 0) {
      lPriority.push(prio);
      lArea.push(placed);
      lDet.push(d);
      removed.push(0);
    }
  }
  // Clear removed labels, compact the survivors in creation order.
  const remap = new Int32Array(lArea.length);
  let n = 0;
  for (let l = 1; l < lArea.length; l++) if (!removed[l]) remap[l] = ++n;
  return finish(labels, H, W, remap, n, (k) => dets[lDet[k]], minMaskArea);
}

function finish(
  labels: Int32Array,
  H: number,
  W: number,
  remap: Int32Array,
  n: number,
  detOf: (label: number) => Detection,
  minMaskArea: number,
): InstanceResult {
  const x0 = new Int32Array(n + 1).fill(W);
  const y0 = new Int32Array(n + 1).fill(H);
  const x1 = new Int32Array(n + 1).fill(-1);
  const y1 = new Int32Array(n + 1).fill(-1);
  const area = new Int32Array(n + 1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const g = y * W + x;
      const l = remap[labels[g]];
      labels[g] = l;
      if (!l) continue;
      area[l]++;
      if (x < x0[l]) x0[l] = x;
      if (x > x1[l]) x1[l] = x;
      if (y < y0[l]) y0[l] = y;
      if (y > y1[l]) y1[l] = y;
    }
  }
  // Original label of each compacted label, then the final numbering after the min-area filter.
  const orig = new Int32Array(n + 1);
  for (let l = 1; l < remap.length; l++) if (remap[l]) orig[remap[l]] = l;
  const final = new Int32Array(n + 1);
  let count = 0;
  for (let l = 1; l <= n; l++) if (area[l] >= minMaskArea && area[l] > 0) final[l] = ++count;
  for (let g = 0; g < labels.length; g++) labels[g] = final[labels[g]];
  const out: InstanceResult = {
    labels,
    count,
    boxes: new Float32Array(count * 4),
    classIds: new Int32Array(count),
    scores: new Float32Array(count),
    areas: new Int32Array(count),
  };
  for (let l = 1; l <= n; l++) {
    const f = final[l];
    if (!f) continue;
    const det = detOf(orig[l]);
    const i = f - 1;
    out.boxes.set([x0[l], y0[l], x1[l] + 1, y1[l] + 1], i * 4);
    out.classIds[i] = det.classId;
    out.scores[i] = det.score;
    out.areas[i] = area[l];
  }
  return out;
}

import type { Detection } from './types';

/**
 * Non-maximum suppression as torchvision.ops.nms: visit boxes by score descending (ties: earlier
 * first), drop every later box whose IoU with a kept one is > iouThreshold. IoU uses continuous
 * areas (x2−x1)·(y2−y1). Returns the kept indices, best first. With `byClass` only boxes of the same
 * class suppress each other (torchvision batched_nms).
 */
export function iou(a: Detection, b: Detection): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const areaA = (a.x2 - a.x1) * (a.y2 - a.y1);
  const areaB = (b.x2 - b.x1) * (b.y2 - b.y1);
  return inter / (areaA + areaB - inter);
}

export function nms(
  dets: readonly Detection[],
  scores: ArrayLike<number>,
  iouThreshold: number,
  byClass = false,
): number[] {
  const order = Array.from({ length: dets.length }, (_, i) => i).sort(
    (a, b) => scores[b] - scores[a] || a - b,
  );
  const removed = new Uint8Array(dets.length);
  const keep: number[] = [];
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    if (removed[i]) continue;
    keep.push(i);
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj];
      if (removed[j] || (byClass && dets[j].classId !== dets[i].classId)) continue;
      if (iou(dets[i], dets[j]) > iouThreshold) removed[j] = 1;
    }
  }
  return keep;
}

/**
 * ScSegmenter's cross-class NMS of non-clump detections: ranking score = score + (area/maxArea)·1e-7
 * (float32), so the larger object wins a tie. Returns the kept detections in ranking order.
 */
export function nmsAreaTieBreak(dets: readonly Detection[], iouThreshold: number): Detection[] {
  if (dets.length === 0) return [];
  const f = Math.fround;
  let maxArea = 0;
  for (const d of dets) maxArea = Math.max(maxArea, d.area);
  const adj = dets.map((d) => f(f(d.score) + f(f(d.area / (maxArea || 1)) * f(1e-7))));
  return nms(dets, adj, iouThreshold).map((i) => dets[i]);
}

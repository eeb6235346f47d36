import { mergeClumps } from './clump-merge';
import { nmsAreaTieBreak } from './nms';
import { stitchDetections, stitchPriority, type InstanceResult } from './stitch';
import type { Detection, Tile } from './types';

/**
 * ScSegmenter `_merge_detections` for one frame: collect tile detections (boxes shifted by the tile
 * offset, max edges clamped to the tile's valid region, area = mask pixels or box area), clamp to the
 * frame, union-merge clumps (class 1), cross-class NMS with the area tie-break for the rest, order
 * [clumps, others] stably by stitch priority ascending, then stitch (see stitch.ts).
 * Without any masks, boxes/classes/scores come from merge + NMS and the label image stays zero.
 */
export interface ScMergeOptions {
  nmsIou: number;
  clumpMergeMinOverlap: number;
  priorityOverlapFraction: number;
  minMaskArea: number;
  tileSize: number;
}

export function collectTileDetections(
  perTile: readonly { tile: Tile; dets: readonly Detection[] }[],
  H: number,
  W: number,
): Detection[] {
  const all: Detection[] = [];
  for (const { tile, dets } of perTile) {
    for (const d of dets) {
      let area = 0;
      if (d.mask) for (let i = 0; i < d.mask.length; i++) area += d.mask[i];
      const x1 = d.x1 + tile.x;
      const y1 = d.y1 + tile.y;
      const x2 = Math.min(d.x2 + tile.x, tile.x + tile.validW);
      const y2 = Math.min(d.y2 + tile.y, tile.y + tile.validH);
      if (area === 0) area = Math.max(0, d.x2 - d.x1) * Math.max(0, d.y2 - d.y1);
      all.push({
        ...d,
        x1: Math.min(Math.max(x1, 0), W),
        y1: Math.min(Math.max(y1, 0), H),
        x2: Math.min(Math.max(x2, 0), W),
        y2: Math.min(Math.max(y2, 0), H),
        offX: tile.x + d.offX,
        offY: tile.y + d.offY,
        area,
      });
    }
  }
  return all;
}

export function mergeFrameDetections(
  all: readonly Detection[],
  H: number,
  W: number,
  opts: ScMergeOptions,
): InstanceResult {
  const clumps = mergeClumps(
    all.filter((d) => d.classId === 1),
    opts.clumpMergeMinOverlap,
    opts.tileSize,
  );
  const others = nmsAreaTieBreak(
    all.filter((d) => d.classId !== 1),
    opts.nmsIou,
  );
  let list = [...clumps, ...others];
  const hasMasks = list.some((d) => d.mask);
  if (!hasMasks) {
    const n = list.length;
    const res: InstanceResult = {
      labels: new Int32Array(H * W),
      count: n,
      boxes: new Float32Array(n * 4),
      classIds: new Int32Array(n),
      scores: new Float32Array(n),
      areas: new Int32Array(n),
    };
    list.forEach((d, i) => {
      res.boxes.set([d.x1, d.y1, d.x2, d.y2], i * 4);
      res.classIds[i] = d.classId;
      res.scores[i] = d.score;
      res.areas[i] = d.area;
    });
    return res;
  }
  list = list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => stitchPriority(a.d.classId) - stitchPriority(b.d.classId) || a.i - b.i)
    .map((p) => p.d);
  return stitchDetections(list, H, W, opts.priorityOverlapFraction, opts.minMaskArea);
}

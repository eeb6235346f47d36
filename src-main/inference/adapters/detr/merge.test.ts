import { describe, expect, it } from 'vitest';
import { mergeClumps } from './clump-merge';
import { decodeSample, type DetrRaw } from './decode';
import { nms, nmsAreaTieBreak } from './nms';
import { mergeFrameDetections } from './sc-merge';
import { stitchDetections } from './stitch';
import { oofTileLayout, scTileLayout } from './tiles';
import type { Detection } from './types';

/** A fully filled w×h mask detection at (x, y). */
function det(classId: number, x: number, y: number, w: number, h: number, score = 0.9): Detection {
  return {
    x1: x,
    y1: y,
    x2: x + w,
    y2: y + h,
    score,
    classId,
    mask: new Uint8Array(w * h).fill(1),
    maskW: w,
    maskH: h,
    offX: x,
    offY: y,
    area: w * h,
  };
}

function countIn(
  labels: Int32Array,
  W: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  pred: (l: number) => boolean,
): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pred(labels[y * W + x])) n++;
  return n;
}

// Scenarios of HiTMicTools tests/model_components/test_scsegmenter.py (§9 of the reference).
describe('clump merge', () => {
  it('no clumps → 0, a single clump → 1', () => {
    expect(mergeClumps([], 5, 256)).toHaveLength(0);
    expect(mergeClumps([det(1, 0, 0, 40, 40)], 5, 256)).toHaveLength(1);
  });

  it('two 40×40 masks at (0,0) and (20,0), min overlap 5 → one with union box x 0..60, mean score', () => {
    const m = mergeClumps([det(1, 0, 0, 40, 40, 0.8), det(1, 20, 0, 40, 40, 0.6)], 5, 256);
    expect(m).toHaveLength(1);
    expect([m[0].x1, m[0].y1, m[0].x2, m[0].y2]).toEqual([0, 0, 60, 40]);
    expect(m[0].score).toBeCloseTo(0.7, 10);
    expect(m[0].area).toBe(60 * 40);
    expect(m[0].mask!.every((v) => v === 1)).toBe(true);
  });

  it('far-apart clumps stay 2; one shared column (40 px) with min overlap 100 stays 2', () => {
    expect(mergeClumps([det(1, 0, 0, 40, 40), det(1, 200, 200, 40, 40)], 5, 256)).toHaveLength(2);
    expect(mergeClumps([det(1, 0, 0, 40, 40), det(1, 39, 0, 40, 40)], 100, 256)).toHaveLength(2);
    expect(mergeClumps([det(1, 0, 0, 40, 40), det(1, 39, 0, 40, 40)], 40, 256)).toHaveLength(1);
  });

  it('merged groups come out by score descending', () => {
    const m = mergeClumps([det(1, 0, 0, 10, 10, 0.5), det(1, 100, 100, 10, 10, 0.9)], 5, 256);
    expect(m.map((d) => d.score)).toEqual([0.9, 0.5]);
  });
});

describe('priority stitching', () => {
  it('a clump covering > 50% of an earlier single cell overwrites it: no background left in its box', () => {
    const r = stitchDetections([det(0, 10, 10, 20, 20), det(1, 0, 0, 40, 40)], 50, 50, 0.5, 5);
    expect(r.count).toBe(1);
    expect(Array.from(r.classIds)).toEqual([1]);
    expect(countIn(r.labels, 50, 10, 10, 30, 30, (l) => l === 0)).toBe(0);
    expect(Array.from(r.boxes)).toEqual([0, 0, 40, 40]);
  });

  it('a single cell placed on an identical clump gets no pixels', () => {
    const r = stitchDetections([det(1, 5, 5, 20, 20), det(0, 5, 5, 20, 20)], 40, 40, 0.5, 5);
    expect(r.count).toBe(1);
    expect(Array.from(r.classIds)).toEqual([1]);
  });

  it('fraction 0.9: a 100 px clump over a 2500 px single cell leaves > 2000 px of it', () => {
    const r = stitchDetections([det(0, 0, 0, 50, 50), det(1, 20, 20, 10, 10)], 60, 60, 0.9, 5);
    expect(countIn(r.labels, 60, 0, 0, 50, 50, (l) => l !== 0)).toBeGreaterThan(2000);
    expect(r.count).toBe(1); // the clump found no free pixel
  });

  it('partial overlap below the fraction: the clump takes only background; min_mask_area drops slivers', () => {
    const r = stitchDetections(
      [det(0, 0, 0, 10, 10), det(1, 8, 0, 10, 10), det(0, 30, 30, 2, 2)],
      40,
      40,
      0.5,
      5,
    );
    expect(r.count).toBe(2); // the 4 px cell is dropped (< 5)
    expect(Array.from(r.areas)).toEqual([100, 80]);
    expect(Array.from(r.boxes.subarray(4, 8))).toEqual([10, 0, 18, 10]); // recomputed tight box
  });

  it('mergeFrameDetections orders clumps last by priority and keeps label ↔ index', () => {
    const r = mergeFrameDetections(
      [det(1, 0, 0, 40, 40, 0.7), det(0, 10, 10, 20, 20, 0.95), det(2, 45, 45, 4, 4, 0.5)],
      50,
      50,
      {
        nmsIou: 0.4,
        clumpMergeMinOverlap: 250,
        priorityOverlapFraction: 0.5,
        minMaskArea: 5,
        tileSize: 256,
      },
    );
    expect(Array.from(r.classIds)).toEqual([2, 1]);
    expect(r.labels[46 * 50 + 46]).toBe(1);
    expect(r.labels[20 * 50 + 20]).toBe(2);
  });
});

describe('NMS', () => {
  it('drops IoU > threshold only (strict), best score first', () => {
    const a = det(0, 0, 0, 10, 10, 0.9);
    const b = det(0, 5, 0, 10, 10, 0.8); // IoU = 50/150 = 1/3
    expect(nms([a, b], [0.9, 0.8], 1 / 3)).toEqual([0, 1]);
    expect(nms([a, b], [0.9, 0.8], 0.3)).toEqual([0]);
    expect(nms([b, a], [0.8, 0.9], 0.3)).toEqual([1]);
  });

  it('per-class NMS keeps overlapping boxes of different classes', () => {
    const a = det(0, 0, 0, 10, 10, 0.9);
    const b = det(1, 0, 0, 10, 10, 0.8);
    expect(nms([a, b], [0.9, 0.8], 0.5, true)).toEqual([0, 1]);
    expect(nms([a, b], [0.9, 0.8], 0.5, false)).toEqual([0]);
  });

  it('equal scores: the larger mask area wins (score + area/maxArea·1e-7)', () => {
    const small = { ...det(0, 0, 0, 10, 10, 0.75), area: 50 };
    const big = { ...det(2, 0, 0, 10, 10, 0.75), area: 100 };
    expect(nmsAreaTieBreak([small, big], 0.4)).toEqual([big]);
  });
});

describe('tile layouts', () => {
  it('ScSegmenter: 2048 px, tile 256, overlap 0.33 → padded 2137, 12×12 tiles', () => {
    const l = scTileLayout(2048, 2048, 256, 0.33);
    expect(l.paddedW).toBe(2137);
    expect(l.tiles).toHaveLength(144);
    expect(l.tiles[11]).toEqual({ x: 1881, y: 0, validW: 167, validH: 256 });
    expect(scTileLayout(100, 300, 256, 0.33).paddedH).toBe(256);
  });

  it('OofDetector: 2048 px, tile 560, overlap 0.25 → starts 0, 420, 840, 1260, 1488', () => {
    const l = oofTileLayout(2048, 2048, 560, 0.25);
    expect(l.tiles.slice(0, 5).map((t) => t.x)).toEqual([0, 420, 840, 1260, 1488]);
    expect(l.tiles).toHaveLength(25);
    const small = oofTileLayout(300, 100, 560, 0.25);
    expect(small.tiles).toEqual([{ x: 0, y: 0, validW: 100, validH: 300 }]);
  });
});

describe('DETR decoding', () => {
  it('top-k over queries×classes, strict threshold, cxcywh → xyxy in tile pixels, masks logit > 0', () => {
    // 2 queries × 2 classes; logits: q0 = [2, −1], q1 = [0, 3]; sigmoid: .881, .269, .5, .953
    const raw: DetrRaw = {
      boxes: new Float32Array([0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.5, 0.5]),
      logits: new Float32Array([2, -1, 0, 3]),
      masks: new Float32Array([1, -1, -1, 1, -1, -1, -1, 1]),
      batch: 1,
      queries: 2,
      classes: 2,
      maskH: 2,
      maskW: 2,
    };
    const d = decodeSample(raw, 0, 4, 4, 4, 0.5);
    expect(d.map((x) => [x.classId, +x.score.toFixed(3)])).toEqual([
      [1, 0.953],
      [0, 0.881],
    ]); // 0.5 is not > 0.5
    expect([d[0].x1, d[0].y1, d[0].x2, d[0].y2]).toEqual([0, 0, 2, 2]);
    expect([d[1].x1, d[1].y1, d[1].x2, d[1].y2]).toEqual([1, 1.5, 3, 2.5]);
    // q0 mask [[1,−1],[−1,1]] upsampled ×2 (bilinear): positive on the diagonal blocks.
    expect(Array.from(d[1].mask!)).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(decodeSample(raw, 0, 4, 4, 1, 0.5)).toHaveLength(1);
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, releaseAll } from '../../workers/ort';
import type { ModelRunner } from '../model-runner';
import { detectOutOfFocus } from './detect-oof';
import { scSegmentFrame } from './sc-segment';

// detr_tiny.onnx (scripts/make-test-models.py): 32×32 tiles, 4 quadrant queries; pixels > 0.5 (after
// undoing the ImageNet normalisation) are foreground; per quadrant the tight box, half-resolution mask
// logits and class by area: debris (2) < 40 px ≤ single-cell (0) < 150 px ≤ clump (1).
// Tile 32, overlap 0.25 → step 24; a 56×56 frame gives tiles at x, y ∈ {0, 24}.
const MODELS = path.resolve(__dirname, '../../../test-support/models');
let runner: ModelRunner;
beforeAll(async () => {
  runner = (await loadModel(path.join(MODELS, 'detr_tiny.onnx'), { prefer: 'cpu', threads: 1 })).runner;
});
afterAll(() => releaseAll());

const W = 56;
const H = 56;
const objects = [
  { name: 'single', x: 2, y: 2, w: 8, h: 6, cls: 0 }, // tile (0,0) quadrant 0
  { name: 'debris', x: 40, y: 4, w: 4, h: 4, cls: 2 }, // tile (24,0) quadrant 1
  { name: 'spanning single', x: 24, y: 20, w: 6, h: 8, cls: 0 }, // seen whole by tiles (0,0) and (24,0), cut by tiles at y=24
  { name: 'clump', x: 40, y: 40, w: 14, h: 12, cls: 1 }, // tile (24,24) quadrant 3
];

function drawFrame(): Float32Array {
  const f = new Float32Array(H * W);
  for (const o of objects)
    for (let y = o.y; y < o.y + o.h; y++) for (let x = o.x; x < o.x + o.w; x++) f[y * W + x] = 1;
  return f;
}

describe('scSegmentFrame with a DETR-contract ONNX model', () => {
  it('finds every object once, merges duplicates from overlapping tiles, stitches exact masks', async () => {
    const res = await scSegmentFrame({ data: drawFrame(), height: H, width: W }, runner, {
      patchSize: 32,
      overlap: 0.25,
      batchSize: 3,
      normalizeTo255: false,
    });
    // Stitch order: priority ascending (single-cells, debris, clump), NMS order within a class.
    expect(res.count).toBe(4);
    const byBox = new Map<string, number>();
    for (let i = 0; i < res.count; i++)
      byBox.set(Array.from(res.boxes.subarray(i * 4, i * 4 + 4)).join(','), i);
    for (const o of objects) {
      const i = byBox.get([o.x, o.y, o.x + o.w, o.y + o.h].join(','));
      expect(i, `${o.name} found`).toBeDefined();
      expect(res.classIds[i!]).toBe(o.cls);
      expect(res.areas[i!]).toBe(o.w * o.h);
      expect(res.scores[i!]).toBeCloseTo(1 / (1 + Math.exp(-8)), 5);
      // Label l ↔ index l−1, and the label image is exactly the drawn rectangle.
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inside = x >= o.x && x < o.x + o.w && y >= o.y && y < o.y + o.h;
          if (inside) expect(res.labels[y * W + x]).toBe(i! + 1);
          else expect(res.labels[y * W + x]).not.toBe(i! + 1);
        }
      }
    }
    expect(Array.from(res.classIds)).toEqual([0, 0, 2, 1]);
  });

  it('pads a 50×50 frame right/bottom with its mean (56×56) and keeps objects inside the frame', async () => {
    const h = 50;
    const w = 50;
    const f = new Float32Array(h * w);
    const drawn = objects.filter((o) => o.name !== 'clump');
    for (const o of drawn)
      for (let y = o.y; y < o.y + o.h; y++) for (let x = o.x; x < o.x + o.w; x++) f[y * w + x] = 1;
    const res = await scSegmentFrame({ data: f, height: h, width: w }, runner, {
      patchSize: 32,
      overlap: 0.25,
      batchSize: 4,
      normalizeTo255: false,
    });
    expect(res.labels.length).toBe(h * w);
    expect(res.count).toBe(3);
    const boxes = [];
    for (let i = 0; i < res.count; i++)
      boxes.push(Array.from(res.boxes.subarray(i * 4, i * 4 + 4)).join(','));
    expect(boxes.sort()).toEqual(drawn.map((o) => [o.x, o.y, o.x + o.w, o.y + o.h].join(',')).sort());
  });

  it('an empty frame gives no objects; bad options are rejected with the rule', async () => {
    const res = await scSegmentFrame({ data: new Float32Array(50 * 50), height: 50, width: 50 }, runner, {
      patchSize: 32,
      overlap: 0.25,
      batchSize: 4,
    });
    expect(res.count).toBe(0);
    await expect(
      scSegmentFrame({ data: drawFrame(), height: H, width: W }, runner, { maskThreshold: 1 }),
    ).rejects.toThrow(/mask_threshold.*\(0, 1\)/);
    await expect(
      scSegmentFrame({ data: drawFrame(), height: H, width: W }, runner, {
        patchSize: 32,
        batchSize: 4,
        outputs: { boxes: 'masks' },
      }),
    ).rejects.toThrow(/detr_tiny\.onnx.*output 'masks'.*boxes \[4, queries, 4\]/);
  });
});

describe('detectOutOfFocus with the same model', () => {
  it('tiles, shifts, clamps and runs per-class NMS', async () => {
    const res = await detectOutOfFocus({ data: drawFrame(), height: H, width: W }, runner, {
      patchSize: 32,
      overlap: 0.25,
      batchSize: 2,
    });
    const rows = [];
    for (let i = 0; i < res.count; i++)
      rows.push([res.classIds[i], ...Array.from(res.boxes.subarray(i * 4, i * 4 + 4))].join(' '));
    // Whole objects once each; the spanning cell's lower part seen by the y=24 tiles (6×4 = 24 px →
    // debris) survives because batched NMS only suppresses within a class.
    expect(rows.sort()).toEqual(
      ['0 2 2 10 8', '0 24 20 30 28', '1 40 40 54 52', '2 24 24 30 28', '2 40 4 44 8'].sort(),
    );
  });
});

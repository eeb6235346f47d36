import { describe, expect, it } from 'vitest';
import { evaluate, matchFrame, type PredictedObject, type TruthObject } from './evaluate';

describe('evaluation against ground truth', () => {
  it('matches objects by IoU > 0.5 and counts misses', () => {
    // 4×4 frame: truth has objects 1 (left half) and 2 (one pixel); prediction covers 1 with 6/8 px and adds a stray 9.
    const truth = Uint16Array.from([1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    const pred = Uint16Array.from([5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 0, 9, 0, 0, 0, 0]);
    const r = matchFrame(0, pred, truth);
    expect(r.truthCount).toBe(2);
    expect(r.predictedCount).toBe(2);
    expect(r.matches).toEqual([{ frame: 0, predicted: 5, truth: 1, iou: 0.75 }]);
  });

  it('scores classes, PI, links and divisions', () => {
    const T = (
      frame: number,
      label: number,
      trackId: number,
      parentTrackId = -1,
      className = 'single-cell',
      piClass = 'piNEG',
    ): TruthObject => ({ frame, label, className, piClass, trackId, parentTrackId });
    const P = (
      frame: number,
      label: number,
      trackId: number,
      parentTrackId = -1,
      className = 'single-cell',
      piClass = 'piNEG',
    ): PredictedObject => ({ frame, label, className, piClass, trackId, parentTrackId });
    const truth = [T(0, 1, 10), T(1, 1, 10), T(2, 1, 10), T(2, 2, 11, 10), T(1, 3, 20, -1, 'clump', 'piPOS')];
    const predicted = [P(0, 1, 0), P(1, 4, 0), P(2, 7, 3), P(2, 8, 5, 3), P(1, 5, 9, -1, 'clump', 'piNEG')];
    const matches = [
      { frame: 0, predicted: 1, truth: 1, iou: 0.9 },
      { frame: 1, predicted: 4, truth: 1, iou: 0.9 },
      { frame: 2, predicted: 7, truth: 1, iou: 0.9 },
      { frame: 2, predicted: 8, truth: 2, iou: 0.9 },
      { frame: 1, predicted: 5, truth: 3, iou: 0.9 },
    ];
    const e = evaluate(matches, { predicted: 6, truth: 5, frames: 3 }, truth, predicted);
    expect(e.matched).toBe(5);
    expect(e.f1).toBeCloseTo(10 / 11);
    expect(e.classAccuracy).toBe(1);
    expect(e.piAccuracy).toBe(4 / 5);
    // links 0→1 kept (0 = 0), 1→2 broken (0 vs 3)
    expect([e.linksTotal, e.linksCorrect]).toEqual([2, 1]);
    // daughter 11 of mother 10 at frame 2: mother's frame-1 object is predicted track 0, daughter's parent is 3 → not found
    expect([e.divisionsTrue, e.divisionsFound]).toEqual([1, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { objectsByFrame } from './run-objects';

describe('objectsByFrame', () => {
  it("groups a run's table by frame with class, confidence, PI status and track", () => {
    const m = objectsByFrame({
      columns: ['label', 'frame', 'area', 'object_class', 'trackid', 'pi_class', 'class_prob'],
      rows: [
        [3, 0, 120, 'single-cell', 7, 'piNEG', 0.9],
        [4, 0, 80, 'clump', -1, 'piPOS', 0.6],
        [9, 2, 50, null, 7, 'piPOS', null],
      ],
    });
    expect([...m.keys()]).toEqual([0, 2]);
    expect(m.get(0)).toEqual([
      { label: 3, area: 120, className: 'single-cell', confidence: 0.9, piClass: 'piNEG', trackId: 7 },
      { label: 4, area: 80, className: 'clump', confidence: 0.6, piClass: 'piPOS', trackId: -1 },
    ]);
    expect(m.get(2)?.[0]).toMatchObject({
      label: 9,
      className: undefined,
      confidence: undefined,
      trackId: 7,
    });
  });

  it('refuses a table without frame and label', () => {
    expect(() => objectsByFrame({ columns: ['x'], rows: [] })).toThrow(/frame\/label/);
  });
});

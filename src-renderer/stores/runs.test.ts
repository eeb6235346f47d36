import { describe, expect, it } from 'vitest';
import { etaSeconds, useRuns } from './runs';

describe('runs store', () => {
  it('estimates the time left from frames done at a constant rate', () => {
    expect(etaSeconds(0, 20, 1000)).toBeUndefined();
    expect(etaSeconds(5, 20, 10_000)).toBe(30);
    expect(etaSeconds(20, 20, 10_000)).toBe(0);
  });

  it('tracks per-movie stage and frame progress, keeping frame counts across other stages', () => {
    const s = useRuns.getState();
    s.applyProgress({ runId: 'r', movie: 'm', stage: 'bf_focus', done: 0, total: 20 }, 1000);
    s.applyProgress({ runId: 'r', movie: 'm', stage: 'frames', done: 4, total: 20 }, 9000);
    s.applyProgress({ runId: 'r', movie: 'm', stage: 'segmentation', done: 4, total: 20 }, 9500);
    const p = useRuns.getState().progress.r.m;
    expect(p).toMatchObject({ stage: 'segmentation', done: 4, total: 20, etaS: 32 });
  });

  it('keeps the newest run first and replaces a run by id', () => {
    const s = useRuns.getState();
    s.setRuns([]);
    s.applyState({ id: 'a', state: 'running', movies: [] });
    s.applyState({ id: 'b', state: 'running', movies: [] });
    s.applyState({ id: 'a', state: 'done', movies: [] });
    expect(useRuns.getState().runs.map((r) => `${r.id}:${r.state}`)).toEqual(['b:running', 'a:done']);
  });
});

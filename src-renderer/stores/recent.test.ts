import { describe, expect, it } from 'vitest';
import { pushRecent, useRecent } from './recent';

describe('recent paths', () => {
  it('keeps the newest first, without duplicates, at most eight', () => {
    let list: string[] = [];
    for (let i = 0; i < 10; i++) list = pushRecent(list, `/m${i}.tif`);
    list = pushRecent(list, '/m5.tif');
    expect(list[0]).toBe('/m5.tif');
    expect(list).toHaveLength(8);
    expect(new Set(list).size).toBe(8);
  });

  it('remembers and forgets per kind (without localStorage it still works in memory)', () => {
    const s = useRecent.getState();
    s.remember('configs', '/a.yml');
    s.remember('movies', '/b.tif');
    expect(useRecent.getState().configs[0]).toBe('/a.yml');
    s.forget('configs', '/a.yml');
    expect(useRecent.getState().configs).not.toContain('/a.yml');
    expect(useRecent.getState().movies[0]).toBe('/b.tif');
  });
});

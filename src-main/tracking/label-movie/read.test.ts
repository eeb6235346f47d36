import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HyperstackWriter } from '../../io';
import { LabelMovieError, readLabelDetections } from './read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-label-movie-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 6×4 planes: a 2×2 square labelled `a` at the left, a 1×3 bar labelled `b` at the right. */
function plane(a: number, b: number): Uint16Array {
  const p = new Uint16Array(24);
  for (const i of [0, 1, 6, 7]) p[i] = a;
  for (const i of [5, 11, 17]) p[i] = b;
  return p;
}

async function write(name: string, planes: Uint16Array[], layout: { frames?: number; slices?: number }) {
  const file = path.join(dir, name);
  const w = await HyperstackWriter.create(file, { width: 6, height: 4, dtype: 'uint16', ...layout });
  for (const p of planes) await w.writePlane(p);
  await w.close();
  return file;
}

describe('readLabelDetections', () => {
  it('measures every object of every frame: centroid, area, axes; labels as given per frame', async () => {
    const file = await write('labels.tif', [plane(1, 2), plane(7, 3)], { frames: 2 });
    const d = await readLabelDetections(file);
    expect([d.frames, d.width, d.height, d.timeAxis]).toEqual([2, 6, 4, 't']);
    expect(Array.from(d.table.frame)).toEqual([0, 0, 1, 1]);
    expect(Array.from(d.label)).toEqual([1, 2, 3, 7]);
    expect(Array.from(d.table.area)).toEqual([4, 3, 3, 4]);
    expect(Array.from(d.table.centroid_0)).toEqual([0.5, 1, 1, 0.5]);
    expect(Array.from(d.table.centroid_1)).toEqual([0.5, 5, 5, 0.5]);
    // the bar is vertical: its major axis runs along the rows (orientation 0)
    expect(d.table.orientation[1]).toBeCloseTo(0, 12);
    expect(d.table.major_axis_length[1]).toBeGreaterThan(d.table.minor_axis_length[1]);
  });

  it('reads a stack saved as slices (as Fiji saves a plain stack) as frames', async () => {
    const file = await write('slices.tif', [plane(1, 2), plane(1, 2), plane(4, 0)], { frames: 1, slices: 3 });
    const d = await readLabelDetections(file);
    expect(d.frames).toBe(3);
    expect(Array.from(d.table.frame)).toEqual([0, 0, 1, 1, 2]);
  });

  it('refuses intensities', async () => {
    const file = path.join(dir, 'float.tif');
    const w = await HyperstackWriter.create(file, { width: 6, height: 4, dtype: 'float32', frames: 1 });
    await w.writePlane(new Float32Array(24));
    await w.close();
    await expect(readLabelDetections(file)).rejects.toBeInstanceOf(LabelMovieError);
  });
});

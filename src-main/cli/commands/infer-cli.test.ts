/**
 * The real `hitmic infer` (compiled by the global setup) on the demo movie and collection: what it
 * writes, what it prints, and how it refuses an output name that is not a file of the right kind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMovie } from '../../io';

const repo = path.resolve(__dirname, '../../..');
let dir: string;

function hitmic(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/hitmic.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const demo = [
  '--collection',
  path.join(repo, 'models/demo-collection'),
  '--input',
  path.join(repo, 'resources/demo/demo_movie.tif'),
];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-cli-infer-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hitmic infer', () => {
  it('segments one frame: labels and probability TIFFs, timings and provider as JSON', async () => {
    const r = hitmic(
      'infer',
      ...demo,
      '--model',
      'segmentation',
      '--frame',
      '2',
      '--output',
      'seg.tif',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'segmentation', provider: 'cpu' });
    expect(out.outputs).toEqual({
      labels: path.join(dir, 'seg.tif'),
      probability: path.join(dir, 'seg_probability.tif'),
    });
    expect(out.timings_ms.segmentation).toBeGreaterThan(0);
    const labels = await openMovie(out.outputs.labels);
    try {
      const plane = await labels.readPlane({ t: 0, c: 0 });
      expect([plane.width, plane.height]).toEqual([512, 512]);
      let max = 0;
      for (const v of plane.data) max = Math.max(max, v);
      expect(max).toBeGreaterThan(30); // the demo frame holds ~90 cells
    } finally {
      await labels.close();
    }
  });

  it('refuses an output that is not a file of the right kind, naming what it needs', () => {
    fs.mkdirSync(path.join(dir, 'results'));
    expect(hitmic('infer', ...demo, '--model', 'segmentation', '--output', 'results')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /--output for segmentation is a file ending in \.tif or \.tiff .*'results' \(a folder: add a file name\)/,
      ),
    });
    expect(hitmic('infer', ...demo, '--model', 'pi_classification', '--output', 'pi.tif')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/ending in \.csv \(a table\), got 'pi\.tif'/),
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['results', 'seg.tif', 'seg_probability.tif']);
  });
});

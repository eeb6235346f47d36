/**
 * The real `hitmic` binary (compiled by the global setup): `hitmic track` on the small synthetic
 * colony (labels renumbered at random in every frame) in both output formats, scored by
 * `hitmic evaluate-tracking` against its ground truth, and the one-line failures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/io';
import { HyperstackWriter, openMovie } from '../../io';

const repo = path.resolve(__dirname, '../../..');
const colony = path.join(repo, 'test-support/tracking/colony-small');
let dir: string;

function hitmic(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/hitmic.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-cli-track-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hitmic track → evaluate-tracking', () => {
  it('writes a CTC result that scores perfectly against the ground truth (default btrack tracker)', () => {
    const t = hitmic('track', path.join(colony, 'labels.tif'), '--output', 'ctc', '--json');
    expect(t.code, t.stderr).toBe(0);
    const report = JSON.parse(t.stdout);
    expect(report).toMatchObject({ format: 'ctc', frames: 24, objects: 152, width: 256, height: 224 });
    expect(report.tracker).toMatch(/btrack/);
    const files = fs.readdirSync(path.join(dir, 'ctc')).sort();
    expect(files).toEqual([
      ...Array.from({ length: 24 }, (_, i) => `mask${String(i).padStart(3, '0')}.tif`),
      'res_track.txt',
    ]);
    expect(report.outputs.at(-1)).toBe(path.join(dir, 'ctc', 'res_track.txt'));

    const e = hitmic('evaluate-tracking', 'ctc', path.join(colony, 'GT'), '--json');
    expect(e.code, e.stderr).toBe(0);
    const s = JSON.parse(e.stdout);
    expect(s.counts).toMatchObject({ referenceVertices: 152, FN: 0, FP: 0, NS: 0 });
    expect(s.TRA).toBe(1);
    expect(s.divisions).toMatchObject({ reference: 14, matched: 14 });
    const text = hitmic('evaluate-tracking', 'ctc', path.join(colony, 'GT'));
    expect(text.stdout).toMatch(/^DET 1\.0000 {3}TRA 1\.0000/);
    expect(text.stdout).toMatch(/divisions {2}precision 100\.00 % {2}recall 100\.00 %/);
  });

  it('tracks a folder of per-frame label TIFFs with Hungarian v5 and writes HiTMic tables', async () => {
    const pattern = path.join(colony, 'GT/TRA/man_track{T}.tif');
    const t = hitmic(
      'track',
      pattern,
      '--backend',
      'hungarian',
      '--version',
      'v5',
      '--format',
      'hitmic',
      '-o',
      'hm',
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/24 frames, 152 objects → \d+ tracks, \d+ divisions \(Hungarian v5/);
    const csvFile = path.join(dir, 'hm', 'man_track_tracks.csv');
    const { columns, rows } = parseCsv(fs.readFileSync(csvFile, 'utf8'));
    expect(columns.slice(0, 6)).toEqual([
      'frame',
      'label',
      'trackid',
      'parent_track_id',
      'centroid_0',
      'centroid_1',
    ]);
    expect(rows).toHaveLength(152);
    // The relabelled stack holds trackid + 1 where the input held the row's label.
    const stack = await openMovie(path.join(dir, 'hm', 'man_track_tracks.tif'));
    const input = await openMovie(pattern);
    try {
      expect(stack.info.shape).toMatchObject({ t: 24, x: 256, y: 224 });
      const row = rows.find((r) => r[0] === '7')!;
      const [frame, label, trackid] = row.map(Number);
      const a = (await input.readPlane({ t: frame, c: 0 })).data;
      const b = (await stack.readPlane({ t: frame, c: 0 })).data;
      let n = 0;
      for (let i = 0; i < a.length; i++)
        if (a[i] === label) {
          expect(b[i]).toBe(trackid + 1);
          n++;
        }
      expect(n).toBeGreaterThan(20);
    } finally {
      await stack.close();
      await input.close();
    }
  });

  it('keeps an earlier result unless --force, and then leaves no stale masks', () => {
    fs.mkdirSync(path.join(dir, 'old'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'old', 'mask099.tif'), 'stale');
    const t = hitmic('track', path.join(colony, 'labels.tif'), '--output', 'old');
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/^hitmic: .*mask099\.tif.*--force/);
    expect(t.stderr.trim().split('\n')).toHaveLength(1);
    expect(hitmic('track', path.join(colony, 'labels.tif'), '--output', 'old', '--force').code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'old', 'mask099.tif'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'old', 'mask023.tif'))).toBe(true);
  });

  it('refuses what it cannot track, in one line', async () => {
    const w = await HyperstackWriter.create(path.join(dir, 'float.tif'), {
      width: 4,
      height: 3,
      dtype: 'float32',
      frames: 2,
    });
    await w.writePlane(new Float32Array(12));
    await w.writePlane(new Float32Array(12));
    await w.close();
    const cases: [string[], RegExp][] = [
      [['track', 'float.tif', '-o', 'x'], /not a label movie.*float32/],
      [['track', path.join(colony, 'labels.tif')], /needs --output/],
      [['track', 'nope.tif', '-o', 'x'], /does not exist/],
      [
        [
          'track',
          path.join(colony, 'labels.tif'),
          '-o',
          'x',
          '--backend',
          'hungarian',
          '--btrack-config',
          'c.json',
        ],
        /choose one tracker/,
      ],
      [
        ['track', path.join(colony, 'labels.tif'), '-o', 'x', '--format', 'napari'],
        /--format must be ctc or hitmic/,
      ],
      [
        ['track', path.join(colony, 'labels.tif'), '-o', 'x', '--backend', 'hungarian', '--version', 'v3'],
        /v2 \(default\) or v5/,
      ],
      [['evaluate-tracking', 'ctc'], /needs two folders/],
      [['evaluate-tracking', path.join(colony, 'GT'), 'ctc'], /res_track\.txt/],
    ];
    for (const [args, message] of cases) {
      const r = hitmic(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

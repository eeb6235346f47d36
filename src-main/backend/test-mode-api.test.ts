import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestModeResult, TestModeStage } from '../../src-shared/api';
import { demoPaths } from '../demo';
import { openMovie } from '../io';
import { runConfig } from '../runs';
import { createBackend } from './backend';
import { configTemplate } from '../config';

/**
 * Test mode through the backend object every shell uses: a real worker process, the demo models
 * and movie, the config template as "New from template" writes it (alignment, BaSiC on the PI
 * channel, tracking).
 */
const COLLECTION = path.resolve(__dirname, '../../models/demo-collection');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-test-mode-'));
const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
const demo = demoPaths();
const configText = configTemplate('ASCT_focusrestore', COLLECTION)
  .replace(/input_folder: .*/, `input_folder: ${JSON.stringify(path.dirname(demo.movie))}`)
  .replace(/output_folder: .*/, `output_folder: ${JSON.stringify(path.join(tmp, 'run'))}`)
  .replace(/file_pattern: .*/, `file_pattern: ${path.basename(demo.movie, '.tif')}`);
let movieId = '';

beforeAll(async () => {
  movieId = (await backend.api.movies.open(demo.movie)).id;
});
afterAll(async () => {
  await backend.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const status = (r: TestModeResult) =>
  Object.fromEntries(r.stages.map((s) => [s.stage, s.status])) as Record<TestModeStage, string>;
const image = (r: TestModeResult, name: string) => r.images.find((i) => i.name === name)!.frame.data;
const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);

describe('test mode', () => {
  it('computes what hitmic run --frames computes for the same config and frames', async () => {
    const configPath = path.join(tmp, 'config.yml');
    fs.writeFileSync(configPath, configText);
    const report = await runConfig({
      configPath,
      frames: [3, 5],
      force: true,
      libraryDir: path.join(tmp, 'library'),
    });
    expect(report.movies[0]).toMatchObject({ ok: true });
    const cells = await backend.api.results.cells(path.join(tmp, 'run'), 'demo_movie');
    const col = (name: string) => cells.columns.indexOf(name);
    const labelsFile = await openMovie(path.join(tmp, 'run', 'demo_movie_labels.tif'));
    try {
      for (const [plane, frame] of [3, 4].entries()) {
        const r = await backend.api.testMode.run({
          movieId,
          configText,
          configPath,
          start: 3,
          count: 2,
          show: frame,
        });
        expect(r.registration.kind).toBe('aligned');
        const o = r.objects;
        const rows = cells.rows.filter((row) => row[col('frame')] === frame);
        expect(o.columns.label.length).toBe(rows.length);
        expect(rows.length).toBeGreaterThan(20);
        // The run numbers labels through the movie; test mode per frame: match rows by centroid.
        const byPlace = (y: number, x: number) => `${y.toFixed(6)},${x.toFixed(6)}`;
        const ours = new Map(
          Array.from(o.columns.label, (_l, i) => [
            byPlace(o.columns.centroid_0[i], o.columns.centroid_1[i]),
            i,
          ]),
        );
        for (const row of rows) {
          const i = ours.get(byPlace(row[col('centroid_0')] as number, row[col('centroid_1')] as number));
          expect(i, `object at ${row[col('centroid_0')]}, ${row[col('centroid_1')]}`).toBeDefined();
          expect(o.columns.area[i!]).toBe(row[col('area')]);
          expect(o.columns.mean_intensity[i!]).toBeCloseTo(row[col('mean_intensity')] as number, 6);
          expect(o.columns.class_prob[i!]).toBeCloseTo(row[col('class_prob')] as number, 5);
          expect(o.objectClass[i!]).toBe(row[col('object_class')]);
          expect(o.piClass[i!]).toBe(row[col('pi_class')]);
          expect(o.columns.trackid[i!]).toBe(row[col('trackid')]);
        }
        // The labels image is the run's plane, up to the run's movie-wide numbering.
        const theirs = (await labelsFile.readPlane({ t: plane, c: 0 })).data;
        const mine = image(r, 'labels');
        expect(mine.length).toBe(theirs.length);
        expect(
          same(
            Array.from(mine, (v) => (v ? 1 : 0)),
            Array.from(theirs, (v) => (v ? 1 : 0)),
          ),
        ).toBe(true);
      }
    } finally {
      await labelsFile.close();
    }
  });

  it('re-runs segmentation onwards for a segmentation setting, restoration onwards for a restoration one', async () => {
    const base = { movieId, configText, start: 6, count: 1 };
    const first = await backend.api.testMode.run(base);
    expect(Object.values(status(first)).every((s) => s === 'ran')).toBe(true);
    expect(first.stages.find((s) => s.stage === 'bf_focus')!.ms).toBeGreaterThan(0);
    expect(first.images.map((i) => i.name)).toEqual([
      'prepared_bf',
      'prepared_fl',
      'restored_bf',
      'restored_fl',
      'probability',
      'labels',
    ]);

    const again = await backend.api.testMode.run(base);
    expect(Object.values(status(again)).every((s) => s === 'cached')).toBe(true);
    expect(same(image(again, 'labels'), image(first, 'labels'))).toBe(true);

    const seg = await backend.api.testMode.run({
      ...base,
      infererOverrides: { segmentation: { patch_size: 128 } },
    });
    expect(status(seg)).toEqual({
      align: 'cached',
      background: 'cached',
      bf_focus: 'cached',
      fl_focus: 'cached',
      segmentation: 'ran',
      cell_classifier: 'ran',
      measure: 'ran',
      pi_classification: 'ran',
      tracking: 'ran',
    });
    expect(seg.settings.segmentation).toMatchObject({ patchSize: 128 });
    // Restoration came from the cache: the very same pixels.
    expect(same(image(seg, 'restored_bf'), image(first, 'restored_bf'))).toBe(true);
    // 128-px windows against the collection's 256: blended differently, so the probability changes.
    expect(same(image(seg, 'probability'), image(first, 'probability'))).toBe(false);

    const bf = await backend.api.testMode.run({
      ...base,
      infererOverrides: { segmentation: { patch_size: 128 }, bf_focus: { overlap_ratio: 0.5 } },
    });
    expect(status(bf)).toMatchObject({
      align: 'cached',
      background: 'cached',
      bf_focus: 'ran',
      fl_focus: 'cached',
      segmentation: 'ran',
      measure: 'ran',
    });
    expect(same(image(bf, 'restored_bf'), image(first, 'restored_bf'))).toBe(false);
    expect(same(image(bf, 'restored_fl'), image(first, 'restored_fl'))).toBe(true);

    // Back to the first settings: everything is still in memory.
    const back = await backend.api.testMode.run(base);
    expect(Object.values(status(back)).every((s) => s === 'cached')).toBe(true);
    expect(back.cache.usedBytes).toBeGreaterThan(0);
    expect(back.cache.usedBytes).toBeLessThanOrEqual(back.cache.budgetBytes);
  });

  it('tracks over the range, in movie pixels, and gives every shown object its row', async () => {
    const r = await backend.api.testMode.run({ movieId, configText, start: 10, count: 3, show: 11 });
    const t = r.tracks!;
    expect(new Set(t.frame)).toEqual(new Set([10, 11, 12]));
    // Most cells are followed over the three frames.
    const perTrack = new Map<number, number>();
    t.trackId.forEach((id) => perTrack.set(id, (perTrack.get(id) ?? 0) + 1));
    const full = [...perTrack.values()].filter((n) => n === 3).length;
    expect(full).toBeGreaterThan(perTrack.size / 2);
    // Centroids moved by the frame's analysis origin (aligned and cropped analysis frame).
    const shown = r.objects;
    const i = 0;
    const j = Array.from(t.frame).findIndex((f, k) => f === 11 && t.label[k] === shown.columns.label[i]);
    const origin = r.registration.crop!;
    const shift = r.registration.shifts.find((s) => s.frame === 11)!;
    expect(t.x[j]).toBeCloseTo(shown.columns.centroid_1[i] + origin.x0 - shift.dx, 9);
    expect(t.y[j]).toBeCloseTo(shown.columns.centroid_0[i] + origin.y0 - shift.dy, 9);
    expect(shown.columns.trackid[i]).toBe(t.trackId[j]);
    expect(shown.piClass.length).toBe(shown.columns.label.length);
  });

  it('stops a run that a newer one supersedes', async () => {
    const c = new AbortController();
    const superseded = backend.api.testMode.run(
      { movieId, configText, start: 14, count: 3, infererOverrides: { bf_focus: { patch_size: 96 } } },
      c.signal,
    );
    setTimeout(() => c.abort(), 300);
    await expect(superseded).rejects.toMatchObject({ code: 'CANCELLED' });
    const next = await backend.api.testMode.run({ movieId, configText, start: 14, count: 1 });
    expect(next.images.length).toBe(6);
  });

  it('refuses what it cannot run, saying what to do', async () => {
    const run = (patch: object) =>
      backend.api.testMode.run({ movieId, configText, start: 0, count: 1, ...patch });
    await expect(run({ count: 11 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/1 to 10 frames/),
    });
    await expect(run({ show: 3 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/within the range 0–0/),
    });
    await expect(run({ configText: 'pipeline_setup: [' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/fix them in the Config view/),
    });
    await expect(
      run({ configText: configText.replace('name: ASCT_focusrestore', 'name: oof_detection') }),
    ).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    await expect(run({ infererOverrides: { segmentation: { overlap_ratio: 2 } } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/overlap/),
    });
    await expect(run({ movieId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run({ start: 25 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/frames 25:26/),
    });
  });
});

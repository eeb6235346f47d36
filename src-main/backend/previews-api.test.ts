import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPaths } from '../demo';
import { createBackend } from './backend';

/** Previews through the backend object every shell uses: real worker, real demo models and movie. */
describe('backend previews', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-previews-api-'));
  const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  const collectionPath = path.resolve(__dirname, '../../models/demo-collection');
  afterAll(async () => {
    await backend.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('restores, segments and classifies one frame, and overrides change the inferer settings', async () => {
    const movie = await backend.api.movies.open(demoPaths().movie);
    const r = await backend.api.previews.run({
      movieId: movie.id,
      frame: 2,
      steps: ['bf_focus', 'segmentation', 'cell_classifier'],
      collectionPath,
    });
    expect(r.restored?.data).toBeInstanceOf(Float32Array);
    expect(r.labels?.data).toBeInstanceOf(Uint16Array);
    expect(r.labels?.data.length).toBe(512 * 512);
    expect(r.objects.length).toBeGreaterThan(10);
    const labelsInImage = new Set(Array.from(r.labels!.data).filter((v) => v !== 0));
    expect(new Set(r.objects.map((o) => o.label))).toEqual(labelsInImage);
    const classified = r.objects.filter((o) => o.className);
    expect(classified.length).toBeGreaterThan(r.objects.length / 2);
    for (const o of classified) expect(o.confidence).toBeGreaterThan(0);
    expect(r.settings.bf_focus).toMatchObject({ patchSize: 128, overlapRatio: 0.25, scaleMethod: 'range01' });
    expect(r.timingsMs.segmentation).toBeGreaterThanOrEqual(0);

    const o = await backend.api.previews.run({
      movieId: movie.id,
      frame: 2,
      steps: ['segmentation'],
      collectionPath,
      infererOverrides: { segmentation: { patch_size: 128, overlap_ratio: 0.5 } },
    });
    expect(o.restored).toBeUndefined(); // no bf_focus step: segmentation read the raw bright field
    expect(o.settings.segmentation).toMatchObject({ patchSize: 128, overlapRatio: 0.5 });
    expect(o.objects.every((x) => x.className === undefined)).toBe(true);
    await backend.api.movies.close(movie.id);
  });

  it('refuses bad requests with what to do', async () => {
    const movie = await backend.api.movies.open(demoPaths().movie);
    await expect(
      backend.api.previews.run({ movieId: movie.id, frame: 0, steps: ['segmentation'] }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/choose one from the library/),
    });
    await expect(
      backend.api.previews.run({
        movieId: movie.id,
        frame: 0,
        steps: ['segmentation'],
        collectionPath,
        infererOverrides: { segmentation: { overlap_ratio: 1.5 } },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/overlap/) });
    await expect(
      backend.api.previews.run({ movieId: movie.id, frame: 0, steps: [], collectionPath }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      backend.api.previews.run({ movieId: 'nope', frame: 0, steps: ['bf_focus'], collectionPath }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      backend.api.previews.run({
        movieId: movie.id,
        frame: 0,
        steps: ['bf_focus'],
        collectionId: 'no-such-collection',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

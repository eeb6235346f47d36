import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunProgressEvent, RunSummary } from '../../src-shared/api';
import { demoConfig, demoPaths } from '../demo';
import { createBackend } from './backend';

/** Runs and movies through the backend object every shell uses (real workers, real movie). */
describe('backend runs and movies', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-runs-api-'));
  const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  afterAll(async () => {
    await backend.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the demo movie and serves frames as typed arrays', async () => {
    const info = await backend.api.movies.open(demoPaths().movie);
    expect(info).toMatchObject({ width: 512, height: 512, frames: 20, channels: 2, dtype: 'uint16' });
    const f = await backend.api.movies.frame({ movieId: info.id, frame: 3, channel: 1 });
    expect(f.data).toBeInstanceOf(Uint16Array);
    expect(f.data.length).toBe(512 * 512);
    await expect(backend.api.movies.frame({ movieId: info.id, frame: 20, channel: 0 })).rejects.toMatchObject(
      { code: 'BAD_INPUT' },
    );
    await backend.api.movies.close(info.id);
    await expect(backend.api.movies.frame({ movieId: info.id, frame: 0, channel: 0 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('runs a config in the background with progress and state events', async () => {
    const out = path.join(tmp, 'out');
    const cfg = path.join(tmp, 'demo.yml');
    fs.writeFileSync(cfg, demoConfig(demoPaths(), out));
    const progress: RunProgressEvent[] = [];
    const states: RunSummary[] = [];
    const offP = backend.events.on('run.progress', (p) => progress.push(p));
    const done = new Promise<RunSummary>((resolve) => {
      backend.events.on('run.state', (s) => {
        states.push(s);
        if (s.state !== 'running') resolve(s);
      });
    });
    const started = await backend.api.runs.start({ configPath: cfg, frames: [0, 2] });
    expect(started.state).toBe('running');
    const final = await done;
    offP();
    expect(final.state, final.error).toBe('done');
    expect(final.movies).toEqual([
      expect.objectContaining({ file: 'demo_movie.tif', state: 'done', total: 2 }),
    ]);
    expect(progress.some((p) => p.stage === 'frames' && p.done === 2 && p.total === 2)).toBe(true);
    expect(fs.existsSync(path.join(out, 'demo_movie_fl.csv'))).toBe(true);
    expect((await backend.api.runs.list()).map((r) => r.id)).toContain(started.id);
  }, 120_000);
});

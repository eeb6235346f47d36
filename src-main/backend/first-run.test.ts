import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-shared/api';
import { createBackend, type Backend } from './backend';

/**
 * A newcomer's first steps through the backend every shell uses: Try the demo (real import of the
 * bundled collection, real config file), a real run of it, the runs on disk after a restart,
 * re-running with force, a cancelled run, and the config editor's file checks after the
 * collection is removed. Real workers, real models, real files.
 */
describe('first run: the demo, runs that stay, safety', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-first-run-'));
  const options = {
    shell: 'serve' as const,
    libraryDir: path.join(tmp, 'library'),
    settingsDir: path.join(tmp, 'settings'),
    demoDir: path.join(tmp, 'demo'),
  };
  const backends: Backend[] = [];
  const start = () => {
    const b = createBackend(options);
    backends.push(b);
    return b;
  };
  const backend = start();
  afterAll(async () => {
    for (const b of backends) await b.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Starts a run and resolves with its final state; `onFirstProgress` runs at its first progress event. */
  const run = async (
    b: Backend,
    request: Parameters<Backend['api']['runs']['start']>[0],
    onFirstProgress?: (id: string) => void,
  ) => {
    let id = '';
    let first = true;
    const offP = b.events.on('run.progress', (p) => {
      if (first && p.runId === id && onFirstProgress) {
        first = false;
        onFirstProgress(id);
      }
    });
    const done = new Promise<RunSummary>((resolve) => {
      const off = b.events.on('run.state', (s) => {
        if (s.id === id && s.state !== 'running') {
          off();
          resolve(s);
        }
      });
    });
    id = (await b.api.runs.start(request)).id;
    const final = await done;
    offP();
    return final;
  };

  let configPath = '';
  let outputDir = '';

  it('sets the demo up: collection imported once, config written from the template, and it validates', async () => {
    const setup = await backend.api.demo.prepare();
    expect(setup.collection.path.startsWith(options.libraryDir)).toBe(true);
    expect(setup.collection.modelKeys).toEqual(
      expect.arrayContaining([
        'bf_focus',
        'fl_focus',
        'segmentation',
        'cell_classifier',
        'pi_classification',
      ]),
    );
    expect(setup.collectionReused).toBe(false);
    expect(setup.configPath).toBe(path.join(options.demoDir, 'demo_config.yml'));
    expect(setup.outputDir).toBe(path.join(options.demoDir, 'output'));
    expect(fs.readFileSync(setup.configPath, 'utf8')).toBe(setup.configText);
    expect(setup.configText).toContain(JSON.stringify(setup.collection.path).slice(1, -1));
    expect(setup.frames).toBe(20);
    const report = await backend.api.config.validate(setup.configText, { filePath: setup.configPath });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const again = await backend.api.demo.prepare();
    expect(again.collectionReused).toBe(true);
    expect(again.collection.id).toBe(setup.collection.id);
    expect(await backend.api.collections.list()).toHaveLength(1);
    configPath = setup.configPath;
    outputDir = setup.outputDir;
  });

  it('runs it, and lists the run found on disk after a restart', async () => {
    const final = await run(backend, { configPath, frames: [0, 2] });
    expect(final.state, final.error).toBe('done');
    expect(final.configPath).toBe(configPath);
    const restarted = start();
    const [record] = await restarted.api.runs.history();
    expect(record).toMatchObject({
      outputDir,
      configPath,
      configExists: true,
      state: 'done',
      folderExists: true,
      movies: [expect.objectContaining({ name: 'demo_movie', analysed: true, frames: 2 })],
    });
    expect(record.movies[0].moviePath).toMatch(/demo_movie\.tif$/);
    expect(record.movies[0].objects).toBeGreaterThan(0);
  }, 180_000);

  it('adds a run folder made elsewhere, and refuses folders without results', async () => {
    const other = createBackend({ ...options, settingsDir: path.join(tmp, 'settings-other') });
    backends.push(other);
    expect(await other.api.runs.history()).toEqual([]);
    const record = await other.api.runs.addFolder(outputDir);
    expect(record).toMatchObject({
      outputDir,
      configPath,
      state: 'done',
      movies: [expect.objectContaining({ name: 'demo_movie' })],
    });
    expect((await other.api.runs.history()).map((r) => r.outputDir)).toEqual([outputDir]);
    await expect(other.api.runs.addFolder(options.demoDir)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('holds no run results'),
    });
    await expect(other.api.runs.addFolder('results')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(other.api.runs.addFolder(path.join(tmp, 'nowhere'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await other.api.runs.forget(outputDir);
    expect(await other.api.runs.history()).toEqual([]);
  });

  it('skips analysed movies unless forced, as `hitmic run --force`', async () => {
    const skipped = await run(backend, { configPath, frames: [0, 2] });
    expect(skipped).toMatchObject({ state: 'done', skipped: ['demo_movie.tif'], movies: [] });
    const forced = await run(backend, { configPath, frames: [0, 2], force: true });
    expect(forced.state, forced.error).toBe('done');
    expect(forced.skipped).toEqual([]);
    expect(forced.movies).toEqual([expect.objectContaining({ file: 'demo_movie.tif', state: 'done' })]);
  }, 180_000);

  it('shows a cancelled run as cancelled, its movie too, and remembers it so', async () => {
    const final = await run(backend, { configPath, frames: [0, 6], force: true }, (id) => {
      void backend.api.runs.cancel(id);
    });
    expect(final.state).toBe('cancelled');
    expect(final.movies.map((m) => m.state)).toEqual(['cancelled']);
    const [record] = await start().api.runs.history();
    expect(record).toMatchObject({ outputDir, state: 'cancelled' });
  }, 180_000);

  it('flags a config whose collection was removed, in the editor and in the list of saved configs', async () => {
    const [collection] = await backend.api.collections.list();
    const text = fs.readFileSync(configPath, 'utf8');
    expect((await backend.api.config.usage([configPath]))[0]).toMatchObject({
      path: configPath,
      collection: collection.path,
      collectionMissing: false,
    });
    await backend.api.collections.remove(collection.id);
    const report = await backend.api.config.validate(text, { filePath: configPath });
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        path: 'models.model_collection',
        message: expect.stringContaining('not found'),
      }),
    );
    // `hitmic config validate` says the same of the saved file.
    const loaded = await backend.api.config.load(configPath);
    expect(loaded.report.diagnostics.map((d) => d.message)).toEqual(report.diagnostics.map((d) => d.message));
    const [usage] = await backend.api.config.usage([configPath, path.join(tmp, 'gone.yml')]);
    expect(usage).toMatchObject({ collection: collection.path, collectionMissing: true });
    expect((await backend.api.config.usage([path.join(tmp, 'gone.yml')]))[0].unreadable).toBe(
      'the file is gone',
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection, listLibrary } from './library';
import { inspectCollection } from './inspect';
import { FolderSource } from './source';

const DEMO = path.resolve(__dirname, '..', '..', 'models', 'demo-collection');

/** A collection folder (the bundled demo collection) imported into the library like a ZIP. */
describe('importing a collection folder', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-lib-folder-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('copies the folder once, keyed by its content, and the copy inspects as the original', async () => {
    const library = path.join(tmp, 'library');
    const first = await importCollection(DEMO, library);
    expect(first.reused).toBe(false);
    expect(first.entry).toMatchObject({ sourceName: 'demo-collection', layout: 'hitmictools-bundle' });
    expect(first.entry.path).toBe(path.join(library, first.entry.id));
    const original = new FolderSource(DEMO).files();
    expect(first.entry.size).toBe(original.reduce((n, f) => n + f.size, 0));
    for (const f of original)
      expect(
        fs.readFileSync(path.join(first.entry.path, f.path)).equals(fs.readFileSync(path.join(DEMO, f.path))),
      ).toBe(true);
    const again = await importCollection(DEMO, library);
    expect(again).toMatchObject({ reused: true, entry: { id: first.entry.id } });
    expect(await listLibrary(library)).toHaveLength(1);
    const copy = await inspectCollection(new FolderSource(first.entry.path));
    const orig = await inspectCollection(new FolderSource(DEMO));
    expect(copy.models.map((m) => [m.key, m.runnable])).toEqual(orig.models.map((m) => [m.key, m.runnable]));
    expect(fs.readdirSync(library).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('gives a changed folder another id, and refuses a folder whose config names missing files', async () => {
    const library = path.join(tmp, 'library2');
    const copy = path.join(tmp, 'changed');
    fs.cpSync(DEMO, copy, { recursive: true });
    const a = await importCollection(copy, library);
    fs.appendFileSync(path.join(copy, 'config.yml'), '\n# edited\n');
    const b = await importCollection(copy, library);
    expect(b.entry.id).not.toBe(a.entry.id);
    const broken = path.join(tmp, 'broken');
    fs.cpSync(DEMO, broken, { recursive: true });
    const model = fs.readdirSync(path.join(broken, 'models'))[0];
    fs.rmSync(path.join(broken, 'models', model));
    await expect(importCollection(broken, library)).rejects.toMatchObject({ code: 'DANGLING_REFERENCE' });
    expect((await listLibrary(library)).map((e) => e.id).sort()).toEqual([a.entry.id, b.entry.id].sort());
  });
});

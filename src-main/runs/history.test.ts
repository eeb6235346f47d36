import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_HISTORY_FILE, RunHistory } from './history';

/** The remembered runs: a real settings folder, read back by a new instance as after a restart. */
describe('RunHistory', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-history-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('remembers runs newest first, one per output folder, across instances', () => {
    const dir = path.join(tmp, 'settings-a');
    new RunHistory(dir).started({ outputDir: '/data/a', configPath: '/data/a.yml', startedAt: 't1' });
    new RunHistory(dir).started({ outputDir: '/data/b', configPath: '/data/b.yml', startedAt: 't2' });
    new RunHistory(dir).ended('/data/a', { state: 'cancelled', error: 'stopped by you', endedAt: 't3' });
    const after = new RunHistory(dir).list();
    expect(after.map((r) => [r.outputDir, r.state])).toEqual([
      ['/data/b', 'running'],
      ['/data/a', 'cancelled'],
    ]);
    expect(after[1]).toMatchObject({ configPath: '/data/a.yml', error: 'stopped by you', endedAt: 't3' });
    // A new run into a folder replaces what was remembered of it (no stale error) and goes first.
    new RunHistory(dir).started({ outputDir: '/data/a', configPath: '/data/a2.yml', startedAt: 't4' });
    expect(new RunHistory(dir).list()[0]).toEqual({
      outputDir: '/data/a',
      configPath: '/data/a2.yml',
      state: 'running',
      startedAt: 't4',
    });
    new RunHistory(dir).forget('/data/b');
    expect(new RunHistory(dir).list().map((r) => r.outputDir)).toEqual(['/data/a']);
  });

  it('keeps the file 0600 in a 0700 folder, and tightens a folder left open', () => {
    if (process.platform === 'win32') return;
    const dir = path.join(tmp, 'settings-b');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    new RunHistory(dir).started({ outputDir: '/data/x' });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, RUN_HISTORY_FILE)).mode & 0o777).toBe(0o600);
    // Written atomically: no temporary file is left beside it.
    expect(fs.readdirSync(dir)).toEqual([RUN_HISTORY_FILE]);
  });

  it('reads a damaged or hand-edited file as far as it makes sense, and keeps at most `max`', () => {
    const dir = path.join(tmp, 'settings-c');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, RUN_HISTORY_FILE), '{ not json');
    expect(new RunHistory(dir).list()).toEqual([]);
    fs.writeFileSync(
      path.join(dir, RUN_HISTORY_FILE),
      JSON.stringify({
        runs: [
          { outputDir: 'relative/dir' },
          { outputDir: '/ok', state: 'exploded' },
          42,
          { outputDir: '/ok' },
        ],
      }),
    );
    expect(new RunHistory(dir).list()).toEqual([{ outputDir: '/ok', state: 'failed' }]);
    const small = new RunHistory(dir, 3);
    for (const d of ['/1', '/2', '/3', '/4']) small.started({ outputDir: d });
    expect(small.list().map((r) => r.outputDir)).toEqual(['/4', '/3', '/2']);
  });
});

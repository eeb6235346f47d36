import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoRunConfig } from '../../test-support/demo-run-config';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A movie's outputs appear together or not at all: a real `hitmic run` writing onto a real full
 * disk (a 512 KiB tmpfs: the labels stack and run.json fit, the per-cell table does not), and the
 * skip rule and stale-file cleanup of a real output folder.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const DEMO = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-commit-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function hitmic(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, TMPDIR: tmp },
  });
}

function config(output: string): string {
  return writeDemoRunConfig(path.join(tmp, `config-${path.basename(output)}.yml`), {
    output,
    exportLabels: true,
    focusCorrection: false,
  });
}

/** A small tmpfs at `dir`, or the reason it cannot be mounted here (not root, no mount). */
function mountSmallDisk(dir: string): string | null {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})`;
  mounts.push(dir);
  return null;
}

const FINAL = /_(fl|summary)\.csv$|_labels\.tif$|_run\.json$/;

describe('outputs of a movie', () => {
  it('leave nothing under a final name when the disk fills up, and the error names the file', (ctx) => {
    const out = path.join(tmp, 'full-disk');
    const why = mountSmallDisk(out);
    if (why) ctx.skip(why);
    const r = hitmic(['run', config(out), '--frames', '0:20', '--json']);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { movies: { ok: boolean; error: string }[] };
    expect(report.movies[0].ok).toBe(false);
    expect(report.movies[0].error).toMatch(/demo_movie_fl\.csv.*disk is full/);
    expect(fs.readdirSync(out).filter((f) => FINAL.test(f))).toEqual([]);
    expect(fs.readdirSync(out).filter((f) => f.includes('.partial'))).toEqual([]);
  }, 300_000);

  it('skips a movie named with --input that is already analysed, and removes what a killed run left', () => {
    const out = path.join(tmp, 'done');
    fs.mkdirSync(out);
    // A partial file of a writer that no longer exists (pid above any pid_max).
    const stale = path.join(out, 'demo_movie_labels.tif.partial-99999999-0badcafe');
    fs.writeFileSync(stale, 'half a stack');
    const cfg = config(out);
    const first = hitmic(['run', cfg, '--input', DEMO, '--frames', '0:2', '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    const before = fs.statSync(path.join(out, 'demo_movie_fl.csv')).mtimeMs;
    const again = hitmic(['run', cfg, '--input', DEMO, '--frames', '0:2', '--json']);
    expect(again.status, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { movies: unknown[]; skipped: string[] };
    expect(report.movies).toEqual([]);
    expect(report.skipped).toEqual([DEMO]);
    expect(fs.statSync(path.join(out, 'demo_movie_fl.csv')).mtimeMs).toBe(before);
    const forced = hitmic(['run', cfg, '--input', DEMO, '--frames', '0:2', '--force', '--json']);
    expect((JSON.parse(forced.stdout) as { movies: unknown[] }).movies).toHaveLength(1);
  }, 300_000);
});

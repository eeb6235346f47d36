import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoRunConfig } from '../../test-support/demo-run-config';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Out of memory gets help, not "worker killed by SIGABRT": a real run under a real address-space
 * limit (`ulimit -v`) whose U-Net windows cannot be allocated, and a real worker killed with
 * SIGKILL mid-run, as the kernel's out-of-memory killer does.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const DEMO = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
const COLLECTION = path.join(ROOT, 'models', 'demo-collection');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-oom-'));
const env = { ...process.env, TMPDIR: tmp };
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The demo collection with the segmenter's windows at `patch` pixels. */
function collectionWithPatch(patch: number): string {
  const dir = path.join(tmp, `collection-${patch}`);
  fs.cpSync(COLLECTION, dir, { recursive: true });
  const file = path.join(dir, 'config.yml');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('patch_size: 256', text.indexOf('segmentation:'));
  fs.writeFileSync(
    file,
    `${text.slice(0, at)}patch_size: ${patch}${text.slice(at + 'patch_size: 256'.length)}`,
  );
  fs.rmSync(path.join(dir, 'manifest.json')); // edited on purpose
  return dir;
}

function config(collection: string, output: string, workers = 1): string {
  return writeDemoRunConfig(path.join(tmp, `config-${path.basename(output)}.yml`), {
    output,
    collection,
    workers,
    focusCorrection: false,
  });
}

describe('running out of memory', () => {
  it('names the stage and frame, what it had booked, and the remedies with this run’s numbers', () => {
    // 4096² windows in batches of 4: one U-Net activation alone needs ~4 GB; the limit allows ~5 GB of
    // address space, enough for Node, onnxruntime and the models, not for that.
    const cfg = config(collectionWithPatch(4096), path.join(tmp, 'out-limited'));
    const r = spawnSync(
      'bash',
      ['-c', `ulimit -v 5000000; exec "${process.execPath}" "${BIN}" run "${cfg}" --frames 0:1 --json`],
      {
        env,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(r.status, r.stderr).toBe(1);
    const movie = (JSON.parse(r.stdout) as { movies: { ok: boolean; error: string }[] }).movies[0];
    expect(movie.error).toMatch(
      /^Out of memory in segmentation \(frame 0\) on cpu, with \d+(\.\d+)? GB booked: /,
    );
    expect(movie.error).toMatch(
      /Remedies: segmentation patch_size 4096 is larger than the 512×512 frame: 512 covers it with ~2 % of the memory per window/,
    );
  }, 180_000);

  it('reads a worker killed by SIGKILL mid-run as the out-of-memory killer, with the remedies', async () => {
    const cfg = config(collectionWithPatch(256), path.join(tmp, 'out-killed'), 2);
    const child = spawn(process.execPath, [BIN, 'run', cfg, '--input', DEMO, '--json'], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let killed = false;
    child.stderr.on('data', (d: Buffer) => {
      // Once frames are running, kill the worker (the CLI's child) as the OOM killer would.
      if (killed || !/frames|segmentation/.test(d.toString())) return;
      const workers = fs
        .readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return (
              fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(child.pid)
            );
          } catch {
            return false;
          }
        });
      if (workers.length === 0) return;
      killed = true;
      process.kill(Number(workers[0]), 'SIGKILL');
    });
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(killed).toBe(true);
    expect(status).toBe(1);
    const movie = (JSON.parse(stdout) as { movies: { ok: boolean; error: string }[] }).movies[0];
    expect(movie.error).toMatch(/was killed by SIGKILL .*has most often run out of memory/);
    expect(movie.error).toMatch(
      /during (segmentation|classification) \(frame \d+ of 20\).*Remedies: .*(patch_size \d+ → \d+ needs ~¼ of the memory per window|batch_size 512 → 256 halves)/,
    );
  }, 180_000);
});

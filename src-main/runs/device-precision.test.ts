import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoRunConfig } from '../../test-support/demo-run-config';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * run.json records what was asked and what ran: a device that cannot be used here (CUDA on a
 * machine without its provider) falls back to the CPU, said once for the run with its cause and
 * the fix, and the bookings go to the device used; `half_precision` on the CPU runs fp32 and says so.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const COLLECTION = path.join(ROOT, 'models', 'demo-collection');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-device-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The demo collection with half_precision asked for the bright-field restorer. */
function halfPrecisionCollection(): string {
  const dir = path.join(tmp, 'collection');
  fs.cpSync(COLLECTION, dir, { recursive: true });
  const config = path.join(dir, 'config.yml');
  const text = fs.readFileSync(config, 'utf8');
  const bf = text.indexOf('half_precision: false');
  fs.writeFileSync(
    config,
    `${text.slice(0, bf)}half_precision: true${text.slice(bf + 'half_precision: false'.length)}`,
  );
  fs.rmSync(path.join(dir, 'manifest.json')); // edited on purpose: no checksums to fail
  return dir;
}

function config(collection: string, output: string): string {
  return writeDemoRunConfig(path.join(tmp, 'config.yml'), { output, collection });
}

describe('device and precision in run.json', () => {
  it('falls back from an unusable CUDA to the CPU once per run, books on cpu, and runs fp32 honestly', () => {
    const out = path.join(tmp, 'out');
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', config(halfPrecisionCollection(), out), '--frames', '0:1', '--device', 'cuda:1', '--json'],
      { cwd: tmp, encoding: 'utf8', timeout: 180_000, env: { ...process.env, TMPDIR: tmp } },
    );
    expect(r.status, r.stderr).toBe(0);
    const fallback = r.stderr.split('\n').filter((l) => /CUDA execution provider could not be used/.test(l));
    expect(fallback, r.stderr).toHaveLength(1); // five models, pools of sessions: said once
    expect(fallback[0]).toMatch(/run on CPU and book memory on 'cpu'\. Fix: check that nvidia-smi works/);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'demo_movie_run.json'), 'utf8')) as {
      device: unknown;
      precision: Record<string, unknown>;
      execution_provider: string;
    };
    expect(run.execution_provider).toBe('cpu');
    expect(run.device).toEqual({ requested: 'cuda:1', used: 'cpu', booked_on: 'cpu' });
    expect(run.precision).toEqual({
      bf_focus: { requested: 'fp16', used: 'fp32', why: expect.stringMatching(/CPU provider/) },
    });
    const said = r.stderr
      .split('\n')
      .filter((l) => /half_precision: bf_focus runs fp32 — .*CPU provider/.test(l));
    expect(said, r.stderr).toHaveLength(1);
    expect(fs.readFileSync(path.join(out, 'demo_movie_log.txt'), 'utf8')).toMatch(
      /half_precision: bf_focus runs fp32 — the model runs on the CPU provider, where fp16 is slower/,
    );
  }, 180_000);

  it("logs memory per stage and frame, as HiTMicTools' MemoryLogger does, to the log file and run.json", () => {
    const out = path.join(tmp, 'out');
    const run = JSON.parse(fs.readFileSync(path.join(out, 'demo_movie_run.json'), 'utf8')) as {
      memory: {
        peak_rss_mb: number;
        peak_vram_mb: number | null;
        readings: { stage: string; rss_mb: number }[];
      };
    };
    expect(run.memory.peak_vram_mb).toBeNull(); // the CPU: nothing to read
    expect(run.memory.readings.map((r) => r.stage)).toEqual([
      'load_models',
      'bf_focus',
      'fl_focus',
      'segmentation',
      'classification',
      'done',
      'pi_classification',
    ]);
    const peak = Math.max(...run.memory.readings.map((r) => r.rss_mb));
    expect(run.memory.peak_rss_mb).toBe(peak);
    expect(peak).toBeGreaterThan(50);
    const log = fs.readFileSync(path.join(out, 'demo_movie_log.txt'), 'utf8');
    expect(log).toMatch(/warning: the CUDA execution provider could not be used/);
    expect(log).toMatch(/frame 0 segmentation: worker RSS \d+ MB \| RAM: [\d.]+ GB used \/ [\d.]+ GB free/);
  });

  it('refuses a device it does not know, in one line', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'x.yml', '--device', 'tpu'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^hitmic: --device must be one of auto, cpu, cuda/);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoRunConfig } from '../../test-support/demo-run-config';
import { afterAll, describe, expect, it } from 'vitest';
import { readBookingFile } from '../resources';

/**
 * A stage that waits for its memory says so: a real `hitmic reserve` holds most of a small
 * device, a real `hitmic run` has to wait behind it, and prints what it waits for and who holds it.
 * Stage figures and the wait timeout come from the command line.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-wait-'));
const env = { ...process.env, TMPDIR: tmp, HITMIC_CAPACITY_GB: '2' };
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function config(output: string): string {
  return writeDemoRunConfig(path.join(tmp, `config-${path.basename(output)}.yml`), { output });
}

/** Holds `gb` on the cpu booking file for `seconds`, and resolves once the booking is in the file. */
async function hold(gb: number, seconds: number) {
  const holder = spawn(
    process.execPath,
    [BIN, 'reserve', '--device', 'cpu', '--gb', String(gb), '--', 'sleep', String(seconds)],
    { env, stdio: 'ignore' },
  );
  const file = path.join(tmp, 'memory_bookings_cpu.json');
  const end = Date.now() + 20_000;
  for (;;) {
    if (fs.existsSync(file) && Object.keys(readBookingFile(file, Date.now() / 1000).data.bookings).length)
      break;
    if (Date.now() > end) throw new Error('the holder never booked');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: holder.pid!,
    done: new Promise<void>((resolve) => holder.once('exit', () => resolve())),
    release: () => holder.kill('SIGTERM'),
  };
}

/** Runs `hitmic run`, calling `onLine` with each stderr line as it comes. */
function run(args: string[], onLine: (line: string) => void) {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    text.split('\n').forEach(onLine);
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (status) => resolve({ status, stdout, stderr })),
  );
}

const STAGES = 'bf_focus=1,fl_focus=1,segmentation=1,classification=1,pi_classification=0.5';

describe('a stage waiting for its memory', () => {
  it('says what it waits for and who holds it, then runs when the memory is free', async () => {
    const holder = await hold(1.5, 120);
    // The holder lets go once the run has said that it waits.
    const r = await run(
      [config(path.join(tmp, 'out')), '--frames', '0:1', '--stage-gb', STAGES, '--json'],
      (line) => {
        if (/waits for/.test(line)) holder.release();
      },
    );
    holder.release();
    await holder.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `demo_movie: bf_focus waits for 1 GB on cpu \\(0\\.5 GB free\\) — held by pid ${holder.pid}`,
      ),
    );
    expect((JSON.parse(r.stdout) as { movies: { ok: boolean }[] }).movies[0].ok).toBe(true);
  }, 120_000);

  it('gives up after --wait-timeout, naming the holder', async () => {
    const holder = await hold(1.5, 120);
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'run',
        config(path.join(tmp, 'out-timeout')),
        '--frames',
        '0:1',
        '--stage-gb',
        STAGES,
        '--wait-timeout',
        '1',
        '--json',
      ],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    holder.release();
    await holder.done;
    expect(r.status).toBe(1);
    const movie = (JSON.parse(r.stdout) as { movies: { ok: boolean; error: string }[] }).movies[0];
    expect(movie.ok).toBe(false);
    expect(movie.error).toMatch(new RegExp(`timed out after 1\\.\\d s .*pid ${holder.pid}`));
  }, 120_000);
});

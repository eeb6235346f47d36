import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDeflateBombTiff } from '../testing/bombs';

/**
 * Decompression bombs against the reader, each opened and read in a child process (the compiled
 * reader in dist/, built by the test setup) so that its peak memory (maxRSS) and time are its
 * own. A bound on time here only says "does not hang"; speed is the benchmarks' business.
 */
const IO = path.resolve(__dirname, '../../../dist/node/src-main/io/index.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bomb-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  zeros?: boolean;
  ms: number;
  maxRssMb: number;
}

/** Opens `file` as a movie and reads plane (0, 0) in a fresh Node process; `env` is added to its environment. */
function openAndRead(file: string, env: Record<string, string> = {}): Outcome {
  const script = `
    const { openMovie } = require(${JSON.stringify(IO)});
    (async () => {
      const t0 = Date.now();
      let out;
      try {
        const movie = await openMovie(${JSON.stringify(file)});
        const plane = await movie.readPlane({ t: 0, c: 0 });
        let zeros = true;
        for (let i = 0; i < plane.data.length; i++) if (plane.data[i] !== 0) { zeros = false; break; }
        await movie.close();
        out = { ok: true, zeros };
      } catch (e) {
        out = { ok: false, code: e.code, message: e.message };
      }
      out.ms = Date.now() - t0;
      out.maxRssMb = process.resourceUsage().maxRSS / 1024;
      process.stdout.write(JSON.stringify(out));
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HITMIC_MAX_PLANE_MB: '', ...env },
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  if (process.env.HITMIC_TEST_VERBOSE) console.log(path.basename(file), r.stdout);
  return JSON.parse(r.stdout) as Outcome;
}

describe('deflate bombs cost at most the plane budget', () => {
  it('30000² uint16 in a 1.7 MB file: refused at open with the plane size, the limit and how to raise it, in well under a second and 500 MB', () => {
    const file = path.join(tmp, 'bomb-30000.tif');
    writeDeflateBombTiff(file, 30000, 30000);
    expect(fs.statSync(file).size).toBeLessThan(2e6);
    const out = openAndRead(file);
    expect(out.ok).toBe(false);
    expect(out.code).toBe('limit');
    expect(out.message).toContain('The plane is too large to decode');
    expect(out.message).toContain('30000 × 30000 pixels × 2 bytes = 1.68 GiB');
    expect(out.message).toMatch(/expected at most [\d.]+ (GiB|MiB) per plane/);
    expect(out.message).toContain('HITMIC_MAX_PLANE_MB=1717');
    expect(out.ms).toBeLessThan(5000);
    expect(out.maxRssMb).toBeLessThan(500);
  });

  it('40000² gets the same clear message, not "the file is damaged" with a Node buffer error', () => {
    const file = path.join(tmp, 'bomb-40000.tif');
    writeDeflateBombTiff(file, 40000, 40000, 2 ** 20);
    const out = openAndRead(file);
    expect(out.code).toBe('limit');
    expect(out.message).toContain('40000 × 40000 pixels × 2 bytes = 2.98 GiB');
    expect(out.message).not.toMatch(/The file is damaged|Cannot create a Buffer|re-export/);
  });

  it('a plane within the budget whose one strip inflates to 4 GiB: decoded to its 32 MiB, the rest never inflated', () => {
    const file = path.join(tmp, 'bomb-strip.tif');
    writeDeflateBombTiff(file, 4096, 4096, 4 * 2 ** 30);
    const out = openAndRead(file, { HITMIC_MAX_PLANE_MB: '64' });
    expect(out).toMatchObject({ ok: true, zeros: true });
    expect(out.maxRssMb).toBeLessThan(300);
    expect(out.ms).toBeLessThan(10_000);
  });

  it('HITMIC_MAX_PLANE_MB lowers (or raises) the budget, and a malformed value is an error naming it', () => {
    const file = path.join(tmp, 'small.tif');
    writeDeflateBombTiff(file, 2048, 2048); // 8 MiB of zeros
    expect(openAndRead(file)).toMatchObject({ ok: true, zeros: true });
    const lowered = openAndRead(file, { HITMIC_MAX_PLANE_MB: '4' });
    expect(lowered.code).toBe('limit');
    expect(lowered.message).toContain(
      'expected at most 4.0 MiB per plane, found 2048 × 2048 pixels × 2 bytes = 8.0 MiB',
    );
    const bad = openAndRead(file, { HITMIC_MAX_PLANE_MB: 'lots' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/HITMIC_MAX_PLANE_MB is not a size in MB.*found "lots"/);
  });
});

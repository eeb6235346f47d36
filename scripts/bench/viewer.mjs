#!/usr/bin/env node
/**
 * Viewer benchmark: time from "show frame k" to RGBA pixels ready for a 2048×2048 uint16 frame,
 * uncached (first read through the backend) vs cached (the renderer's frame cache holds it), side
 * by side in one run.
 *
 * Path measured, as in `hitmic serve`: backend `movies.frame` → the WebSocket wire codec (encode on
 * the server, decode in the page) → auto contrast (1–99.8 %) → bytes → RGBA composite. A cache hit
 * skips the first two and reuses the frame's auto contrast (remembered per plane). Writes a FRAMES-page movie (default 8, `--frames N`) with HiTMic's own
 * writer in os.tmpdir() and deletes it at the end. Needs `npm run build:main`. Never fails on timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = (p) => path.join(root, 'dist/node', p);
if (
  !fs.existsSync(dist('src-main/backend/backend.js')) ||
  !fs.existsSync(dist('src-shared/viewer/index.js'))
) {
  console.error('bench/viewer: the compiled Node side is missing; run "npm run build:main" first');
  process.exit(1);
}
const { HyperstackWriter } = require(dist('src-main/io/tiff/writer.js'));
const { createBackend } = require(dist('src-main/backend/backend.js'));
const { encodeMessage, decodeMessage } = require(dist('src-shared/api/wire.js'));
const { cachedAutoContrast, toBytes, compositeRgba, PromiseLru } = require(
  dist('src-shared/viewer/index.js'),
);

const fi = process.argv.indexOf('--frames');
const FRAMES = fi > 0 ? Number(process.argv[fi + 1]) : 8;
const W = 2048;
const H = 2048;

function frame(k) {
  const a = new Uint16Array(W * H);
  let s = 777 + k;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const x = i % W;
    const y = (i / W) | 0;
    a[i] = 400 + ((x + y + k * 5) >> 4) + ((x + k * 9) % 70 < 18 && y % 50 < 10 ? 2600 : 0) + (s >>> 25);
  }
  return a;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-viewer-'));
  const file = path.join(tmp, 'movie_2048.tif');
  const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  try {
    const w = await HyperstackWriter.create(file, { width: W, height: H, dtype: 'uint16', frames: FRAMES });
    for (let k = 0; k < FRAMES; k++) await w.writePlane(frame(k));
    await w.close();
    const info = await backend.api.movies.open(file);
    const cache = new PromiseLru(48);
    const draw = (plane) => compositeRgba(toBytes(plane.data, cachedAutoContrast(plane.data)), undefined);
    const show = async (k) => {
      const t0 = performance.now();
      const plane = await cache.get(String(k), async () =>
        decodeMessage(
          encodeMessage(await backend.api.movies.frame({ movieId: info.id, frame: k, channel: 0 })),
        ),
      );
      const t1 = performance.now();
      const rgba = draw(plane);
      return {
        total: performance.now() - t0,
        fetch: t1 - t0,
        pixels: performance.now() - t1,
        check: rgba[4 * 12345],
      };
    };
    const uncached = [];
    for (let k = 0; k < FRAMES; k++) uncached.push(await show(k));
    const cached = [];
    for (let pass = 0; pass < 3; pass++) for (let k = 0; k < FRAMES; k++) cached.push(await show(k));
    const row = (name, rs) =>
      console.log(
        `${name.padEnd(10)} total ${median(rs.map((r) => r.total))
          .toFixed(1)
          .padStart(7)} ms   fetch+wire ${median(rs.map((r) => r.fetch))
          .toFixed(1)
          .padStart(7)} ms   contrast+RGBA ${median(rs.map((r) => r.pixels))
          .toFixed(1)
          .padStart(6)} ms`,
      );
    console.log(
      `${W}×${H} uint16 frame (${((W * H * 2) / 2 ** 20).toFixed(0)} MiB), ${FRAMES} frames, medians:`,
    );
    row('uncached', uncached);
    row('cached', cached);
    console.log(
      `cached is ${(median(uncached.map((r) => r.total)) / median(cached.map((r) => r.total))).toFixed(2)}× faster to pixels ready`,
    );
  } finally {
    await backend.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench/viewer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

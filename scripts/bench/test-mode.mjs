#!/usr/bin/env node
/**
 * Test-mode benchmark: on a 2048×2048 two-channel frame, the whole pipeline of the config template
 * (alignment, BaSiC on the PI channel, both restorers, segmentation, classification, measurements,
 * PI classification, tracking) run from nothing ("full frame"), against the re-run after a
 * segmentation-only change (segmentation patch_size 256 → 512: restoration and background come
 * from the worker's stage cache), and against asking again with nothing changed (all six images
 * sent back, and only the labels). Side by side in
 * one run, through the backend object `hitmic serve` uses (worker IPC and the images sent back
 * included). Each repetition takes another frame of the movie, so its full run shares nothing with
 * the one before (the models stay loaded: a warm-up run loads them first).
 *
 * The movie is the demo movie's frames tiled 4 × 4 (both channels), written with HiTMic's own
 * writer into os.tmpdir() and deleted at the end. Needs `npm run build:main`. Options: `--repeat N`
 * (default 3). Never fails on timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const dist = (p) => path.join(root, 'dist/node', p);
if (!fs.existsSync(dist('src-main/backend/backend.js'))) {
  console.error('bench/test-mode: the compiled Node side is missing; run "npm run build:main" first');
  process.exit(1);
}
const { HyperstackWriter, openMovie } = require(dist('src-main/io/index.js'));
const { createBackend } = require(dist('src-main/backend/backend.js'));
const { configTemplate } = require(dist('src-main/backend/config-api.js'));

const ri = process.argv.indexOf('--repeat');
const REPEAT = Math.max(1, ri > 0 ? Number(process.argv[ri + 1]) : 3);
const TILE = 4;
const FRAMES = REPEAT + 1;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The demo movie's frames tiled TILE × TILE: 2048² planes with real cells, both channels. */
async function writeMovie(file) {
  const demo = await openMovie(path.join(root, 'resources/demo/demo_movie.tif'));
  const { x: w, y: h } = demo.info.shape;
  const W = w * TILE;
  const writer = await HyperstackWriter.create(file, {
    width: W,
    height: h * TILE,
    dtype: 'uint16',
    frames: FRAMES,
    channels: 2,
    pixelSizeUm: demo.info.pixelSizeUm,
  });
  for (let t = 0; t < FRAMES; t++)
    for (let c = 0; c < 2; c++) {
      const src = (await demo.readPlane({ t, c })).data;
      const out = new Uint16Array(W * h * TILE);
      for (let y = 0; y < h * TILE; y++)
        for (let x = 0; x < W; x++) out[y * W + x] = src[(y % h) * w + (x % w)];
      await writer.writePlane(out);
    }
  await writer.close();
  await demo.close();
  return W;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-testmode-'));
  const file = path.join(tmp, 'tiled_2048.tif');
  const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  try {
    const size = await writeMovie(file);
    const movie = await backend.api.movies.open(file);
    const configText = configTemplate('ASCT_focusrestore', path.join(root, 'models/demo-collection'));
    const run = async (start, overrides, images) => {
      const t0 = performance.now();
      const r = await backend.api.testMode.run({
        movieId: movie.id,
        configText,
        start,
        count: 1,
        infererOverrides: overrides,
        images,
      });
      return { ms: performance.now() - t0, r };
    };
    const stageLine = (r) =>
      r.stages.map((s) => `${s.stage} ${s.status === 'cached' ? 'cache' : `${s.ms}`}`).join(', ');
    console.log(`warm-up (loads the models): ${((await run(0)).ms / 1000).toFixed(1)} s`);
    const full = [];
    const seg = [];
    const same = [];
    const labelsOnly = [];
    for (let k = 1; k <= REPEAT; k++) {
      const a = await run(k);
      const b = await run(k, { segmentation: { patch_size: 512 } });
      const c = await run(k, { segmentation: { patch_size: 512 } });
      const d = await run(k, { segmentation: { patch_size: 512 } }, ['labels']);
      const ran = b.r.stages.filter((s) => s.status === 'ran').map((s) => s.stage);
      if (ran[0] !== 'segmentation' || c.r.stages.some((s) => s.status !== 'cached'))
        throw new Error(`unexpected stages re-run: ${stageLine(b.r)} / ${stageLine(c.r)}`);
      full.push(a.ms);
      seg.push(b.ms);
      same.push(c.ms);
      labelsOnly.push(d.ms);
      console.log(`frame ${k}: full ${(a.ms / 1000).toFixed(1)} s (${stageLine(a.r)})`);
      console.log(`         segmentation patch 512: ${(b.ms / 1000).toFixed(1)} s (${stageLine(b.r)})`);
      console.log(
        `         again, nothing changed: ${c.ms.toFixed(0)} ms (only the labels sent back: ${d.ms.toFixed(0)} ms); cache ${(c.r.cache.usedBytes / 2 ** 20).toFixed(0)} MB`,
      );
    }
    console.log(`\n${size}×${size}, 2 channels, ${REPEAT} repetitions, medians:`);
    console.log(`full frame                      ${(median(full) / 1000).toFixed(2)} s`);
    console.log(
      `after a segmentation change     ${(median(seg) / 1000).toFixed(2)} s  (${(median(seg) / median(full)).toFixed(2)} of the full frame)`,
    );
    console.log(
      `nothing changed (all cached)    ${median(same).toFixed(0)} ms, of which sending back the six images ${(median(same) - median(labelsOnly)).toFixed(0)} ms`,
    );
  } finally {
    await backend.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench/test-mode: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

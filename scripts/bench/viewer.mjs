#!/usr/bin/env node
/**
 * Viewer benchmark: a frame step of a 2048×2048 two-channel uint16 movie (bright field + PI), from
 * the key to the frame's pixels on the canvas, uncached (the frame is not in the renderer's frame
 * cache) vs cached, side by side in one run. Targets (issue 16): cached < 50 ms, uncached < 150 ms
 * on a quiet machine. Never fails on timing.
 *
 * Two measurements:
 * 1. `browser` — the real thing: `hitmic serve` and the built UI in Chromium. A key event is
 *    dispatched in the page and the time is taken when the canvas has drawn that frame (its
 *    `data-frame` attribute is set right after drawing; "painted" adds the next animation frame).
 *    Cached: → and ← between two frames already shown. Uncached: PageUp on the frame slider
 *    (+10 frames, past what the Viewer reads ahead), on a freshly opened movie each pass.
 *    Needs `npm run build` and Chromium (/usr/bin/chromium or CHROMIUM_PATH); skipped without.
 * 2. `pipeline` — the parts of that path without a browser, in Node: backend `movies.frame` →
 *    the API's wire codec (a stand-in for the transfer: in the browser frames come over HTTP,
 *    GET /api/frame, as raw bytes) → colour mapping of both channels with the
 *    whole-movie contrast (computed once by `movies.contrast`). A cache hit skips the first two.
 *
 * Writes a FRAMES-frame movie (default 31, `--frames N`) with HiTMic's own writer in os.tmpdir()
 * and deletes it at the end. `--no-browser` runs only the pipeline part.
 */
// stepInPage and the blur below run in the page (page.evaluate), where these are defined.
/* global document, MutationObserver, requestAnimationFrame, KeyboardEvent */
import { spawn } from 'node:child_process';
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
const { colouriseRgba, PromiseLru } = require(dist('src-shared/viewer/index.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FRAMES = arg('--frames', 31);
const BROWSER = !process.argv.includes('--no-browser');
const W = 2048;
const H = 2048;

/** Bright field: textured background with dark rods; PI: dim with a few bright cells, rising over time. */
function frame(k, c) {
  const a = new Uint16Array(W * H);
  let s = 777 + k * 2 + c;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const x = i % W;
    const y = (i / W) | 0;
    const rod = (x + k * 9) % 70 < 18 && y % 50 < 10;
    a[i] =
      c === 0
        ? 1400 + ((x + y + k * 5) >> 5) - (rod ? 900 : 0) + (s >>> 24)
        : 150 + (s >>> 26) + (rod && x % 140 < 70 ? 400 + k * 40 : 0);
  }
  return a;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (v) => `${v.toFixed(1).padStart(7)} ms`;

async function writeMovie(file) {
  const w = await HyperstackWriter.create(file, {
    width: W,
    height: H,
    dtype: 'uint16',
    frames: FRAMES,
    channels: 2,
  });
  for (let k = 0; k < FRAMES; k++) for (const c of [0, 1]) await w.writePlane(frame(k, c));
  await w.close();
}

async function pipeline(file, tmp) {
  const backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  try {
    const info = await backend.api.movies.open(file);
    const t0 = performance.now();
    const ranges = [];
    for (const c of [0, 1])
      ranges.push((await backend.api.movies.contrast({ movieId: info.id, channel: c })).auto);
    const statsMs = performance.now() - t0;
    const cache = new PromiseLru(48);
    const show = async (k) => {
      const t0 = performance.now();
      const planes = await Promise.all(
        [0, 1].map((c) =>
          cache.get(`${k}:${c}`, async () =>
            decodeMessage(
              encodeMessage(await backend.api.movies.frame({ movieId: info.id, frame: k, channel: c })),
            ),
          ),
        ),
      );
      const t1 = performance.now();
      const rgba = planes.map((p, c) => colouriseRgba(p.data, ranges[c], c === 0 ? 'grey' : 'red'));
      return {
        total: performance.now() - t0,
        fetch: t1 - t0,
        pixels: performance.now() - t1,
        check: rgba[0][4 * 12345],
      };
    };
    const uncached = [];
    for (let k = 0; k < Math.min(FRAMES, 10); k++) uncached.push(await show(k));
    const cached = [];
    for (let pass = 0; pass < 3; pass++)
      for (let k = 0; k < Math.min(FRAMES, 10); k++) cached.push(await show(k));
    const row = (name, rs) =>
      console.log(
        `  ${name.padEnd(9)} total ${ms(median(rs.map((r) => r.total)))}   fetch+wire ${ms(median(rs.map((r) => r.fetch)))}   colour maps ${ms(median(rs.map((r) => r.pixels)))}`,
      );
    console.log(
      `pipeline (Node, no browser), 2 channels, medians; whole-movie contrast of both channels: ${statsMs.toFixed(0)} ms`,
    );
    row('uncached', uncached);
    row('cached', cached);
  } finally {
    await backend.dispose();
  }
}

function chromiumPath() {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && fs.existsSync(p),
  );
}

async function startServe(tmp) {
  const proc = spawn(process.execPath, [path.join(root, 'bin', 'hitmic.js'), 'serve', '--json'], {
    cwd: root,
    env: { ...process.env, HITMIC_LIBRARY: path.join(tmp, 'library') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('hitmic serve printed no URL in 30 s')), 30_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve(out.slice(0, nl));
    });
    proc.once('exit', (code) => reject(new Error(`hitmic serve exited with ${code}`)));
  });
  return {
    url: JSON.parse(line).url,
    stop: () => new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM'))),
  };
}

/** In the page: dispatch `key` on `target` and resolve when the canvas has drawn `frame`. */
function stepInPage({ key, target, frame }) {
  const canvas = document.querySelector('[data-testid="viewer-canvas"]');
  const el =
    target === 'slider' ? document.querySelector('[data-testid="viewer-frame-slider"] input') : document.body;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`frame ${frame} not drawn in 20 s`)), 20_000);
    const t0 = performance.now();
    const mo = new MutationObserver(() => {
      if (canvas.dataset.frame !== String(frame)) return;
      const drawn = performance.now() - t0;
      mo.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve({ drawn, painted: performance.now() - t0 }));
    });
    mo.observe(canvas, { attributes: true, attributeFilter: ['data-frame'] });
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
}

async function browser(file, tmp) {
  const executablePath = chromiumPath();
  if (!executablePath || !fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
    console.log('browser: skipped (needs Chromium and the built UI: npm run build)');
    return;
  }
  const { chromium } = await import('@playwright/test');
  const serve = await startServe(tmp);
  const b = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await (await b.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(serve.url);
    const open = async () => {
      await page.getByTestId('nav-viewer').click();
      await page.getByTestId('viewer-path-input').fill(file);
      await page.getByTestId('viewer-open').click();
      await page.getByTestId('viewer-movie-info').getByText('frame ready').waitFor({ timeout: 60_000 });
      // The whole-movie contrast of both channels, so no frame falls back to its own.
      for (const c of [0, 1])
        await page.getByTestId(`contrast-${c}-source`).getByText('whole movie').waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="viewer-canvas"]')?.dataset.frame === '0',
      );
    };
    const settle = () => page.waitForTimeout(1500); // read-ahead finishes, the machine calms
    const uncached = [];
    const cached = [];
    for (let pass = 0; pass < 3; pass++) {
      await open();
      await settle();
      // Uncached: +10 frames on the slider, beyond the read-ahead.
      for (let f = 10; f < FRAMES; f += 10) {
        uncached.push(await page.evaluate(stepInPage, { key: 'PageUp', target: 'slider', frame: f }));
        await settle();
      }
      // Cached: ← then → between the last frame shown and the one before it (read ahead already).
      await page.evaluate(() => document.activeElement?.blur());
      const last = Math.floor((FRAMES - 1) / 10) * 10;
      for (let i = 0; i < 4; i++) {
        cached.push(await page.evaluate(stepInPage, { key: 'ArrowLeft', target: 'window', frame: last - 1 }));
        await page.waitForTimeout(300);
        cached.push(await page.evaluate(stepInPage, { key: 'ArrowRight', target: 'window', frame: last }));
        await page.waitForTimeout(300);
      }
      // The next pass opens the movie anew: an empty frame cache.
      await page.getByTestId('viewer-path-input').fill('');
    }
    const row = (name, rs) =>
      console.log(
        `  ${name.padEnd(9)} key→pixels ${ms(median(rs.map((r) => r.drawn)))} (n=${rs.length}, min ${Math.min(...rs.map((r) => r.drawn)).toFixed(1)}, max ${Math.max(...rs.map((r) => r.drawn)).toFixed(1)})   +next paint ${ms(median(rs.map((r) => r.painted)))}`,
      );
    console.log(`browser (hitmic serve + Chromium, software rendering), ${W}×${H}, 2 channels, medians:`);
    row('uncached', uncached);
    row('cached', cached);
  } finally {
    await b.close();
    await serve.stop();
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-viewer-'));
  const file = path.join(tmp, 'movie_2048.tif');
  try {
    await writeMovie(file);
    console.log(
      `${W}×${H} uint16, 2 channels, ${FRAMES} frames (${((W * H * 2) / 2 ** 20).toFixed(0)} MiB a plane); load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
    );
    await pipeline(file, tmp);
    if (BROWSER) await browser(file, tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench/viewer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

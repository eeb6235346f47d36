#!/usr/bin/env node
/**
 * TIFF read benchmark: HiTMic's reader vs geotiff.js readRasters, side by side in one run.
 *
 * Writes (with HiTMic's own HyperstackWriter) an uncompressed and a deflate 2048×2048 uint16
 * stack of FRAMES pages (default 24, override with `--frames N`) in os.tmpdir(), then reads every
 * frame with each reader (best of 2 passes, files already in the page cache) and prints MB/s of
 * decoded pixels and the speed ratio. Needs the compiled Node side: `npm run build:main` first.
 * Never fails on timing; deletes its files at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as geotiff from 'geotiff';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const entry = path.join(root, 'dist/node/src-main/io/tiff/writer.js');
if (!fs.existsSync(entry)) {
  console.error(`bench/tiff-read: ${entry} not found; run "npm run build:main" first`);
  process.exit(1);
}
const { HyperstackWriter } = require(entry);
const { TiffReader } = require(path.join(root, 'dist/node/src-main/io/tiff/reader.js'));

const fi = process.argv.indexOf('--frames');
const FRAMES = fi > 0 ? Number(process.argv[fi + 1]) : 24;
const W = 2048;
const H = 2048;
const MB = (W * H * 2 * FRAMES) / 1e6;

/** A microscopy-like frame: smooth background, bright blobs, deterministic noise. */
function frame(k) {
  const a = new Uint16Array(W * H);
  let s = 12345 + k;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const blob = (x + k * 7) % 64 < 20 && y % 48 < 12 ? 2500 : 0;
      a[y * W + x] = 400 + ((x + y) >> 3) + blob + (s >>> 26);
    }
  }
  return a;
}

async function write(file, compression) {
  const w = await HyperstackWriter.create(file, {
    width: W,
    height: H,
    dtype: 'uint16',
    frames: FRAMES,
    compression,
  });
  for (let k = 0; k < FRAMES; k++) await w.writePlane(frame(k % 4));
  await w.close();
}

async function timeOurs(file) {
  const t0 = performance.now();
  const r = await TiffReader.open(file);
  let sum = 0;
  for (let i = 0; i < r.pageCount; i++) sum += (await r.readPage(i)).samples[0][12345];
  await r.close();
  return { s: (performance.now() - t0) / 1000, sum };
}

async function timeGeotiff(file) {
  const t0 = performance.now();
  const tiff = await geotiff.fromFile(file);
  const n = await tiff.getImageCount();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const img = await tiff.getImage(i);
    const [band] = await img.readRasters();
    sum += band[12345];
  }
  await tiff.close();
  return { s: (performance.now() - t0) / 1000, sum };
}

const best = async (fn, file) => {
  const a = await fn(file);
  const b = await fn(file);
  return a.s < b.s ? a : b;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-bench-'));
try {
  console.log(
    `TIFF read benchmark: ${FRAMES} frames of ${W}×${H} uint16 (${MB.toFixed(0)} MB decoded per pass), node ${process.version}`,
  );
  for (const compression of ['none', 'deflate']) {
    const file = path.join(dir, `stack-${compression}.tif`);
    const tw = performance.now();
    await write(file, compression);
    const size = fs.statSync(file).size / 1e6;
    console.log(
      `\n${compression}: wrote ${size.toFixed(0)} MB in ${((performance.now() - tw) / 1000).toFixed(1)} s`,
    );
    fs.readFileSync(file); // warm the page cache for both readers alike
    const ours = await best(timeOurs, file);
    const geo = await best(timeGeotiff, file);
    if (ours.sum !== geo.sum)
      console.log(`  WARNING: checksums differ (ours ${ours.sum}, geotiff ${geo.sum})`);
    console.log(`  hitmic reader : ${(MB / ours.s).toFixed(0).padStart(6)} MB/s  (${ours.s.toFixed(2)} s)`);
    console.log(`  geotiff.js    : ${(MB / geo.s).toFixed(0).padStart(6)} MB/s  (${geo.s.toFixed(2)} s)`);
    console.log(`  ratio         : ${(geo.s / ours.s).toFixed(1)}× faster`);
  }
  // Indexing cost of a long movie: one IFD walk (ours) vs getImageCount + getImage(last) (geotiff).
  const PAGES = 5000;
  const many = path.join(dir, 'many-pages.tif');
  const w = await HyperstackWriter.create(many, { width: 32, height: 32, dtype: 'uint16' });
  for (let k = 0; k < PAGES; k++) await w.writePlane(new Uint16Array(32 * 32).fill(k));
  await w.close();
  let t0 = performance.now();
  const r = await TiffReader.open(many);
  const last = (await r.readPage(PAGES - 1)).samples[0][0];
  await r.close();
  const oursIdx = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const g = await geotiff.fromFile(many);
  const n = await g.getImageCount();
  const [band] = await (await g.getImage(n - 1)).readRasters();
  await g.close();
  const geoIdx = (performance.now() - t0) / 1000;
  console.log(
    `\nindex ${PAGES}-page file and read its last page: hitmic ${(oursIdx * 1000).toFixed(0)} ms, geotiff.js ${(geoIdx * 1000).toFixed(0)} ms (${(geoIdx / oursIdx).toFixed(1)}×)${last === band[0] ? '' : ' WARNING: values differ'}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

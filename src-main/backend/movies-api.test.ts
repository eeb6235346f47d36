import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { percentiles } from '../../src-shared/viewer';
import { HyperstackWriter, openMovie } from '../io';
import { createMoviesApi } from './movies-api';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-movies-api-'));
const movies = createMoviesApi();
afterAll(async () => {
  await movies.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * A float32 plane of width × height, all 1.5, stored as one deflate strip with the floating-point
 * predictor (Predictor 3, as tifffile writes floats): decoding it is ~a second of inflate and
 * byte shuffling on this machine, most of it in two tight loops over 4 bytes per pixel.
 */
function writeFloatPredictorTiff(file: string, width: number, height: number): void {
  const be = Buffer.alloc(4);
  be.writeFloatBE(1.5);
  const row = Buffer.alloc(width * 4);
  for (let b = 0; b < 4; b++) row.fill(be[b], b * width, (b + 1) * width); // bytes by significance
  for (let i = row.length - 1; i > 0; i--) row[i] = (row[i] - row[i - 1]) & 0xff; // horizontal differences
  const strip = zlib.deflateSync(Buffer.concat(new Array<Buffer>(height).fill(row)), { level: 1 });
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 32],
    [259, 3, 8],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
    [317, 3, 3], // Predictor: floating point
    [339, 3, 3], // SampleFormat: IEEE float
  ];
  const dataAt = 8 + 2 + entries.length * 12 + 4;
  entries[5][2] = dataAt;
  const head = Buffer.alloc(dataAt);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    head.writeUInt16LE(tag, 10 + i * 12);
    head.writeUInt16LE(type, 12 + i * 12);
    head.writeUInt32LE(1, 14 + i * 12);
    if (type === 3) head.writeUInt16LE(value, 18 + i * 12);
    else head.writeUInt32LE(value, 18 + i * 12);
  });
  fs.writeFileSync(file, Buffer.concat([head, strip]));
}

/** Runs `work` while a 5 ms timer ticks; returns its result and the longest the timer waited beyond 5 ms (until a tick after the work). */
async function withLag<T>(work: () => Promise<T>): Promise<{ result: T; maxLagMs: number }> {
  let last = performance.now();
  let maxLagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 5);
    last = now;
  }, 5);
  try {
    const result = await work();
    // A block that ends with the work is seen only by the next tick: wait for it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, maxLagMs };
  } finally {
    clearInterval(timer);
  }
}

describe('movies.frame decodes off the event loop', () => {
  const big = path.join(tmp, 'big-float.tif');
  const W = 8192;
  const H = 4096;

  it('a 128 MiB plane decodes while the event loop keeps ticking and a small movie keeps answering', async () => {
    writeFloatPredictorTiff(big, W, H);
    const small = path.join(tmp, 'small.tif');
    const w = await HyperstackWriter.create(small, { width: 64, height: 64, dtype: 'uint16', frames: 2 });
    await w.writePlane(new Uint16Array(64 * 64).fill(7));
    await w.writePlane(new Uint16Array(64 * 64).fill(9));
    await w.close();
    const bigInfo = await movies.open(big);
    const smallInfo = await movies.open(small);
    expect(bigInfo).toMatchObject({ width: W, height: H, dtype: 'float32', frames: 1 });

    let smallDoneFirst = false;
    const { result: plane, maxLagMs } = await withLag(async () => {
      const bigFrame = movies.frame({ movieId: bigInfo.id, frame: 0, channel: 0 });
      let bigDone = false;
      void bigFrame.then(() => (bigDone = true));
      const s = await movies.frame({ movieId: smallInfo.id, frame: 1, channel: 0 });
      expect(s.data[100]).toBe(9);
      smallDoneFirst = !bigDone;
      return bigFrame;
    });
    expect(plane.data).toBeInstanceOf(Float32Array);
    expect(plane.data.length).toBe(W * H);
    expect([plane.data[0], plane.data[W * H - 1], plane.data[12345678]]).toEqual([1.5, 1.5, 1.5]);
    // Decoded on the event loop, the big frame would be done before the small request was even
    // sent; that the small one answers first proves the decode runs elsewhere. How long the loop
    // stalls is timing, for the verbose line (and the viewer benchmark), not for an assertion.
    expect(smallDoneFirst).toBe(true);
    if (process.env.HITMIC_TEST_VERBOSE) {
      const inProcess = await openMovie(big);
      const direct = await withLag(() => inProcess.readPlane({ t: 0, c: 0 }));
      await inProcess.close();
      console.log(
        `event-loop lag: reader thread ${maxLagMs.toFixed(1)} ms, in-process ${direct.maxLagMs.toFixed(1)} ms`,
      );
    }
    await movies.close(bigInfo.id);
    await movies.close(smallInfo.id);
  }, 60_000);
});

describe('movies.contrast: one range for the whole movie', () => {
  const demo = path.resolve(__dirname, '../../resources/demo/demo_movie.tif');

  it('is the 1–99.8 % of the sampled frames together, from the reader thread, with the file’s calibration', async () => {
    const info = await movies.open(demo);
    expect(info).toMatchObject({ pixelSizeUm: expect.closeTo(0.65, 6), frameIntervalS: 600 });
    expect(info.frameTimestampsS).toHaveLength(20);
    expect(info.frameTimestampsS![19]).toBe(11400);
    expect(info.channelNames).toHaveLength(2);

    const s = await movies.contrast({ movieId: info.id, channel: 1, samples: 4 });
    expect(s.frames).toEqual([0, 6, 13, 19]);
    // The same numbers from the planes read here, all four in one array.
    const m = await openMovie(demo);
    const all = new Uint16Array(4 * 512 * 512);
    for (const [i, t] of s.frames.entries())
      all.set((await m.readPlane({ t, c: 1 })).data as Uint16Array, i * 512 * 512);
    await m.close();
    expect(s.pixels).toBe(all.length);
    expect([s.auto.min, s.auto.max]).toEqual(percentiles(all, [1, 99.8]));
    expect(s.min).toBe(Math.min(...percentiles(all, [0])));
    expect(s.max).toBe(Math.max(...percentiles(all, [100])));
    const counted = s.histogram.below + s.histogram.above + s.histogram.counts.reduce((a, b) => a + b, 0);
    expect(counted).toBe(all.length);
    // Not the range of any one frame: frame 0 alone is dimmer in PI than the movie.
    const f0 = await movies.contrast({ movieId: info.id, channel: 1, samples: 1 });
    expect(f0.frames).toEqual([0]);
    expect(f0.auto.max).toBeLessThan(s.auto.max);

    await expect(movies.contrast({ movieId: info.id, channel: 2 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(movies.contrast({ movieId: info.id, channel: 0, samples: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    const ac = new AbortController();
    ac.abort();
    await expect(movies.contrast({ movieId: info.id, channel: 0 }, ac.signal)).rejects.toBeDefined();
    await movies.close(info.id);
  }, 60_000);
});

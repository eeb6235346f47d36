import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../testing/arrays';
import { writeDeflateBombTiff } from '../testing/bombs';
import { TiffError } from '../tiff/errors';
import { HyperstackWriter } from '../tiff/writer';
import { openMovie } from './open';
import { ThreadedMovie } from './threaded';

/** The reader thread runs the compiled entry in dist/ (the test setup builds it). */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-threaded-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A 3-frame, 2-channel uint16 ImageJ movie whose plane (t, c) holds t·1000 + c·100 + (x + y). */
async function smallMovie(): Promise<string> {
  const file = path.join(tmp, `m${Math.random().toString(36).slice(2)}.tif`);
  const w = await HyperstackWriter.create(file, {
    width: 33,
    height: 17,
    dtype: 'uint16',
    frames: 3,
    channels: 2,
  });
  for (let t = 0; t < 3; t++)
    for (let c = 0; c < 2; c++)
      await w.writePlane(
        Uint16Array.from({ length: 33 * 17 }, (_, i) => t * 1000 + c * 100 + (i % 33) + Math.floor(i / 33)),
      );
  await w.close();
  return file;
}

describe('ThreadedMovie: a movie read on its own thread', () => {
  it('gives the same info and pixels as openMovie', async () => {
    const file = await smallMovie();
    const direct = await openMovie(file);
    const threaded = await ThreadedMovie.open(file);
    expect(threaded.info).toEqual(direct.info);
    for (const [t, c] of [
      [0, 0],
      [2, 1],
      [1, 0],
    ]) {
      const a = await threaded.readPlane({ t, c });
      const b = await direct.readPlane({ t, c });
      expect(a.data).toBeInstanceOf(Uint16Array);
      expect([a.width, a.height, a.dtype, a.t, a.c]).toEqual([33, 17, 'uint16', t, c]);
      expect(firstDifference(a.data, b.data)).toBe(-1);
      expect(a.data[33 * 2 + 5]).toBe(t * 1000 + c * 100 + 7);
    }
    await direct.close();
    await threaded.close();
  });

  it('errors cross the thread as TiffErrors with their code and fields', async () => {
    const notTiff = path.join(tmp, 'notes.tif');
    fs.writeFileSync(notTiff, 'not an image');
    const err = (await ThreadedMovie.open(notTiff).catch((e: unknown) => e)) as TiffError;
    expect(err).toBeInstanceOf(TiffError);
    expect(err.code).toBe('not-tiff');
    expect(err.path).toBe(notTiff);
    expect(err.message).toMatch(/^Not a TIFF file: bad byte-order mark/);

    const bomb = path.join(tmp, 'bomb.tif');
    writeDeflateBombTiff(bomb, 30000, 30000);
    const limit = (await ThreadedMovie.open(bomb).catch((e: unknown) => e)) as TiffError;
    expect(limit).toBeInstanceOf(TiffError);
    expect(limit.code).toBe('limit');
    expect(limit.actual).toBe('30000 × 30000 pixels × 2 bytes = 1.68 GiB');

    const movie = await ThreadedMovie.open(await smallMovie());
    const range = (await movie.readPlane({ t: 3, c: 0 }).catch((e: unknown) => e)) as TiffError;
    expect(range).toBeInstanceOf(TiffError);
    expect(range.code).toBe('state');
    expect(range.expected).toBe('t in 0..2');
    await movie.close();
  });

  it('an aborted read rejects with AbortError at once and the movie goes on reading', async () => {
    const movie = await ThreadedMovie.open(await smallMovie());
    const ac = new AbortController();
    const read = movie.readPlane({ t: 1, c: 1 }, ac.signal);
    ac.abort();
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    const pre = new AbortController();
    pre.abort();
    await expect(movie.readPlane({ t: 0, c: 0 }, pre.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect((await movie.readPlane({ t: 1, c: 1 })).data[0]).toBe(1100);
    await movie.close();
  });

  it('close ends the thread; later reads are refused clearly, and closing twice is fine', async () => {
    const movie = await ThreadedMovie.open(await smallMovie());
    const reads = [movie.readPlane({ t: 0, c: 0 }), movie.readPlane({ t: 2, c: 1 })];
    await Promise.allSettled(reads);
    await movie.close();
    await movie.close();
    await expect(movie.readPlane({ t: 0, c: 0 })).rejects.toThrow(/after close/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TiffError } from '../tiff/errors';
import { TiffReader } from '../tiff/reader';
import { openMovie } from './open';

/**
 * Movie layouts of other tools, on the small files scripts/make-test-movies.py writes with
 * tifffile (test-support/movies/). Plane (t, c) holds 1000·t + 100·c + x + 2·y (uint16), or
 * 10·c + x + 2·y (uint8), so every check below also says which plane was read.
 */
const MOVIES = path.resolve(__dirname, '../../../test-support/movies');
const at = (x: number, y: number): number => y * 24 + x;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-layouts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function refused(p: string): Promise<TiffError> {
  const err = await openMovie(p).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TiffError);
  return err as TiffError;
}

describe('per-plane file sets', () => {
  it("viv's sample_Channel_0..2.tif folder is 3 channels of one frame, not 3 frames", async () => {
    const movie = await openMovie(path.join(MOVIES, 'viv-channels'));
    expect(movie.info.sourceKind).toBe('file-sequence');
    expect(movie.info.shape).toEqual({ t: 1, c: 3, z: 1, y: 16, x: 24 });
    expect(movie.info.dtype).toBe('uint8');
    expect(movie.info.channelNames).toEqual(['C0', 'C1', 'C2']);
    for (const c of [0, 1, 2]) expect((await movie.readPlane({ t: 0, c })).data[at(3, 2)]).toBe(10 * c + 7);
    await movie.close();
  });

  it('a SuperSegger folder (MG1655_t01xy1c1.tif …) opens without a pattern: 3 frames × 2 channels', async () => {
    const movie = await openMovie(path.join(MOVIES, 'supersegger'));
    expect(movie.info.shape).toEqual({ t: 3, c: 2, z: 1, y: 16, x: 24 });
    expect(path.basename(movie.info.planes[1].file)).toBe('MG1655_t01xy1c2.tif'); // t 0, c 1
    expect((await movie.readPlane({ t: 2, c: 1 })).data[at(5, 1)]).toBe(2000 + 100 + 7);
    await movie.close();
  });

  it('a SuperSegger folder of two positions is refused, naming a pattern that opens one of them', async () => {
    const dir = path.join(MOVIES, 'supersegger-2pos');
    const err = await refused(dir);
    expect(err.message).toMatch(/more than one movie/);
    expect(err.actual).toBe('2 patterns: t{T}xy1c{C}.tif, t{T}xy2c{C}.tif');
    expect(err.fix).toContain(path.join(dir, 't{T}xy1c{C}.tif'));
    const one = await openMovie(path.join(dir, 't{T}xy2c{C}.tif'));
    expect(one.info.shape).toMatchObject({ t: 1, c: 2 });
    await one.close();
  });
});

describe('multi-file OME-TIFF', () => {
  const COMPANION = path.join(MOVIES, 'ome-companion');
  const expectSet = async (p: string): Promise<void> => {
    const movie = await openMovie(p);
    const { info } = movie;
    expect(info.sourceKind).toBe('ome-tiff');
    expect(info.shape).toEqual({ t: 3, c: 2, z: 1, y: 16, x: 24 });
    expect(info.channelNames).toEqual(['phase', 'PI']);
    expect(info.pixelSizeUm).toBeCloseTo(0.065, 9);
    expect(info.frameTimestampsS).toEqual([0, 60, 120]);
    expect(path.basename(info.planes[info.planes.length - 1].file)).toMatch(/_C1\.ome\.tif$/);
    for (const [t, c] of [
      [0, 0],
      [2, 1],
      [1, 1],
    ])
      expect((await movie.readPlane({ t, c })).data[at(7, 5)]).toBe(1000 * t + 100 * c + 17);
    await movie.close();
  };

  it('the .companion.ome opens the whole set: 2 channels from 2 files, 3 frames each', async () => {
    await expectSet(path.join(COMPANION, 'multifile.companion.ome'));
  });

  it('any .ome.tif of the set whose OME-XML is BinaryOnly opens the set through the companion it names', async () => {
    await expectSet(path.join(COMPANION, 'multifile_C1.ome.tif'));
  });

  it('a master-file set opens from the master and from the BinaryOnly file that names it', async () => {
    await expectSet(path.join(MOVIES, 'ome-master', 'master_C0.ome.tif'));
    await expectSet(path.join(MOVIES, 'ome-master', 'master_C1.ome.tif'));
  });

  it('one file of a set copied alone says where its metadata lives, not "no <Image>"', async () => {
    const lone = path.join(tmp, 'multifile_C0.ome.tif');
    fs.copyFileSync(path.join(COMPANION, 'multifile_C0.ome.tif'), lone);
    const err = await refused(lone);
    expect(err.code).toBe('io');
    expect(err.message).toMatch(
      /one file of a multi-file set: its metadata, and where the other planes are, live in multifile\.companion\.ome, which is not beside it/,
    );
    expect(err.message).not.toMatch(/<Image>/);
    expect(err.fix).toMatch(/open the \.companion\.ome/);
  });

  it('a set with a TIFF missing is refused at open, naming the missing file', async () => {
    const dir = path.join(tmp, 'partial');
    fs.mkdirSync(dir);
    for (const f of ['multifile.companion.ome', 'multifile_C0.ome.tif'])
      fs.copyFileSync(path.join(COMPANION, f), path.join(dir, f));
    const err = await refused(path.join(dir, 'multifile.companion.ome'));
    expect(err.message).toMatch(/A file of this multi-file OME-TIFF is missing/);
    expect(err.expected).toBe('multifile_C1.ome.tif beside multifile.companion.ome, as its OME-XML says');
    const fromTiff = await refused(path.join(dir, 'multifile_C0.ome.tif'));
    expect(fromTiff.expected).toMatch(/^multifile_C1\.ome\.tif beside/);
  });

  it('the channel TIFFs really hold only a BinaryOnly OME-XML (so the tests above are not reading embedded metadata)', async () => {
    const r = await TiffReader.open(path.join(COMPANION, 'multifile_C0.ome.tif'));
    expect(r.page(0).description).toMatch(/<BinaryOnly MetadataFile="multifile\.companion\.ome"/);
    expect(r.page(0).description).not.toMatch(/<Image/);
    await r.close();
  });
});

describe('files that are no movie', () => {
  it('a .txt (or .zip, .png, .csv) says what it is and what to open instead, before reading it', async () => {
    const txt = path.join(tmp, 'notes.txt');
    fs.writeFileSync(txt, 'hello');
    const err = await refused(txt);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(
      /^A text file is not a movie; open a TIFF or OME-TIFF movie \(\.tif, \.tiff\)/,
    );
    expect((await refused(path.join(tmp, 'models.zip'))).message).toMatch(/model collection, not a movie/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING } from '../testing/fixtures';
import { firstDifference } from '../testing/arrays';
import { geotiffPages } from '../testing/geotiff-ref';
import { TiffError } from '../tiff/errors';
import { TiffReader } from '../tiff/reader';
import { HyperstackWriter } from '../tiff/writer';
import { openMovie } from './open';

const FIX = fixturesDir();
const DELTA = FIX ? path.join(FIX, 'bacteria_movies/delta_mothermachine_phase_fluor') : '';
const OME = FIX ? path.join(FIX, 'tiff/ome/ome_artificial') : '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-movie-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const skipNote = FIX ? '' : ` — ${FIXTURES_MISSING}`;

describe.skipIf(!FIX)(
  `DeLTA per-frame movie (big-endian uint16, one file per frame and channel)${skipNote}`,
  () => {
    it('a folder is detected as 2 channels × 8 frames of 696 columns × 520 rows, uint16, with ImageJ calibration', async () => {
      const movie = await openMovie(DELTA);
      const { info } = movie;
      expect(info.sourceKind).toBe('file-sequence');
      expect(info.shape).toEqual({ t: 8, c: 2, z: 1, y: 520, x: 696 });
      expect(info.dtype).toBe('uint16');
      expect(info.channelNames).toEqual(['C1', 'C2']);
      expect(info.frameIntervalS).toBeCloseTo(300.004, 2);
      expect(info.pixelSizeUm).toBeCloseTo(1 / 7.712251, 6);
      expect(info.frameTimestampsS?.[3]).toBeCloseTo(3 * 300.004, 1);
      expect(path.basename(info.planes[3].file)).toBe('Position01Channel02Frames000002.tif'); // t=1, c=1

      // Pixel identity (and byte order) against geotiff.js for a few planes.
      for (const [t, c] of [
        [0, 0],
        [4, 1],
        [7, 1],
      ]) {
        const plane = await movie.readPlane({ t, c });
        const file = path.join(DELTA, `Position01Channel0${c + 1}Frames00000${t + 1}.tif`);
        const ref = (await geotiffPages(file))[0].samples[0];
        expect(plane.data).toBeInstanceOf(Uint16Array);
        expect(firstDifference(plane.data, ref)).toBe(-1);
      }
      // Values measured with tifffile: (row 0, col 0), (row 100, col 600), (row 519, col 695) of Channel02 frame 5.
      const p = await movie.readPlane({ t: 4, c: 1 });
      expect([p.data[0], p.data[100 * 696 + 600], p.data[519 * 696 + 695]]).toEqual([883, 1033, 913]);
      await movie.close();
    });

    it('an explicit pattern with placeholders gives the same movie', async () => {
      const movie = await openMovie(path.join(DELTA, 'Position01Channel0{C}Frames{T}.tif'));
      expect(movie.info.shape).toMatchObject({ t: 8, c: 2 });
      const a = await movie.readPlane({ t: 7, c: 0 });
      const r = await TiffReader.open(path.join(DELTA, 'Position01Channel01Frames000008.tif'));
      expect(firstDifference(a.data, (await r.readPage(0)).samples[0])).toBe(-1);
      await r.close();
      await movie.close();
    });

    it('streams through a small cache with few open files, and copies planes out', async () => {
      const movie = await openMovie(DELTA, { cachePages: 2, maxOpenFiles: 2 });
      const first = await movie.readPlane({ t: 0, c: 0 });
      first.data[0] = 1; // callers own their copy
      for (let t = 0; t < 8; t++) for (let c = 0; c < 2; c++) await movie.readPlane({ t, c });
      expect((await movie.readPlane({ t: 0, c: 0 })).data[0]).not.toBe(1);
      await movie.close();
      await expect(movie.readPlane({ t: 0, c: 0 })).rejects.toBeInstanceOf(TiffError);
    });
  },
);

describe.skipIf(!FIX)(`OME-TIFF artificial files${skipNote}`, () => {
  const cases: [string, { t: number; c: number; z: number }][] = [
    ['single-channel.ome.tif', { t: 1, c: 1, z: 1 }],
    ['multi-channel.ome.tif', { t: 1, c: 3, z: 1 }],
    ['time-series.ome.tif', { t: 7, c: 1, z: 1 }],
    ['z-series.ome.tif', { t: 1, c: 1, z: 5 }],
    ['multi-channel-time-series.ome.tif', { t: 7, c: 3, z: 1 }],
  ];
  for (const [name, tcz] of cases) {
    it(`${name}: T=${tcz.t} C=${tcz.c} Z=${tcz.z}, 439×167 int8`, async () => {
      const movie = await openMovie(path.join(OME, name));
      expect(movie.info.sourceKind).toBe('ome-tiff');
      expect(movie.info.shape).toEqual({ ...tcz, y: 167, x: 439 });
      expect(movie.info.dtype).toBe('int8');
      await movie.close();
    });
  }

  it('multi-channel-time-series maps (t, c) to IFD c + 3t (TiffData, XYZCT) and reads those pages', async () => {
    const file = path.join(OME, 'multi-channel-time-series.ome.tif');
    const movie = await openMovie(file);
    const r = await TiffReader.open(file);
    for (const [t, c] of [
      [0, 1],
      [3, 2],
      [6, 0],
    ]) {
      const plane = await movie.readPlane({ t, c });
      expect(firstDifference(plane.data, (await r.readPage(c + 3 * t)).samples[0])).toBe(-1);
    }
    // Planes really differ, so a wrong mapping would be caught.
    expect(
      firstDifference((await r.readPage(1)).samples[0], (await r.readPage(3)).samples[0]),
    ).toBeGreaterThanOrEqual(0);
    await r.close();
    await movie.close();
  });

  it('ScanImage BigTIFF opens as a 4-frame int16 movie', async () => {
    const movie = await openMovie(
      path.join(FIX ?? '', 'tiff/image-tiff/images/bigtiff/ScanImageBigTIFFv57.tif'),
    );
    expect(movie.info.shape).toEqual({ t: 4, c: 1, z: 1, y: 64, x: 64 });
    expect(movie.info.dtype).toBe('int16');
    await movie.close();
  });
});

/** Writes a small OME-TIFF whose plane k is filled with the value k, with the given OME-XML Pixels body. */
async function omeFile(name: string, pixelsAttrs: string, body: string, planes: number): Promise<string> {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">` +
    `<Image ID="Image:0"><Pixels ID="Pixels:0" SizeX="6" SizeY="4" Type="uint16" ${pixelsAttrs}>${body}</Pixels></Image></OME>`;
  const file = path.join(tmp, name);
  const w = await HyperstackWriter.create(file, { width: 6, height: 4, dtype: 'uint16', description: xml });
  for (let k = 0; k < planes; k++) await w.writePlane(new Uint16Array(24).fill(k));
  await w.close();
  return file;
}

describe('OME-XML semantics', () => {
  it('DimensionOrder XYCTZ without TiffData: plane (t, c, z) is IFD c + C·t + C·T·z', async () => {
    const file = await omeFile(
      'order.ome.tif',
      'DimensionOrder="XYCTZ" SizeC="2" SizeT="3" SizeZ="2"',
      '',
      12,
    );
    const movie = await openMovie(file);
    expect(movie.info.shape).toEqual({ t: 3, c: 2, z: 2, y: 4, x: 6 });
    for (const [t, c, z] of [
      [0, 1, 0],
      [2, 0, 1],
      [1, 1, 1],
    ]) {
      expect((await movie.readPlane({ t, c, z })).data[0]).toBe(c + 2 * t + 6 * z);
    }
    await movie.close();
  });

  it('DeltaT honours DeltaTUnit (ms, min, default s); PhysicalSizeX honours its unit; channel names kept', async () => {
    const planesXml =
      '<Channel ID="Channel:0:0" Name="phase"/><Channel ID="Channel:0:1" Name="GFP"/>' +
      '<Plane TheT="0" TheC="0" TheZ="0" DeltaT="1500" DeltaTUnit="ms"/>' +
      '<Plane TheT="1" TheC="0" TheZ="0" DeltaT="2.5" DeltaTUnit="min"/>' +
      '<Plane TheT="2" TheC="0" TheZ="0" DeltaT="300"/>' +
      '<Plane TheT="2" TheC="1" TheZ="0" DeltaT="301"/>';
    const file = await omeFile(
      'times.ome.tif',
      'DimensionOrder="XYCZT" SizeC="2" SizeT="3" PhysicalSizeX="650" PhysicalSizeXUnit="nm"',
      planesXml,
      6,
    );
    const movie = await openMovie(file);
    const { info } = movie;
    expect(info.channelNames).toEqual(['phase', 'GFP']);
    expect(info.pixelSizeUm).toBeCloseTo(0.65, 9);
    expect(info.planeTimestampsS?.slice(0, 6)).toEqual([1.5, null, 150, null, 300, 301]);
    expect(info.frameTimestampsS).toEqual([0, 148.5, 298.5]);
    await movie.close();
  });

  it('TiffData with IFD and PlaneCount overrides DimensionOrder', async () => {
    // Planes stored in reverse: IFD 0 holds T=2, IFD 1 holds T=1, IFD 2 holds T=0.
    const td = [2, 1, 0].map((t, ifd) => `<TiffData IFD="${ifd}" FirstT="${t}" PlaneCount="1"/>`).join('');
    const movie = await openMovie(
      await omeFile('tiffdata.ome.tif', 'DimensionOrder="XYZCT" SizeT="3"', td, 3),
    );
    expect([0, 1, 2].map((t) => movie.info.planes[t].page)).toEqual([2, 1, 0]);
    expect((await movie.readPlane({ t: 0, c: 0 })).data[0]).toBe(2);
    await movie.close();
  });

  it('an OME-XML that promises more planes than pages is a clear error', async () => {
    const file = await omeFile('short.ome.tif', 'DimensionOrder="XYZCT" SizeT="5"', '', 2);
    const err = (await openMovie(file).catch((e: unknown) => e)) as TiffError;
    expect(err).toBeInstanceOf(TiffError);
    expect(err.code).toBe('truncated');
    expect(err.message).toMatch(/more planes than the file has pages/);
  });
});

describe('openMovie: inputs, errors, reads', () => {
  it('ND2 is refused with an export hint, without touching the file', async () => {
    const err = (await openMovie(path.join(tmp, 'does-not-exist.nd2')).catch((e: unknown) => e)) as TiffError;
    expect(err).toBeInstanceOf(TiffError);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(
      /^ND2 is not supported yet; export to OME-TIFF \(Fiji: File > Save As > OME-TIFF\) or TIFF/,
    );
  });

  it('a plain multi-page TIFF is T frames; non-square frames keep Y = rows, X = columns', async () => {
    const file = path.join(tmp, 'plain.tif');
    const w = await HyperstackWriter.create(file, {
      width: 5,
      height: 3,
      dtype: 'uint8',
      description: 'just a description',
    });
    const plane = Uint8Array.from({ length: 15 }, (_, i) => i); // value = row * 5 + column
    await w.writePlane(plane);
    await w.writePlane(plane.map((v) => v + 100));
    await w.close();
    const movie = await openMovie(file);
    expect(movie.info.sourceKind).toBe('tiff');
    expect(movie.info.shape).toEqual({ t: 2, c: 1, z: 1, y: 3, x: 5 });
    const p = await movie.readPlane({ t: 1, c: 0 });
    expect([p.width, p.height]).toEqual([5, 3]);
    expect(p.data[2 * 5 + 4]).toBe(114); // row 2, column 4
    await movie.close();
  });

  it('out-of-range selections and aborted reads reject distinctly', async () => {
    const file = path.join(tmp, 'abort.tif');
    const w = await HyperstackWriter.create(file, { width: 4, height: 4, dtype: 'uint16' });
    await w.writePlane(new Uint16Array(16));
    await w.close();
    const movie = await openMovie(file);
    await expect(movie.readPlane({ t: 1, c: 0 })).rejects.toMatchObject({ code: 'state' });
    await expect(movie.readPlane({ t: 0, c: 0, z: -1 })).rejects.toMatchObject({ code: 'state' });
    const ac = new AbortController();
    ac.abort();
    await expect(movie.readPlane({ t: 0, c: 0 }, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect((await movie.readPlane({ t: 0, c: 0 })).data.length).toBe(16);
    await movie.close();
  });

  it('a folder with two movies, or a missing frame, is a clear error', async () => {
    const dir = path.join(tmp, 'seq');
    fs.mkdirSync(dir);
    const write = async (name: string): Promise<void> => {
      const w = await HyperstackWriter.create(path.join(dir, name), { width: 4, height: 2, dtype: 'uint16' });
      await w.writePlane(new Uint16Array(8));
      await w.close();
    };
    for (const n of ['a_t1_c1.tif', 'a_t1_c2.tif', 'a_t2_c1.tif']) await write(n);
    const missing = (await openMovie(dir).catch((e: unknown) => e)) as TiffError;
    expect(missing.message).toMatch(/missing/);
    expect(missing.expected).toMatch(/frame 2, channel 2/);
    await write('b_t1.tif');
    const two = (await openMovie(dir).catch((e: unknown) => e)) as TiffError;
    expect(two.message).toMatch(/more than one movie/);
  });

  it('ImageJ stacks over 4 GiB (one IFD, images back to back) are read by computed offsets', async () => {
    // Build such a file by hand: a 1-IFD ImageJ TIFF with images=3 and three planes of data.
    const file = path.join(tmp, 'contig.tif');
    const w = await HyperstackWriter.create(file, {
      width: 4,
      height: 2,
      dtype: 'uint16',
      description: 'ImageJ=1.11a\nimages=3\nframes=3\n',
    });
    await w.writePlane(Uint16Array.from({ length: 8 }, () => 7));
    await w.close();
    // Append planes 1 and 2 right after page 0's strip, as ImageJ does (the IFD follows the data in our files, so
    // rebuild: read strip offset, then write plane data there and after).
    const r = await TiffReader.open(file);
    const off = r.page(0).chunkOffsets[0];
    await r.close();
    const buf = fs.readFileSync(file);
    const tail = buf.subarray(off + 16);
    const planes = Buffer.alloc(32);
    for (let i = 0; i < 8; i++) planes.writeUInt16LE(11, i * 2);
    for (let i = 8; i < 16; i++) planes.writeUInt16LE(13, i * 2);
    // Insert the two extra planes after plane 0 and shift every offset after it by 32 bytes: easier to append the
    // IFD region unchanged and rewrite the first-IFD pointer and description offset.
    const out = Buffer.concat([buf.subarray(0, off + 16), planes, tail]);
    const shift = 32;
    const ifd = buf.readUInt32LE(4) + shift;
    out.writeUInt32LE(ifd, 4);
    const n = out.readUInt16LE(ifd);
    for (let i = 0; i < n; i++) {
      const p = ifd + 2 + i * 12;
      const tag = out.readUInt16LE(p);
      const type = out.readUInt16LE(p + 2);
      const count = out.readUInt32LE(p + 4);
      const bytes = count * (type === 3 ? 2 : type === 5 ? 8 : type === 2 ? 1 : 4);
      if (bytes > 4 && out.readUInt32LE(p + 8) > off)
        out.writeUInt32LE(out.readUInt32LE(p + 8) + shift, p + 8);
      if (tag === 279) expect(out.readUInt32LE(p + 8)).toBe(16);
    }
    fs.writeFileSync(file, out);
    const movie = await openMovie(file);
    expect(movie.info.shape.t).toBe(3);
    expect(movie.info.warnings.join()).toMatch(/contiguous/);
    expect([0, 1, 2].map((t) => movie.info.planes[t].page)).toEqual([0, 1, 2]);
    expect((await movie.readPlane({ t: 1, c: 0 })).data[0]).toBe(11);
    expect((await movie.readPlane({ t: 2, c: 0 })).data[7]).toBe(13);
    await movie.close();
  });
});

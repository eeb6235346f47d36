import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMovie } from '../movie/open';
import { geotiffPages } from '../testing/geotiff-ref';
import { TiffError } from './errors';
import { parseImageJDescription } from './imagej';
import { TiffReader } from './reader';
import { HyperstackWriter } from './writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-writer-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Deterministic, non-trivial test planes (every plane differs, non-square 23 × 17). */
const W = 23;
const H = 17;
function u16Plane(k: number): Uint16Array {
  return Uint16Array.from({ length: W * H }, (_, i) => (i * 37 + k * 1009 + ((i * k) % 251)) % 65536);
}
function f32Plane(k: number): Float32Array {
  return Float32Array.from({ length: W * H }, (_, i) => Math.sin(i * 0.1 + k) * 1000 + k / 3);
}

function python(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import tifffile'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAS_TIFFFILE = python();

describe('HyperstackWriter round trip', () => {
  it('uint16 T×Y×X labels: reader, geotiff.js and the ImageJ description agree', async () => {
    const file = path.join(tmp, 'movie_labels.tif');
    const w = await HyperstackWriter.create(file, {
      width: W,
      height: H,
      dtype: 'uint16',
      frames: 3,
      frameIntervalS: 300,
      pixelSizeUm: 0.13,
    });
    const planes = [0, 1, 2].map(u16Plane);
    for (const p of planes) await w.writePlane(p);
    expect(fs.existsSync(file)).toBe(false); // still under the partial name
    await w.close();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.partial-'))).toEqual([]);

    const r = await TiffReader.open(file);
    expect(r.index.littleEndian).toBe(true);
    expect(r.index.bigTiff).toBe(false);
    expect(r.pageCount).toBe(3);
    const ij = parseImageJDescription(r.page(0).description);
    expect(ij).toMatchObject({ images: 3, frames: 3, channels: 1, finterval: 300 });
    for (let t = 0; t < 3; t++) {
      const p = await r.readPage(t);
      expect([p.width, p.height, p.dtype]).toEqual([W, H, 'uint16']);
      expect(p.samples[0]).toEqual(planes[t]);
    }
    await r.close();

    const ref = await geotiffPages(file);
    expect(ref.map((p) => Array.from(p.samples[0]))).toEqual(planes.map((p) => Array.from(p)));

    const movie = await openMovie(file);
    expect(movie.info.sourceKind).toBe('imagej');
    expect(movie.info.shape).toEqual({ t: 3, c: 1, z: 1, y: H, x: W });
    expect(movie.info.frameIntervalS).toBe(300);
    expect(movie.info.pixelSizeUm).toBeCloseTo(0.13, 6);
    expect((await movie.readPlane({ t: 2, c: 0 })).data).toEqual(planes[2]);
    await movie.close();
  });

  it('float32 T×C×Y×X with deflate: C fastest page order, identical through reader and geotiff.js', async () => {
    const file = path.join(tmp, 'movie_restored.tif');
    const w = await HyperstackWriter.create(file, {
      width: W,
      height: H,
      dtype: 'float32',
      channels: 2,
      compression: 'deflate',
    });
    const planes = [0, 1, 2, 3].map(f32Plane); // (t0,c0) (t0,c1) (t1,c0) (t1,c1)
    for (const p of planes) await w.writePlane(p);
    await w.close();

    const movie = await openMovie(file);
    expect(movie.info.shape).toEqual({ t: 2, c: 2, z: 1, y: H, x: W });
    expect(movie.info.dtype).toBe('float32');
    for (let t = 0; t < 2; t++) {
      for (let c = 0; c < 2; c++) expect((await movie.readPlane({ t, c })).data).toEqual(planes[t * 2 + c]);
    }
    await movie.close();
    const ref = await geotiffPages(file);
    expect(ref.map((p) => Array.from(p.samples[0]))).toEqual(planes.map((p) => Array.from(p)));
    const r = await TiffReader.open(file);
    expect(parseImageJDescription(r.page(0).description)).toMatchObject({
      channels: 2,
      frames: 2,
      images: 4,
      hyperstack: true,
      mode: 'composite',
    });
    expect(r.page(0).compression).toBe(8);
    await r.close();
  });

  it('BigTIFF on request reads back identically', async () => {
    const file = path.join(tmp, 'big.tif');
    const w = await HyperstackWriter.create(file, {
      width: W,
      height: H,
      dtype: 'uint16',
      bigTiff: true,
      compression: 'deflate',
    });
    await w.writePlane(u16Plane(5));
    await w.writePlane(u16Plane(6));
    await w.close();
    const r = await TiffReader.open(file);
    expect(r.index.bigTiff).toBe(true);
    expect((await r.readPage(1)).samples[0]).toEqual(u16Plane(6));
    await r.close();
    expect(Array.from((await geotiffPages(file))[0].samples[0])).toEqual(Array.from(u16Plane(5)));
  });

  it('abort() midway leaves no file at the final name and no partial file', async () => {
    const file = path.join(tmp, 'aborted_labels.tif');
    const w = await HyperstackWriter.create(file, { width: W, height: H, dtype: 'uint16', frames: 10 });
    await w.writePlane(u16Plane(0));
    await w.writePlane(u16Plane(1));
    expect(fs.existsSync(w.partialPath)).toBe(true);
    await w.abort();
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(w.partialPath)).toBe(false);
    await expect(w.writePlane(u16Plane(2))).rejects.toBeInstanceOf(TiffError);
  });

  it('close() with an incomplete last frame throws and keeps nothing; wrong planes are refused', async () => {
    const file = path.join(tmp, 'incomplete.tif');
    const w = await HyperstackWriter.create(file, { width: W, height: H, dtype: 'uint16', channels: 2 });
    await expect(w.writePlane(new Uint16Array(5))).rejects.toThrow(/wrong type or size/);
    await expect(w.writePlane(f32Plane(0))).rejects.toThrow(/Uint16Array/);
    await w.writePlane(u16Plane(0));
    await expect(w.close()).rejects.toThrow(/incomplete/);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(w.partialPath)).toBe(false);
  });

  it.skipIf(!HAS_TIFFFILE)(
    `tifffile sees an ImageJ hyperstack with the right shape${HAS_TIFFFILE ? '' : ' — SKIPPED: /usr/bin/python3 with tifffile not found'}`,
    async () => {
      const file = path.join(tmp, 'for_tifffile.tif');
      const w = await HyperstackWriter.create(file, {
        width: W,
        height: H,
        dtype: 'uint16',
        channels: 2,
        frameIntervalS: 60,
      });
      for (let k = 0; k < 6; k++) await w.writePlane(u16Plane(k));
      await w.close();
      const script = [
        'import sys, json, tifffile',
        't = tifffile.TiffFile(sys.argv[1])',
        'a = t.asarray()',
        'print(json.dumps({"imagej": t.is_imagej, "shape": list(a.shape), "axes": t.series[0].axes, "v": int(a[2, 1, 3, 4]), "fi": t.imagej_metadata.get("finterval")}))',
      ].join('\n');
      const out = JSON.parse(
        execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }),
      ) as Record<string, unknown>;
      expect(out).toEqual({
        imagej: true,
        shape: [3, 2, H, W],
        axes: 'TCYX',
        v: u16Plane(5)[3 * W + 4],
        fi: 60,
      });
    },
  );
});

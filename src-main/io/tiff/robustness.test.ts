import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING } from '../testing/fixtures';
import { firstDifference } from '../testing/arrays';
import { geotiffPages } from '../testing/geotiff-ref';
import { TiffError, type TiffErrorCode } from './errors';
import { TiffReader } from './reader';

const FIX = fixturesDir();
const PILLOW = FIX ? path.join(FIX, 'tiff/pillow') : '';
const IMAGES = FIX ? path.join(FIX, 'tiff/image-tiff/images') : '';

type Outcome = { ok: true; pages: number; warnings: readonly string[] } | { ok: false; error: unknown };

async function decodeFile(file: string): Promise<Outcome> {
  let r: TiffReader | null = null;
  try {
    r = await TiffReader.open(file);
    for (let i = 0; i < r.pageCount; i++) await r.readPage(i);
    return { ok: true, pages: r.pageCount, warnings: r.index.warnings };
  } catch (error) {
    return { ok: false, error };
  } finally {
    await r?.close();
  }
}

/** Broken or unsupported Pillow files and the error code each must be rejected with. */
const REJECTED: Record<string, TiffErrorCode> = {
  'oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif': 'truncated', // IFD runs past the 88-byte file
  'seek_too_large.tif': 'corrupt', // BigTIFF first-IFD offset of ~9e18
  'separate_planar_extra_samples.tiff': 'corrupt', // second plane's strip has byte count 0
  'tiff_overflow_rows_per_strip.tif': 'corrupt', // strip byte counts far below rows × width
  'total-pages-zero.tif': 'unsupported', // CCITT fax
  'hopper_jpg.tif': 'unsupported',
  'hopper_lzma.tif': 'unsupported',
  'hopper_webp.tif': 'unsupported',
  'child_ifd.tiff': 'unsupported', // JPEG
};

/** Valid files that must decode, with their page count. */
const DECODED: Record<string, number> = {
  '16bit.MM.cropped.tif': 1,
  '16bit.MM.deflate.tif': 1,
  'multipage.tiff': 3,
  'multipage_out_of_order.tiff': 3,
  'multipage_single_frame_loop.tiff': 1, // chain loops back to page 0: one page and a warning
  'multipage_multiple_frame_loop.tiff': 2, // two distinct IFDs, then back to the first
  'hopper_lzw.tif': 1,
  'hopper_bigtiff.tif': 1,
  '12bit.cropped.tif': 1,
  '16bit.r.tif': 1,
  'tiff_wrong_bits_per_sample.tiff': 1,
  'tiff_wrong_bits_per_sample_2.tiff': 1,
  'tiff_wrong_bits_per_sample_3.tiff': 1,
  'tiff_strip_planar_16bit_RGB.tiff': 1,
  'tiff_tiled_planar_16bit_RGB.tiff': 1,
};

describe.skipIf(!FIX)(
  `Pillow test files: decode or reject cleanly${FIX ? '' : ` — ${FIXTURES_MISSING}`}`,
  () => {
    const files = FIX ? fs.readdirSync(PILLOW).filter((f) => /\.tiff?$/.test(f)) : [];
    for (const f of files) {
      it(`${f}: decodes or throws TiffError, never hangs`, { timeout: 5000 }, async () => {
        const out = await decodeFile(path.join(PILLOW, f));
        if (!out.ok) {
          expect(out.error, String(out.error)).toBeInstanceOf(TiffError);
          const e = out.error as TiffError;
          expect(e.path).toBe(path.join(PILLOW, f));
          expect(e.message).toContain(f);
        }
        if (f in REJECTED) {
          expect(out.ok, `${f} should be rejected`).toBe(false);
          expect((out as { error: TiffError }).error.code).toBe(REJECTED[f]);
        }
        if (f in DECODED) {
          expect(out.ok, out.ok ? '' : String((out as { error: unknown }).error)).toBe(true);
          expect((out as { pages: number }).pages).toBe(DECODED[f]);
        }
        if (f.includes('loop'))
          expect((out as { warnings: readonly string[] }).warnings.join()).toMatch(/loops back/);
      });
    }

    it('16bit.r.tif (FillOrder 2) holds the same pixels as 16bit.cropped.tif', async () => {
      const a = await TiffReader.open(path.join(PILLOW, '16bit.r.tif'));
      const b = await TiffReader.open(path.join(PILLOW, '16bit.cropped.tif'));
      const pa = await a.readPage(0);
      const pb = await b.readPage(0);
      await a.close();
      await b.close();
      expect(firstDifference(pa.samples[0], pb.samples[0])).toBe(-1);
    });
  },
);

/**
 * Files whose every page must equal geotiff.js's decoding, sample by sample. (geotiff 3.0.5 fails
 * on the big-endian OME artificial files with a negative read length, so those are not here.)
 */
const CROSS_CHECK = [
  'pillow/16bit.MM.cropped.tif',
  'pillow/16bit.MM.deflate.tif',
  'pillow/16bit.deflate.tif',
  'pillow/hopper_lzw.tif',
  'pillow/multipage.tiff',
  'pillow/tiff_16bit_RGB.tiff',
  'pillow/tiff_16bit_RGBa.tiff',
  'pillow/tiff_strip_planar_16bit_RGB.tiff',
  'pillow/tiff_tiled_planar_16bit_RGB.tiff',
  'pillow/10ct_32bit_128.tiff',
  'pillow/8bit.s.tif',
  'image-tiff/images/int16_zstd.tif',
  'image-tiff/images/predictor-3-gray-f32.tif',
  'image-tiff/images/issue_69_lzw.tiff',
  'image-tiff/images/issue_69_packbits.tiff',
  'image-tiff/images/tiled-oversize-gray-i8.tif',
  'image-tiff/images/gradient-1c-64b-float.tiff',
  'image-tiff/images/seq/seq-1c-16b-tiled-68f373a0.tiff',
  'image-tiff/images/seq/seq-1c-16b-bigendian-68f373a0.tiff',
  'image-tiff/images/seq/seq-1c-8b-lzw-hpredict-20f3db0c.tiff',
  'image-tiff/images/seq/seq-1c-32f-deflate-fpredict-390fe673.tiff',
  'image-tiff/images/seq/seq-1c-64f-deflate-fpredict-afa8560e.tiff',
  'image-tiff/images/bigtiff/ScanImageBigTIFFv57.tif',
  'image-tiff/images/bigtiff/BigTIFFMotorola.tif',
  'image-tiff/images/int8.tif',
  'pillow/12bit.cropped.tif',
  'image-tiff/images/seq/seq-1c-12b-47c39b31.tiff',
  'image-tiff/images/seq/seq-1c-4b-fb92dcae.tiff',
  'image-tiff/images/seq/seq-3c-10b-planar-c82e8ab6.tiff',
  'image-tiff/images/random-fp16.tiff',
  'image-tiff/images/random-fp16-pred2.tiff',
];

describe.skipIf(!FIX)(`pixel identity with geotiff.js${FIX ? '' : ` — ${FIXTURES_MISSING}`}`, () => {
  for (const rel of CROSS_CHECK) {
    it(rel, async () => {
      const file = path.join(FIX ?? '', 'tiff', rel);
      const ref = await geotiffPages(file);
      const r = await TiffReader.open(file);
      try {
        expect(r.pageCount).toBe(ref.length);
        for (let i = 0; i < ref.length; i++) {
          const p = await r.readPage(i);
          expect([p.width, p.height]).toEqual([ref[i].width, ref[i].height]);
          expect(p.samples.length).toBe(ref[i].samples.length);
          for (let s = 0; s < p.samples.length; s++) {
            expect(firstDifference(p.samples[s], ref[i].samples[s]), `${rel} page ${i} sample ${s}`).toBe(-1);
          }
        }
      } finally {
        await r.close();
      }
    });
  }
});

describe.skipIf(!FIX)(`odd bit depths geotiff.js gets wrong${FIX ? '' : ` — ${FIXTURES_MISSING}`}`, () => {
  it('seq-3c-12b-contig: interleaved 12-bit RGB holds the running sequence 0, 1, 2, … (geotiff.js garbles samples 1 and 2)', async () => {
    const r = await TiffReader.open(path.join(IMAGES, 'seq/seq-3c-12b-contig-e6f40b4a.tiff'));
    const p = await r.readPage(0);
    await r.close();
    const expected = p.samples.map((_, s) => Array.from({ length: 256 }, (_, i) => (3 * i + s) % 4096));
    expect(p.samples.map((a) => Array.from(a))).toEqual(expected);
  });
});

describe.skipIf(!FIX)(`real microscope BigTIFF${FIX ? '' : ` — ${FIXTURES_MISSING}`}`, () => {
  it('ScanImageBigTIFFv57.tif reads 4 pages of 64×64 int16', async () => {
    const r = await TiffReader.open(path.join(IMAGES, 'bigtiff/ScanImageBigTIFFv57.tif'));
    expect(r.index.bigTiff).toBe(true);
    expect(r.pageCount).toBe(4);
    for (let i = 0; i < 4; i++) {
      const p = await r.readPage(i);
      expect([p.width, p.height, p.dtype, p.samples.length]).toEqual([64, 64, 'int16', 1]);
      expect(p.samples[0]).toBeInstanceOf(Int16Array);
    }
    await r.close();
  });
});

describe('hand-made broken files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-tiff-bad-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  /** A little-endian classic TIFF with one IFD of the given SHORT/LONG entries and `tail` data bytes. */
  function tiff(entries: [number, number, number][], next = 0, extra = 0): string {
    const n = entries.length;
    const buf = Buffer.alloc(8 + 2 + n * 12 + 4 + extra);
    buf.write('II', 0, 'latin1');
    buf.writeUInt16LE(42, 2);
    buf.writeUInt32LE(8, 4);
    buf.writeUInt16LE(n, 8);
    entries.forEach(([tag, type, value], i) => {
      const p = 10 + i * 12;
      buf.writeUInt16LE(tag, p);
      buf.writeUInt16LE(type, p + 2);
      buf.writeUInt32LE(1, p + 4);
      if (type === 3) buf.writeUInt16LE(value, p + 8);
      else buf.writeUInt32LE(value, p + 8);
    });
    buf.writeUInt32LE(next, 10 + n * 12);
    const file = path.join(tmp, `t${Math.random().toString(36).slice(2)}.tif`);
    fs.writeFileSync(file, buf);
    return file;
  }
  const dataAt = 8 + 2 + 7 * 12 + 4;
  const basic = (w: number, h: number, count: number): [number, number, number][] => [
    [256, 4, w],
    [257, 4, h],
    [258, 3, 16],
    [259, 3, 1],
    [273, 4, dataAt],
    [278, 4, h],
    [279, 4, count],
  ];

  it('rejects absurd dimensions before allocating anything', async () => {
    const err = await TiffReader.open(tiff(basic(1 << 30, 1 << 30, 2))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TiffError);
    expect((err as TiffError).code).toBe('limit');
    expect((err as TiffError).message).toMatch(/too large/);
  });

  it('rejects a strip that runs past the end of the file (truncated)', async () => {
    const err = await TiffReader.open(tiff(basic(4, 4, 32), 0, 10)).catch((e: unknown) => e);
    expect((err as TiffError).code).toBe('truncated');
  });

  it('decodes the same file when complete, and honours the configurable page-size cap', async () => {
    const file = tiff(basic(4, 4, 32), 0, 32);
    const r = await TiffReader.open(file);
    expect((await r.readPage(0)).samples[0]).toEqual(new Uint16Array(16));
    await r.close();
    const err = await TiffReader.open(file, { limits: { maxPageBytes: 16 } }).catch((e: unknown) => e);
    expect((err as TiffError).code).toBe('limit');
  });

  it('rejects a file that is not a TIFF and a missing file', async () => {
    const f = path.join(tmp, 'not.tif');
    fs.writeFileSync(f, 'hello world, not a tiff');
    expect(((await TiffReader.open(f).catch((e: unknown) => e)) as TiffError).code).toBe('not-tiff');
    expect(
      ((await TiffReader.open(path.join(tmp, 'missing.tif')).catch((e: unknown) => e)) as TiffError).code,
    ).toBe('io');
  });

  it('stops at a self-loop in the IFD chain with a warning', async () => {
    const r = await TiffReader.open(tiff(basic(4, 4, 32), 8, 32));
    expect(r.pageCount).toBe(1);
    expect(r.index.warnings[0]).toMatch(/loops back/);
    await r.close();
  });

  it('rejects a read after close and an out-of-range page', async () => {
    const r = await TiffReader.open(tiff(basic(4, 4, 32), 0, 32));
    expect(() => r.page(1)).toThrow(TiffError);
    await r.close();
    await expect(r.readPage(0)).rejects.toThrow(/after close/);
  });

  it('an aborted signal rejects with AbortError', async () => {
    const r = await TiffReader.open(tiff(basic(4, 4, 32), 0, 32));
    const ac = new AbortController();
    ac.abort();
    await expect(r.readPage(0, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await r.close();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING } from '../testing/fixtures';
import { TiffError } from './errors';
import { TiffReader } from './reader';

/**
 * image-tiff's `seq` set: files whose names end in the same hash hold the same pixels written
 * with different byte orders, containers, layouts, codecs, predictors and photometrics. Every
 * supported variant must decode to identical samples; unsupported ones must be rejected with a
 * TiffError of code 'unsupported' (listed here with the reason).
 */
const UNSUPPORTED: Record<string, string> = {
  'seq-1c-1b-fax3-71f6a21a.tiff':
    'CCITT Group 3 fax compression is not implemented (bilevel fax data is not microscopy)',
  'seq-1c-1b-fax3-fillbits-71f6a21a.tiff': 'CCITT Group 3 fax compression is not implemented',
  'seq-1c-1b-fax3-lsb-71f6a21a.tiff': 'CCITT Group 3 fax compression is not implemented',
};

const FIX = fixturesDir();
const SEQ = FIX ? path.join(FIX, 'tiff/image-tiff/images/seq') : '';

async function decodeAll(
  file: string,
): Promise<{ dtype: string; w: number; h: number; samples: number[][] }[]> {
  const r = await TiffReader.open(file);
  try {
    const out = [];
    for (let i = 0; i < r.pageCount; i++) {
      const p = await r.readPage(i);
      out.push({ dtype: p.dtype, w: p.width, h: p.height, samples: p.samples.map((s) => Array.from(s)) });
    }
    return out;
  } finally {
    await r.close();
  }
}

describe.skipIf(!FIX)(`image-tiff seq hash groups${FIX ? '' : ` — ${FIXTURES_MISSING}`}`, () => {
  const files = FIX ? fs.readdirSync(SEQ).filter((f) => f.endsWith('.tiff')) : [];
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const hash = /-([0-9a-f]{8})\.tiff$/.exec(f)?.[1] ?? f;
    groups.set(hash, [...(groups.get(hash) ?? []), f]);
  }

  for (const [hash, members] of groups) {
    it(`group ${hash}: ${members.join(', ')}`, async () => {
      let reference: Awaited<ReturnType<typeof decodeAll>> | null = null;
      let refName = '';
      for (const f of members.sort()) {
        const full = path.join(SEQ, f);
        if (UNSUPPORTED[f]) {
          const err = await decodeAll(full).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, `${f} is listed as unsupported but decoded`).toBeInstanceOf(TiffError);
          expect((err as TiffError).code).toBe('unsupported');
          continue;
        }
        const pages = await decodeAll(full);
        expect(pages.length).toBeGreaterThan(0);
        expect(pages[0].w).toBe(16);
        expect(pages[0].h).toBe(16);
        // The picture is a sequence, so decoded pixels must not be all equal (catches "all zeros").
        const flat = pages[0].samples.flat();
        expect(new Set(flat).size, `${f} decodes to a constant image`).toBeGreaterThan(1);
        if (!reference) {
          reference = pages;
          refName = f;
        } else {
          expect(pages, `${f} differs from ${refName}`).toEqual(reference);
        }
      }
    });
  }

  it('covers the variants the task names (byte order, BigTIFF, tiles, codecs, predictors, miniswhite)', () => {
    for (const needle of [
      'bigendian',
      'bigtiff',
      'tiled',
      'packbits',
      'lzw',
      'deflate',
      'hpredict',
      'fpredict',
      'miniswhite',
      'planar',
    ]) {
      expect(files.some((f) => f.includes(needle))).toBe(true);
    }
  });
});

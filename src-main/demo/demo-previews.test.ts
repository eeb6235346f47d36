import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_SIZE } from '../../src-shared/charts';
import { CLASS_COLOURS } from '../../src-shared/viewer';
import { decodePng } from '../../test-support/png-decode';
import { openMovie } from '../io';
import { toFloat32 } from '../pipeline';
import { grayImage } from './figures/render';

/**
 * The PNGs `hitmic demo` writes, decoded: sizes, the frame's pixels 1:1 inside the image figures,
 * class colours in the segmentation and the plots, the PI red in the kill curve.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-demo-previews-'));
let previews: Record<string, string> = {};
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'hitmic.js'), 'demo', '--json', '--output', path.join(tmp, 'out')],
    { cwd: tmp, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TMPDIR: tmp } },
  );
  expect(r.status, r.stderr).toBe(0);
  previews = (JSON.parse(r.stdout) as { previews: Record<string, string> }).previews;
}, 300_000);

type Png = ReturnType<typeof decodePng>;
const rgbAt = (img: Png, x: number, y: number) =>
  Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
const read = (name: string) => decodePng(fs.readFileSync(previews[name]));

/** Pixels of exactly this colour in the image. */
function countColour(img: Png, [r, g, b]: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < img.rgba.length; i += 4)
    if (img.rgba[i] === r && img.rgba[i + 1] === g && img.rgba[i + 2] === b) n++;
  return n;
}

describe('hitmic demo preview figures', () => {
  it('writes the three frame figures and the three Results plots', () => {
    expect(Object.keys(previews).sort()).toEqual([
      'area_histogram',
      'kill_curve',
      'objects_per_class',
      'raw_brightfield',
      'restored_brightfield',
      'segmentation',
    ]);
  });

  it('draws the plots at twice the export size on white, in the class palette', () => {
    for (const name of ['kill_curve', 'objects_per_class', 'area_histogram']) {
      const img = read(name);
      expect([img.width, img.height], name).toEqual([EXPORT_SIZE.width * 2, EXPORT_SIZE.height * 2]);
      expect(rgbAt(img, 2, 2), name).toEqual([255, 255, 255]);
    }
    expect(countColour(read('kill_curve'), [0xd3, 0x2f, 0x2f])).toBeGreaterThan(500);
    // The demo has all five classes; each has its colour in both per-class plots.
    for (const name of ['objects_per_class', 'area_histogram']) {
      const img = read(name);
      for (const [cls, colour] of Object.entries(CLASS_COLOURS))
        expect(countColour(img, colour), `${cls} in ${name}`).toBeGreaterThan(20);
    }
  });

  it('embeds frame 10 pixel for pixel in the raw bright-field figure', async () => {
    const img = read('raw_brightfield');
    const movie = await openMovie(path.join(ROOT, 'resources', 'demo', 'demo_movie.tif'));
    try {
      const { x: W, y: H } = movie.info.shape;
      const frame = grayImage(toFloat32((await movie.readPlane({ t: 10, c: 0 })).data), W, H);
      // The image sits centred, 12 px above the bottom edge (image-figure.ts).
      const x0 = Math.floor((img.width - W) / 2);
      const y0 = img.height - 12 - H;
      expect(img.width).toBeGreaterThanOrEqual(W + 24);
      let differ = 0;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const i = (y * W + x) * 4;
          const [r, g, b] = rgbAt(img, x0 + x, y0 + y);
          if (r !== frame.data[i] || g !== frame.data[i + 1] || b !== frame.data[i + 2]) differ++;
        }
      expect(differ).toBe(0);
      // Above the image: the title on white.
      expect(rgbAt(img, 2, 2)).toEqual([255, 255, 255]);
    } finally {
      await movie.close();
    }
  });

  it('outlines objects in their class colours in the segmentation figure', () => {
    const img = read('segmentation');
    expect(img.height).toBeGreaterThan(512 + 40);
    for (const cls of ['single-cell', 'noise', 'joint-cell'])
      expect(countColour(img, CLASS_COLOURS[cls]), cls).toBeGreaterThan(100);
  });
});

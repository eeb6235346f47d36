import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawText } from './font';
import { linePlot } from './plot';
import { createImage, encodePng } from './png';
import { CLASS_COLOURS, UNCLASSIFIED_COLOUR } from '../../../src-shared/viewer';
import { drawOutlines, grayImage, percentileLimits } from './render';

/** Decodes our own PNGs back (filter 0 only) so tests check pixels, not just bytes. */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return { width, height, rgba };
}

describe('preview images', () => {
  it('encodes PNGs that decode to the same pixels', () => {
    const img = createImage(3, 2, [10, 20, 30, 255]);
    img.data.set([255, 0, 0, 255], 4);
    const back = decodePng(encodePng(img));
    expect([back.width, back.height]).toEqual([3, 2]);
    expect(Array.from(back.rgba)).toEqual(Array.from(img.data));
  });

  it('maps the 1st–99.8th percentile to black–white', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => i);
    const [lo, hi] = percentileLimits(data);
    expect(lo).toBe(10);
    expect(hi).toBe(997);
    const img = grayImage(data, 1000, 1);
    expect(img.data[0]).toBe(0);
    expect(img.data[999 * 4]).toBe(255);
  });

  it('outlines objects in their class colour and leaves their inside alone', () => {
    const w = 5;
    const labels = new Uint16Array(25);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) labels[y * w + x] = 7;
    const img = grayImage(new Float32Array(25), 5, 5, [0, 1]);
    labels[0] = 8; // an object without a class
    drawOutlines(img, labels, (l) => (l === 7 ? 'clump' : undefined));
    const rgbAt = (x: number, y: number) =>
      Array.from(img.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 3));
    expect(rgbAt(1, 1)).toEqual(CLASS_COLOURS.clump);
    expect(rgbAt(2, 2)).toEqual([0, 0, 0]);
    expect(rgbAt(0, 0)).toEqual(UNCLASSIFIED_COLOUR);
  });

  it('draws text and plots', () => {
    const img = createImage(40, 20, [255, 255, 255, 255]);
    expect(drawText(img, '10%', 0, 0.6, [0, 0, 0], 1)).toBe(18);
    // Fractional positions are rounded: the top-left pixel of '1' (row 0 of its glyph is 00100) is set.
    expect(img.data[(1 * 40 + 2) * 4]).toBe(0);
    expect(img.data.some((v, i) => i % 4 === 0 && v === 0)).toBe(true);
    const plot = linePlot({
      title: 'KILL CURVE',
      xLabel: 'TIME (H)',
      yLabel: 'PI+',
      yMax: 1,
      series: [{ label: 'PI+', colour: [200, 0, 0], x: [0, 1, 2], y: [0, 0.5, 1] }],
    });
    const red = plot.data.filter((_, i) => i % 4 === 0).length;
    expect(red).toBe(720 * 420);
    expect(
      Array.from(plot.data).some((_, i) => i % 4 === 0 && plot.data[i] === 200 && plot.data[i + 1] === 0),
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  EXPORT_SIZE,
  LIGHT_CHART_THEME,
  renderChart,
  toSvgMarkup,
  walkSvg,
  type ChartSpec,
} from '../../../src-shared/charts';
import { CLASS_COLOURS, UNCLASSIFIED_COLOUR } from '../../../src-shared/viewer';
import { decodePng } from '../../../test-support/png-decode';
import { createImage, encodePng } from './png';
import { drawOutlines, grayImage, percentileLimits } from './render';
import { svgToPng } from './svg-png';

const KILL: ChartSpec = {
  kind: 'line',
  title: 'Kill curve',
  x: { title: 'time', unit: 'h', values: [0, 1, 2] },
  y: { title: 'PI-positive', unit: '%', min: 0, max: 100 },
  series: [{ name: 'PI-positive', colour: '#d32f2f', values: [0, 50, 100] }],
};

const rgbAt = (img: { width: number; rgba: Uint8Array }, x: number, y: number) =>
  Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

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
    const at = (x: number, y: number) => Array.from(img.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 3));
    expect(at(1, 1)).toEqual(CLASS_COLOURS.clump);
    expect(at(2, 2)).toEqual([0, 0, 0]);
    expect(at(0, 0)).toEqual(UNCLASSIFIED_COLOUR);
  });
});

describe('charts through resvg', () => {
  it('renders a chart at twice its size with text in the bundled font', async () => {
    const markup = toSvgMarkup(renderChart(KILL, EXPORT_SIZE, LIGHT_CHART_THEME));
    const { png, width, height } = await svgToPng(markup, 2);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([EXPORT_SIZE.width * 2, EXPORT_SIZE.height * 2]);
    expect([width, height]).toEqual([img.width, img.height]);
    // White background in the corner and the series red somewhere.
    expect(rgbAt(img, 1, 1)).toEqual([255, 255, 255, 255]);
    let red = 0;
    for (let i = 0; i < img.rgba.length; i += 4)
      if (img.rgba[i] === 0xd3 && img.rgba[i + 1] === 0x2f && img.rgba[i + 2] === 0x2f) red++;
    expect(red).toBeGreaterThan(200);
    // The title is drawn in the bundled font: dark pixels in its box (top left, 2×), none once the
    // text is taken out (resvg without a usable font draws no text at all).
    const darkInTitleBox = (png: { width: number; rgba: Uint8Array }) => {
      let n = 0;
      for (let y = 0; y < 60; y++) for (let x = 0; x < 300; x++) if (rgbAt(png, x, y)[0] < 100) n++;
      return n;
    };
    expect(darkInTitleBox(img)).toBeGreaterThan(300);
    const noText = markup.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    expect(darkInTitleBox(decodePng((await svgToPng(noText, 2)).png))).toBe(0);
  });

  it('draws an image figure with the frame pixels unchanged', async () => {
    const frame = createImage(40, 30, [0, 0, 0, 255]);
    for (let i = 0; i < 40 * 30; i++) frame.data.set([i % 256, (i * 7) % 256, (i * 13) % 256, 255], i * 4);
    const spec: ChartSpec = {
      kind: 'image',
      title: 'Segmentation, frame 10',
      image: { href: `data:image/png;base64,${encodePng(frame).toString('base64')}`, width: 40, height: 30 },
      legend: [{ name: 'clump (3)', colour: '#e69f00' }],
    };
    const root = renderChart(spec, EXPORT_SIZE, LIGHT_CHART_THEME);
    const img = decodePng((await svgToPng(toSvgMarkup(root), 1)).png);
    expect([img.width, img.height]).toEqual([Number(root.attrs.width), Number(root.attrs.height)]);
    const image = [...walkSvg(root)].find((e) => e.tag === 'image')!;
    const [x0, y0] = [Number(image.attrs.x), Number(image.attrs.y)];
    for (const [x, y] of [
      [0, 0],
      [39, 0],
      [17, 13],
      [39, 29],
    ])
      expect(rgbAt(img, x0 + x, y0 + y)).toEqual(
        Array.from(frame.data.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 4)),
      );
  });

  it('refuses malformed SVG with the parser error', async () => {
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).rejects.toThrow();
  });
});

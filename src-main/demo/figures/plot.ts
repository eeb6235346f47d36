import { drawText } from './font';
import { createImage, type RgbaImage } from './png';

const INK: [number, number, number] = [30, 30, 30];
const GRID: [number, number, number] = [225, 225, 225];

function setPx(img: RgbaImage, x: number, y: number, c: [number, number, number]): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (Math.round(y) * img.width + Math.round(x)) * 4;
  img.data[i] = c[0];
  img.data[i + 1] = c[1];
  img.data[i + 2] = c[2];
}

/** Bresenham line, `thick` pixels wide. */
function line(
  img: RgbaImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  c: [number, number, number],
  thick = 1,
): void {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  for (let s = 0; s <= steps; s++) {
    const x = x0 + ((x1 - x0) * s) / steps;
    const y = y0 + ((y1 - y0) * s) / steps;
    for (let d = -(thick >> 1); d <= thick >> 1; d++) {
      setPx(img, x + d, y, c);
      setPx(img, x, y + d, c);
    }
  }
}

export interface Series {
  label: string;
  colour: [number, number, number];
  x: number[];
  y: number[];
}

/**
 * A line plot as a PNG-ready image: axes, grid, ticks labelled with the bitmap font, one or more
 * series, a title. Used for the kill curve (PI-positive fraction over time).
 */
export function linePlot(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  yMax?: number;
  width?: number;
  height?: number;
}): RgbaImage {
  const W = options.width ?? 720;
  const H = options.height ?? 420;
  const img = createImage(W, H, [255, 255, 255, 255]);
  const left = 80;
  const right = W - 24;
  const top = 48;
  const bottom = H - 64;
  const xs = options.series.flatMap((s) => s.x);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(xMin + 1e-9, ...xs);
  const yMax = options.yMax ?? Math.max(1e-9, ...options.series.flatMap((s) => s.y));
  const px = (x: number) => left + ((x - xMin) / (xMax - xMin)) * (right - left);
  const py = (y: number) => bottom - (y / yMax) * (bottom - top);
  for (let k = 0; k <= 5; k++) {
    const yv = (yMax * k) / 5;
    line(img, left, py(yv), right, py(yv), GRID);
    drawText(img, yMax <= 1 ? `${Math.round(yv * 100)}%` : yv.toFixed(yv < 10 ? 1 : 0), 8, py(yv) - 7, INK);
    const xv = xMin + ((xMax - xMin) * k) / 5;
    line(img, px(xv), bottom, px(xv), bottom + 5, INK);
    drawText(img, xv.toFixed(xMax - xMin < 10 ? 1 : 0), px(xv) - 12, bottom + 10, INK);
  }
  line(img, left, top, left, bottom, INK, 2);
  line(img, left, bottom, right, bottom, INK, 2);
  drawText(img, options.title, left, 14, INK, 2);
  drawText(img, options.xLabel, (left + right) / 2 - options.xLabel.length * 6, H - 28, INK, 2);
  drawText(img, options.yLabel, left + 8, top - 2 + 8, [110, 110, 110], 1);
  let legendX = right - 200;
  for (const s of options.series) {
    for (let i = 1; i < s.x.length; i++)
      line(img, px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), s.colour, 3);
    for (let i = 0; i < s.x.length; i++)
      for (let d = -2; d <= 2; d++)
        line(img, px(s.x[i]) - 2, py(s.y[i]) + d, px(s.x[i]) + 2, py(s.y[i]) + d, s.colour);
    line(img, legendX, top + 6, legendX + 20, top + 6, s.colour, 3);
    legendX += 28 + drawText(img, s.label, legendX + 26, top, INK, 1);
  }
  return img;
}

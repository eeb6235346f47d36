import { chartRoot, drawHeader, FONT } from './frame';
import { svg, textWidth, type SvgElement } from './svg';
import type { ChartTheme } from './theme';

export interface ImageFigureSpec {
  kind: 'image';
  title: string;
  note?: string;
  /** A raster (a `data:image/png;base64,…` URI) drawn 1:1, one image pixel per figure pixel. */
  image: { href: string; width: number; height: number };
  /** What the colours in the image mean (outline colours per class). */
  legend: readonly { name: string; colour: string }[];
}

const PAD = 12;

/**
 * A titled image with its legend above it: the demo's frame previews. The figure is as wide as
 * the image (or the title, if wider) and as tall as header plus image; pixels are not resampled,
 * so the frame's pixels appear in the PNG exactly.
 */
export function imageFigure(spec: ImageFigureSpec, theme: ChartTheme): SvgElement {
  const titleW = textWidth(spec.title, FONT.title) + 2 * PAD;
  const width = Math.ceil(Math.max(spec.image.width + 2 * PAD, titleW, 240));
  const header = drawHeader(
    {
      title: spec.title,
      note: spec.note,
      legend: spec.legend.map((l) => ({ ...l, swatch: 'box' as const })),
      width,
    },
    theme,
  );
  const top = Math.ceil(header.bottom + 8);
  const left = Math.floor((width - spec.image.width) / 2);
  const size = { width, height: top + spec.image.height + PAD };
  return chartRoot(
    size,
    spec.title,
    theme,
    header.group,
    svg('image', {
      class: 'figure-image',
      x: left,
      y: top,
      width: spec.image.width,
      height: spec.image.height,
      href: spec.image.href,
      'image-rendering': 'optimizeSpeed',
      preserveAspectRatio: 'none',
    }),
  );
}

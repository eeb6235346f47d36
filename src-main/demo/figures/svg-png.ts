import { renderAsync } from '@resvg/resvg-js';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../version';

/** The font charts are drawn with (DejaVu Sans, licence beside it in resources/fonts/). */
export const CHART_FONT_NAME = 'DejaVu Sans';

/**
 * Where the bundled chart font is: the repository's resources/fonts, or the packaged app's
 * resources (electron-builder copies resources/fonts there, see electron-builder.yml).
 */
export function chartFontFile(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    path.join(appRoot(), 'resources', 'fonts', 'DejaVuSans.ttf'),
    ...(resourcesPath ? [path.join(resourcesPath, 'fonts', 'DejaVuSans.ttf')] : []),
  ];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found)
    throw new Error(
      `the chart font DejaVuSans.ttf is missing (looked in ${candidates.join(', ')}); reinstall HiTMic Studio or restore resources/fonts/ from the repository`,
    );
  return found;
}

export interface RenderedPng {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Renders SVG markup to PNG with resvg (a maintained SVG renderer, native through napi-rs), at
 * `scale` × the SVG's own size, text in the bundled font only: system fonts differ between
 * machines, and a figure must not. It renders on libuv's thread pool, off the event loop (the
 * backend may run the demo). Malformed SVG rejects with resvg's parse error.
 */
export async function svgToPng(markup: string, scale = 1): Promise<RenderedPng> {
  const image = await renderAsync(markup, {
    font: { loadSystemFonts: false, fontFiles: [chartFontFile()], defaultFontFamily: CHART_FONT_NAME },
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    shapeRendering: 2, // geometricPrecision: anti-aliased lines and text
  });
  return { png: image.asPng(), width: image.width, height: image.height };
}

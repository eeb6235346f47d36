/**
 * Layers in one world: every layer the Viewer draws (raw frame, restored frame, labels) has its own
 * pixel grid and a `translate` that places it in the movie's pixels, as napari layers share world
 * coordinates. A layer's pixel (i, j) covers movie [translate.x + i, translate.x + i + 1) ×
 * [translate.y + j, …). The raw frame is at (0, 0); an aligned run's labels at its frame's
 * analysis origin (src-shared/results/registration.ts), fractional when the drift shift is.
 *
 * Sub-pixel translates are drawn as they are (the canvas places the layer at the fractional
 * screen position, nearest-neighbour), not rounded, so an outline sits exactly where the analysis
 * saw it; reading a layer at a movie pixel samples it at that pixel's centre, which is the layer
 * pixel the canvas paints there at 1:1.
 */
import type { ViewTransform } from './transform';

/** A layer's top-left in movie pixels (napari's `translate`, x = column, y = row). */
export interface Translate {
  x: number;
  y: number;
}

/** The translate of a layer in the movie's own grid. */
export const IN_PLACE: Translate = Object.freeze({ x: 0, y: 0 });

/** The screen rectangle (CSS pixels) a width × height layer at `translate` is drawn into. */
export function layerScreenRect(
  view: ViewTransform,
  translate: Translate,
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } {
  return {
    x: view.offsetX + translate.x * view.scale,
    y: view.offsetY + translate.y * view.scale,
    width: width * view.scale,
    height: height * view.scale,
  };
}

/**
 * The pixel of a width × height layer at `translate` that covers the centre of movie pixel
 * `movie`, or undefined when the layer does not cover it.
 */
export function layerPixelAt(
  translate: Translate,
  width: number,
  height: number,
  movie: { x: number; y: number },
): { x: number; y: number } | undefined {
  const x = Math.floor(movie.x + 0.5 - translate.x);
  const y = Math.floor(movie.y + 0.5 - translate.y);
  return x >= 0 && y >= 0 && x < width && y < height ? { x, y } : undefined;
}

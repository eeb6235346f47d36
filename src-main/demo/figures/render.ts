import { classColour, outlineMask } from '../../../src-shared/viewer';
import { createImage, type RgbaImage } from './png';

/** Low/high display limits at the given percentiles (exact, by sorting a copy of finite values). */
export function percentileLimits(data: Float32Array, lowPct = 1, highPct = 99.8): [number, number] {
  const finite = data.filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return [0, 1];
  const at = (p: number) =>
    finite[Math.min(finite.length - 1, Math.max(0, Math.round((p / 100) * (finite.length - 1))))];
  const lo = at(lowPct);
  const hi = at(highPct);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** A grayscale rendering of a float frame with auto-contrast (percentile limits). */
export function grayImage(
  data: Float32Array,
  width: number,
  height: number,
  limits = percentileLimits(data),
): RgbaImage {
  const img = createImage(width, height);
  const [lo, hi] = limits;
  const scale = 255 / (hi - lo);
  for (let i = 0; i < width * height; i++) {
    const v = (data[i] - lo) * scale;
    const g = v < 0 ? 0 : v > 255 ? 255 : v;
    img.data[i * 4] = g;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = g;
  }
  return img;
}

/**
 * Draws the outline of every labelled object (the Viewer's rule: a pixel with a 4-neighbour of
 * another label, `outlineMask`) in its class colour (the app's palette, so the PNGs match the
 * Viewer), onto `img` in place. `classOf` maps a label to its class name.
 */
export function drawOutlines(
  img: RgbaImage,
  labels: Uint16Array | Uint32Array,
  classOf: (label: number) => string | undefined,
): void {
  const edge = outlineMask(labels, img.width, img.height);
  for (let i = 0; i < edge.length; i++) {
    if (!edge[i]) continue;
    const c = classColour(classOf(labels[i]));
    img.data[i * 4] = c[0];
    img.data[i * 4 + 1] = c[1];
    img.data[i * 4 + 2] = c[2];
  }
}

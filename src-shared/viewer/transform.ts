/**
 * Zoom and pan of the Viewer canvas: screen = image × scale + offset (CSS pixels, origin top-left).
 * Image coordinates are continuous; pixel (x, y) covers [x, x+1) × [y, y+1).
 */

export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

export function imageToScreen(t: ViewTransform, x: number, y: number): { x: number; y: number } {
  return { x: x * t.scale + t.offsetX, y: y * t.scale + t.offsetY };
}

export function screenToImage(t: ViewTransform, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - t.offsetX) / t.scale, y: (sy - t.offsetY) / t.scale };
}

/** The pixel under a screen point, or `undefined` outside the image. */
export function pixelAt(
  t: ViewTransform,
  sx: number,
  sy: number,
  width: number,
  height: number,
): { x: number; y: number } | undefined {
  const p = screenToImage(t, sx, sy);
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  return x >= 0 && y >= 0 && x < width && y < height ? { x, y } : undefined;
}

/** The whole image, centred and as large as fits in the viewport. */
export function fitTransform(viewW: number, viewH: number, imgW: number, imgH: number): ViewTransform {
  if (imgW <= 0 || imgH <= 0 || viewW <= 0 || viewH <= 0) return { scale: 1, offsetX: 0, offsetY: 0 };
  const scale = clampScale(Math.min(viewW / imgW, viewH / imgH));
  return { scale, offsetX: (viewW - imgW * scale) / 2, offsetY: (viewH - imgH * scale) / 2 };
}

/** One image pixel per screen pixel, keeping the image point at the viewport centre where it is. */
export function oneToOne(t: ViewTransform, viewW: number, viewH: number): ViewTransform {
  return zoomAt(t, viewW / 2, viewH / 2, 1 / t.scale);
}

/** Zooms by `factor` keeping the image point under (sx, sy) fixed on screen. */
export function zoomAt(t: ViewTransform, sx: number, sy: number, factor: number): ViewTransform {
  const scale = clampScale(t.scale * factor);
  const p = screenToImage(t, sx, sy);
  return { scale, offsetX: sx - p.x * scale, offsetY: sy - p.y * scale };
}

export function panBy(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...t, offsetX: t.offsetX + dx, offsetY: t.offsetY + dy };
}

/** Zoom factor of one wheel event (deltaY in pixels): 10 % per 100 px notch, smooth for trackpads. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.001 * Math.log(1.1) * 10);
}

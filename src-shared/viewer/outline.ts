/**
 * Segmentation overlays: outlines of labelled objects (a pixel is on the outline when a
 * 4-neighbour has another label or lies outside the image) and their RGBA rendering.
 */
import type { Rgb } from './colormap';

/** 1 where a labelled pixel touches another label (or the image edge) in 4-connectivity, else 0. */
export function outlineMask(labels: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (labels.length !== width * height)
    throw new RangeError(`labels have ${labels.length} pixels, expected ${width}×${height}`);
  const out = new Uint8Array(labels.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const l = labels[i];
      if (l === 0) continue;
      if (
        x === 0 ||
        x === width - 1 ||
        y === 0 ||
        y === height - 1 ||
        labels[i - 1] !== l ||
        labels[i + 1] !== l ||
        labels[i - width] !== l ||
        labels[i + width] !== l
      )
        out[i] = 1;
    }
  }
  return out;
}

export type OverlayStyle = 'outline' | 'filled';

/**
 * RGBA overlay of labels: each object in `colorOf(label)`, outlines opaque; filled objects get
 * their outline opaque and their inside at `fillAlpha` (0–255). Background stays transparent.
 */
export function labelOverlayRgba(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  colorOf: (label: number) => Rgb,
  style: OverlayStyle,
  fillAlpha = 110,
): Uint8ClampedArray {
  const edge = outlineMask(labels, width, height);
  const rgba = new Uint8ClampedArray(labels.length * 4);
  const cache = new Map<number, Rgb>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 0) continue;
    const alpha = edge[i] ? 255 : style === 'filled' ? fillAlpha : 0;
    if (alpha === 0) continue;
    let c = cache.get(l);
    if (!c) cache.set(l, (c = colorOf(l)));
    const j = i * 4;
    rgba[j] = c[0];
    rgba[j + 1] = c[1];
    rgba[j + 2] = c[2];
    rgba[j + 3] = alpha;
  }
  return rgba;
}

/** Number of pixels of each label id (index = label), for object lists and readouts. */
export function labelAreas(labels: ArrayLike<number>): Map<number, number> {
  const areas = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l !== 0) areas.set(l, (areas.get(l) ?? 0) + 1);
  }
  return areas;
}

/**
 * The boundary of one object as line segments along pixel edges, in layer pixels (pixel (x, y)
 * covers [x, x+1) × [y, y+1)): `[x1, y1, x2, y2, …]`, one segment per side of an object pixel that
 * touches another label or the image edge. Drawn as a vector path it stays crisp at any zoom.
 */
export function outlineSegments(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  label: number,
): Float32Array {
  if (labels.length !== width * height)
    throw new RangeError(`labels have ${labels.length} pixels, expected ${width}×${height}`);
  if (label === 0) return new Float32Array(0);
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (labels[row + x] !== label) continue;
      if (y === 0 || labels[row + x - width] !== label) out.push(x, y, x + 1, y);
      if (y === height - 1 || labels[row + x + width] !== label) out.push(x, y + 1, x + 1, y + 1);
      if (x === 0 || labels[row + x - 1] !== label) out.push(x, y, x, y + 1);
      if (x === width - 1 || labels[row + x + 1] !== label) out.push(x + 1, y, x + 1, y + 1);
    }
  }
  return Float32Array.from(out);
}

/**
 * Colours of the Viewer: grey/red channel composites and a stable per-label palette. Class
 * colours live in class-palette.ts, shared with QC, Results and the demo previews.
 */

export type Rgb = [number, number, number];

/** A stable, well-spread colour per label id (golden-ratio hues). */
export function labelColor(label: number): Rgb {
  return hslToRgb((((label * 0.618033988749895) % 1) + 1) % 1, 0.85, 0.55);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * RGBA pixels of one or two display channels: `grey` as grey, `red` (optional) added in red
 * (bright field + propidium iodide). Both are contrast-mapped bytes of the same length.
 */
export function compositeRgba(
  grey: Uint8ClampedArray | undefined,
  red: Uint8ClampedArray | undefined,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const n = (grey ?? red)?.length ?? 0;
  if (grey && red && grey.length !== red.length)
    throw new RangeError(`channels differ in size: ${grey.length} and ${red.length} pixels`);
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    // One 32-bit store per pixel (bytes R, G, B, A in memory order).
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const g = grey ? grey[i] : 0;
      const r = red ? Math.min(255, g + red[i]) : g;
      px[i] = (0xff000000 | (g << 16) | (g << 8) | r) >>> 0;
    }
    return rgba;
  }
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const g = grey ? grey[i] : 0;
    const r = red ? red[i] : 0;
    rgba[j] = g + r; // clamped
    rgba[j + 1] = g;
    rgba[j + 2] = g;
    rgba[j + 3] = 255;
  }
  return rgba;
}

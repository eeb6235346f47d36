/**
 * Physical units of the Viewer, from the movie's own metadata (pixel size in µm, frame times in s):
 * lengths and areas for the hover readout, a scale bar of a round length, and time stamps as
 * hh:mm:ss. Nothing here guesses a calibration: without one, callers show pixels and frames.
 */

/** Seconds as `hh:mm:ss` (hours not wrapped at 24; `-` before a negative time; ms dropped). */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--:--';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.floor(Math.abs(seconds) + 1e-6);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${sign}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/**
 * Time of `frame` since the first frame, seconds: the file's per-frame times where it has them,
 * else frame × interval; undefined when the file says nothing about time.
 */
export function frameTime(
  movie: { frameTimestampsS?: readonly number[]; frameIntervalS?: number },
  frame: number,
): number | undefined {
  const ts = movie.frameTimestampsS;
  if (ts && frame >= 0 && frame < ts.length && Number.isFinite(ts[frame])) return ts[frame];
  return movie.frameIntervalS !== undefined && movie.frameIntervalS > 0
    ? frame * movie.frameIntervalS
    : undefined;
}

/** A value with up to `digits` significant digits and no trailing zeros (1.5, 12.3, 0.0651). */
export function trimNumber(v: number, digits = 3): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** A length in µm as people write it: nm below 1 µm, mm from 1000 µm. */
export function formatLength(um: number): string {
  if (um >= 1000) return `${trimNumber(um / 1000)} mm`;
  if (um < 1) return `${trimNumber(um * 1000)} nm`;
  return `${trimNumber(um)} µm`;
}

/** An object's area: pixels, and µm² when the pixel size is known. */
export function formatArea(pixels: number, pixelSizeUm: number | undefined): string {
  const px = `${pixels} px`;
  return pixelSizeUm ? `${px} (${trimNumber(pixels * pixelSizeUm * pixelSizeUm)} µm²)` : px;
}

/** A point of the movie in µm (pixel centres: pixel x lies at (x + 0.5) × size). */
export function formatPositionUm(p: { x: number; y: number }, pixelSizeUm: number): string {
  const f = (v: number) => ((v + 0.5) * pixelSizeUm).toFixed(pixelSizeUm < 0.1 ? 3 : 2);
  return `${f(p.x)}, ${f(p.y)} µm`;
}

export interface ScaleBar {
  /** The bar's length in µm: 1, 2 or 5 × 10ⁿ. */
  um: number;
  /** Its length on screen, CSS pixels. */
  px: number;
  label: string;
}

/**
 * The longest round length (1, 2, 5 × 10ⁿ µm) whose bar is at most `maxPx` CSS pixels at `scale`
 * screen pixels per movie pixel; undefined without a pixel size or when even the smallest round
 * length would not fit.
 */
export function scaleBar(pixelSizeUm: number | undefined, scale: number, maxPx = 140): ScaleBar | undefined {
  if (!pixelSizeUm || !(pixelSizeUm > 0) || !(scale > 0) || !(maxPx > 0)) return undefined;
  const pxPerUm = scale / pixelSizeUm;
  const maxUm = maxPx / pxPerUm;
  const exp = Math.floor(Math.log10(maxUm));
  let best: number | undefined;
  for (const e of [exp - 1, exp])
    for (const m of [1, 2, 5]) {
      const um = m * 10 ** e;
      if (um <= maxUm * (1 + 1e-9) && (best === undefined || um > best)) best = um;
    }
  if (best === undefined) return undefined;
  const um = Number(best.toPrecision(6));
  return { um, px: um * pxPerUm, label: formatLength(um) };
}

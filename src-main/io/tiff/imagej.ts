/**
 * ImageJ's TIFF ImageDescription ("ImageJ=1.54f\nimages=16\nchannels=2\n...") — parse and format.
 * Page order of an ImageJ hyperstack is C fastest, then Z, then T.
 */

export interface ImageJMeta {
  /** ImageJ version string after "ImageJ=". */
  version: string;
  images: number;
  channels: number;
  slices: number;
  frames: number;
  hyperstack: boolean;
  /** Display mode ("grayscale", "composite", "color"), if given. */
  mode: string | null;
  /** Spatial unit as written (e.g. "micron", "\u00B5m", "nm"), or null. */
  unit: string | null;
  /** Frame interval in `timeUnit`, or null. */
  finterval: number | null;
  /** Time unit ("sec" when absent). */
  timeUnit: string;
  /** Z spacing in `unit`, or null. */
  spacing: number | null;
  /** Every key=value line, raw. */
  raw: Record<string, string>;
}

/** Parses an ImageJ ImageDescription; returns null when `desc` does not start with "ImageJ=". */
export function parseImageJDescription(desc: string | null): ImageJMeta | null {
  if (!desc || !desc.startsWith('ImageJ=')) return null;
  const raw: Record<string, string> = {};
  for (const line of desc.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) raw[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const int = (k: string, d: number): number => {
    const v = Number.parseInt(raw[k] ?? '', 10);
    return Number.isFinite(v) && v > 0 ? v : d;
  };
  const num = (k: string): number | null => {
    const v = Number.parseFloat(raw[k] ?? '');
    return Number.isFinite(v) && v > 0 ? v : null;
  };
  const channels = int('channels', 1);
  const slices = int('slices', 1);
  const frames = int('frames', 1);
  return {
    version: raw.ImageJ ?? '',
    images: int('images', channels * slices * frames),
    channels,
    slices,
    frames,
    hyperstack: raw.hyperstack === 'true',
    mode: raw.mode ?? null,
    unit: raw.unit !== undefined ? decodeUnicodeEscapes(raw.unit) : null,
    finterval: num('finterval'),
    timeUnit: raw.tunit ?? 'sec',
    spacing: num('spacing'),
    raw,
  };
}

/** ImageJ escapes non-ASCII as "\u00B5"; turn those back into characters. */
function decodeUnicodeEscapes(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Length units to micrometres (ImageJ and OME spellings). null for "pixel"/unknown. */
export function lengthToMicrons(unit: string | null): number | null {
  if (unit === null) return null;
  const u = unit.trim().toLowerCase();
  const table: Record<string, number> = {
    micron: 1,
    microns: 1,
    um: 1,
    µm: 1,
    μm: 1,
    nm: 1e-3,
    nanometer: 1e-3,
    pm: 1e-6,
    å: 1e-4,
    angstrom: 1e-4,
    mm: 1e3,
    cm: 1e4,
    m: 1e6,
    meter: 1e6,
  };
  return table[u] ?? null;
}

/** Time units to seconds (ImageJ and OME spellings). null when unknown. */
export function timeToSeconds(unit: string | null): number | null {
  if (unit === null) return 1;
  const u = unit.trim().toLowerCase();
  const table: Record<string, number> = {
    s: 1,
    sec: 1,
    second: 1,
    seconds: 1,
    ms: 1e-3,
    msec: 1e-3,
    µs: 1e-6,
    μs: 1e-6,
    us: 1e-6,
    ns: 1e-9,
    min: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
  };
  return table[u] ?? null;
}

export interface ImageJDescriptionInput {
  channels: number;
  slices?: number;
  frames: number;
  /** Display mode; default "grayscale" for one channel, "composite" for more. */
  mode?: string;
  /** Frame interval in seconds. */
  frameIntervalS?: number | null;
  /** Spatial unit written as "unit=" (ImageJ uses "micron"). */
  unit?: string | null;
  /** Display range. */
  min?: number;
  max?: number;
}

/**
 * The ImageDescription ImageJ and tifffile write for a hyperstack: "ImageJ=1.11a", images,
 * channels/slices/frames when > 1, hyperstack=true when more than one axis is > 1, mode, unit,
 * finterval (seconds), loop=false, min/max. Lines end with "\n".
 */
export function formatImageJDescription(m: ImageJDescriptionInput): string {
  const slices = m.slices ?? 1;
  const lines = ['ImageJ=1.11a', `images=${m.channels * slices * m.frames}`];
  if (m.channels > 1) lines.push(`channels=${m.channels}`);
  if (slices > 1) lines.push(`slices=${slices}`);
  if (m.frames > 1) lines.push(`frames=${m.frames}`);
  const axes = [m.channels, slices, m.frames].filter((n) => n > 1).length;
  if (axes > 1 || m.channels > 1) lines.push('hyperstack=true');
  lines.push(`mode=${m.mode ?? (m.channels > 1 ? 'composite' : 'grayscale')}`);
  if (m.unit) lines.push(`unit=${m.unit}`);
  if (m.frameIntervalS && m.frameIntervalS > 0) lines.push(`finterval=${m.frameIntervalS}`);
  lines.push('loop=false');
  if (m.min !== undefined) lines.push(`min=${m.min}`);
  if (m.max !== undefined) lines.push(`max=${m.max}`);
  return lines.join('\n') + '\n';
}

/**
 * What the Viewer draws of a test-mode run without a DOM: objects coloured by PI status, track
 * tails over the labels, and the shown frame's objects as the hover readout and the measurement
 * table read them.
 */
import { TEST_MODE_STAGE_LABELS } from '../api';
import type { PreviewObject, TestModeObjects, TestModeStageReport, TestModeTracks } from '../api';
import type { Rgb } from './colormap';
import type { Translate } from './placement';

/** PI status colours (Okabe–Ito): vermillion for PI-positive (dead), bluish green for PI-negative. */
export const PI_COLOURS: Readonly<Record<string, Rgb>> = {
  piPOS: [213, 94, 0],
  piNEG: [0, 158, 115],
};
/** Objects without a PI status (the classifier did not run on them). */
export const NO_PI_COLOUR: Rgb = [160, 160, 160];

export function piColour(piClass: string | undefined): Rgb {
  return (piClass && PI_COLOURS[piClass]) || NO_PI_COLOUR;
}

/** A stage's time as the panel shows it. */
export const formatStageMs = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);

/** One line saying what re-ran and what came from the cache, in pipeline order. */
export function stageSummary(stages: TestModeStageReport[]): string {
  const label = (s: TestModeStageReport) => {
    const l = TEST_MODE_STAGE_LABELS[s.stage];
    // "Segmentation" → "segmentation", but "PI classification" keeps its capitals.
    return l[1] === l[1].toLowerCase() ? l[0].toLowerCase() + l.slice(1) : l;
  };
  const ran = stages.filter((s) => s.status === 'ran' || s.status === 'partly cached');
  const cached = stages.filter((s) => s.status === 'cached');
  if (ran.length === 0) return 'Every stage came from the cache.';
  const from = ran[0];
  const onwards = stages.slice(stages.indexOf(from)).every((s) => s.status !== 'cached');
  const reran = onwards ? `${label(from)} onwards re-ran` : `${ran.map(label).join(', ')} re-ran`;
  const total = ran.reduce((n, s) => n + s.ms, 0);
  return cached.length
    ? `${cached.map(label).join(', ')} from the cache; ${reran} (${formatStageMs(total)}).`
    : `Every stage ran (${formatStageMs(total)}).`;
}

/** The shown frame's objects as the hover readout reads them (label, area, class, PI status, track). */
export function stageObjects(o: TestModeObjects): PreviewObject[] {
  const c = o.columns;
  return Array.from(c.label, (label, i) => ({
    label,
    area: c.area[i],
    className: o.objectClass[i] || undefined,
    confidence: Number.isFinite(c.class_prob[i]) ? c.class_prob[i] : undefined,
    piClass: o.piClass[i] || undefined,
    trackId: c.trackid[i] >= 0 ? c.trackid[i] : undefined,
  }));
}

/** One object's numbers, in the table's column order, for the measurement panel. */
export function objectRow(
  o: TestModeObjects,
  label: number,
): { name: string; value: number | string }[] | undefined {
  const i = Array.prototype.indexOf.call(o.columns.label, label) as number;
  if (i < 0) return undefined;
  const row: { name: string; value: number | string }[] = [];
  for (const [name, col] of Object.entries(o.columns)) {
    row.push({ name, value: col[i] });
    if (name === 'roi_std_dev') row.push({ name: 'object_class', value: o.objectClass[i] ?? '' });
  }
  row.push({ name: 'pi_class', value: o.piClass[i] ?? '' });
  return row;
}

/**
 * Draws each track's path over the last `tail` frames up to `frame` into an RGBA image of the
 * analysis frame of `frame` (width × height), in its track's colour, with a 3×3 dot where the cell
 * is now. Track points are movie pixels; `origin` is the analysis origin of `frame` (where its
 * pixel (0, 0) lies in the movie), so earlier points land where the cell was in the movie. A
 * daughter's path starts at its mother's last point. Points are object centroids.
 */
export function drawTrackTails(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  tracks: TestModeTracks,
  o: { frame: number; origin: Translate; tail: number; colourOf(trackId: number): Rgb },
): void {
  if (rgba.length !== width * height * 4)
    throw new RangeError(`RGBA of ${rgba.length} bytes for a ${width}×${height} image`);
  const paths = new Map<number, { t: number; x: number; y: number }[]>();
  const parents = new Map<number, number>();
  for (let i = 0; i < tracks.frame.length; i++) {
    const t = tracks.frame[i];
    if (t > o.frame || t < o.frame - o.tail) continue;
    const id = tracks.trackId[i];
    if (id < 0) continue;
    let p = paths.get(id);
    if (!p) paths.set(id, (p = []));
    p.push({ t, x: tracks.x[i] - o.origin.x, y: tracks.y[i] - o.origin.y });
    if (tracks.parentTrackId[i] >= 0) parents.set(id, tracks.parentTrackId[i]);
  }
  const put = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const j = (y * width + x) * 4;
    rgba[j] = c[0];
    rgba[j + 1] = c[1];
    rgba[j + 2] = c[2];
    rgba[j + 3] = 255;
  };
  for (const [id, p] of paths) {
    p.sort((a, b) => a.t - b.t);
    const mother = parents.get(id);
    const before =
      mother !== undefined
        ? paths
            .get(mother)
            ?.filter((q) => q.t < p[0].t)
            .at(-1)
        : undefined;
    const points = before ? [before, ...p] : p;
    const c = o.colourOf(id);
    for (let k = 1; k < points.length; k++) line(points[k - 1], points[k], c, put);
    const now = p[p.length - 1];
    if (now.t === o.frame)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) put(Math.round(now.x) + dx, Math.round(now.y) + dy, c);
  }
}

/** Bresenham's line between two points (rounded to pixels), both ends drawn. */
function line(a: Translate, b: Translate, c: Rgb, put: (x: number, y: number, c: Rgb) => void): void {
  let x0 = Math.round(a.x);
  let y0 = Math.round(a.y);
  const x1 = Math.round(b.x);
  const y1 = Math.round(b.y);
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    put(x0, y0, c);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}

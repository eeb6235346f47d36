/**
 * What the Viewer draws of a test-mode run without a DOM: objects coloured by PI status, its tracks
 * as a run's (for a tracks layer), and the shown frame's objects as the hover readout and the
 * measurement table read them.
 */
import { TEST_MODE_STAGE_LABELS } from '../api';
import type { PreviewObject, RunTrack, TestModeObjects, TestModeStageReport, TestModeTracks } from '../api';
import type { Rgb } from './colormap';

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
 * Test mode's tracks as a run's (`RunTrack`, one per track id, frames ascending), for a tracks
 * layer: its tails, forks at divisions and colours are then those of a finished run's tracks.
 * Rows without a track id (−1) are left out; a track's parent is the first one its rows name.
 */
export function stageTracks(t: TestModeTracks): RunTrack[] {
  const byId = new Map<number, { parent: number; rows: number[] }>();
  for (let i = 0; i < t.trackId.length; i++) {
    const id = t.trackId[i];
    if (id < 0) continue;
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { parent: -1, rows: [] }));
    if (e.parent < 0 && t.parentTrackId[i] >= 0) e.parent = t.parentTrackId[i];
    e.rows.push(i);
  }
  return [...byId].map(([id, { parent, rows }]) => {
    rows.sort((a, b) => t.frame[a] - t.frame[b]);
    return {
      id,
      parent,
      frames: rows.map((r) => t.frame[r]),
      labels: rows.map((r) => t.label[r]),
      x: rows.map((r) => t.x[r]),
      y: rows.map((r) => t.y[r]),
    };
  });
}

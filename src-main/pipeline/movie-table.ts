import { MEASUREMENT_COLUMNS, type FrameMeasurements } from '../analysis';

/** Per-frame results gathered while streaming, joined into one table at the end. */
export interface FrameRecord {
  frame: number;
  /** Offset added to this frame's labels so they are unique in the movie (HiTMicTools' UNet pipelines). */
  labelOffset: number;
  measurements: FrameMeasurements;
  background: number;
  rel: { rel_max_intensity: Float64Array; rel_min_intensity: Float64Array; rel_mean_intensity: Float64Array };
  objectClass: string[];
  classProb: Float32Array;
}

/** Column arrays over all frames, row order = frame then label. */
export interface MovieTable {
  rows: number;
  num: Record<string, Float64Array>;
  frame: Int32Array;
  label: Int32Array;
  objectClass: string[];
}

/** Measurement columns carried as numbers (label and frame have their own arrays). */
const NUMERIC = MEASUREMENT_COLUMNS.filter(
  (c): c is Exclude<(typeof MEASUREMENT_COLUMNS)[number], 'label' | 'frame'> =>
    c !== 'label' && c !== 'frame',
);

export function joinFrames(records: FrameRecord[]): MovieTable {
  const rows = records.reduce((n, r) => n + r.measurements.label.length, 0);
  const num: Record<string, Float64Array> = {};
  for (const c of [
    ...NUMERIC,
    'background',
    'rel_max_intensity',
    'rel_min_intensity',
    'rel_mean_intensity',
    'class_prob',
  ])
    num[c] = new Float64Array(rows);
  const frame = new Int32Array(rows);
  const label = new Int32Array(rows);
  const objectClass: string[] = new Array(rows);
  let i = 0;
  for (const r of records) {
    const m = r.measurements;
    for (let k = 0; k < m.label.length; k++, i++) {
      frame[i] = r.frame;
      label[i] = m.label[k] + r.labelOffset;
      for (const c of NUMERIC) num[c][i] = (m[c] as ArrayLike<number>)[k];
      num.background[i] = r.background;
      num.rel_max_intensity[i] = r.rel.rel_max_intensity[k];
      num.rel_min_intensity[i] = r.rel.rel_min_intensity[k];
      num.rel_mean_intensity[i] = r.rel.rel_mean_intensity[k];
      num.class_prob[i] = r.classProb[k];
      objectClass[i] = r.objectClass[k];
    }
  }
  return { rows, num, frame, label, objectClass };
}

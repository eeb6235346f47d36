/**
 * A movie's tracks read back from its tables, for Results (lineage tree, divisions over time) and
 * the Viewer's tracks layer: `{movie}_tracks.csv` (`hitmic track --format hitmic`) where there is
 * one, else the run's `{movie}_fl.csv`. Both hold, per object and frame, `frame`, `label` (the
 * object's label in that frame of the label stack: `{movie}_labels.tif` for a run, the tracked
 * label movie for `hitmic track`), `trackid` (from 0; −1 = not tracked), `parent_track_id` (the
 * mother's track, −1 = none; a mother's track ends where her daughters' begin) and the centroid
 * (`centroid_0` row, `centroid_1` column, pixels). `{movie}_tracks.tif`, beside the CSV, holds the
 * stack relabelled so that pixel = trackid + 1.
 */
import fs from 'node:fs';
import type { MovieLineage } from '../../src-shared/api';
import { buildLineage } from '../../src-shared/results';
import { ResultsError } from './errors';
import { missingFile, type MovieResults } from './run-folder';
import { readResultTable } from './tables';

/** One movie's tracked objects, column by column (rows as in the table). */
export interface RunTracks {
  source: 'tracks' | 'cells';
  file: string;
  frame: Int32Array;
  label: Int32Array;
  trackid: Int32Array;
  parent_track_id: Int32Array;
  centroid_0: Float64Array;
  centroid_1: Float64Array;
}

const REQUIRED = ['frame', 'label', 'trackid', 'parent_track_id', 'centroid_0', 'centroid_1'] as const;

/** Reads the movie's tracks. @throws ResultsError when neither table is there or a column is missing. */
export function readRunTracks(results: MovieResults): RunTracks {
  const tracksFile = results.file('tracks');
  const source = fs.existsSync(tracksFile) ? 'tracks' : 'cells';
  const file = source === 'tracks' ? tracksFile : results.file('cells');
  if (!fs.existsSync(file)) throw missingFile(results, 'cells', 'per-cell table');
  const table = readResultTable(file);
  const at = Object.fromEntries(REQUIRED.map((c) => [c, table.columns.indexOf(c)])) as Record<
    (typeof REQUIRED)[number],
    number
  >;
  const missing = REQUIRED.filter((c) => at[c] < 0);
  if (missing.length > 0)
    throw new ResultsError('not-found', `${file} has no ${missing.join(', ')} column: it holds no tracks`, {
      file,
      missing,
      fix: 'Run the pipeline with pipeline_setup.tracking: true, or track the labels with hitmic track --format hitmic.',
    });
  const n = table.rows.length;
  const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
  const out: RunTracks = {
    source,
    file,
    frame: new Int32Array(n),
    label: new Int32Array(n),
    trackid: new Int32Array(n),
    parent_track_id: new Int32Array(n),
    centroid_0: new Float64Array(n),
    centroid_1: new Float64Array(n),
  };
  table.rows.forEach((r, i) => {
    out.frame[i] = num(r[at.frame], 0);
    out.label[i] = num(r[at.label], 0);
    out.trackid[i] = num(r[at.trackid], -1);
    out.parent_track_id[i] = num(r[at.parent_track_id], -1);
    out.centroid_0[i] = num(r[at.centroid_0], NaN);
    out.centroid_1[i] = num(r[at.centroid_1], NaN);
  });
  return out;
}

/** The movie's lineage: tracks, colonies, divisions per frame (src-shared/results/lineage.ts). */
export function movieLineage(results: MovieResults): MovieLineage {
  const t = readRunTracks(results);
  function* rows() {
    for (let i = 0; i < t.frame.length; i++)
      yield { frame: t.frame[i], trackid: t.trackid[i], parent: t.parent_track_id[i] };
  }
  return { ...buildLineage(rows()), source: t.source, file: t.file };
}

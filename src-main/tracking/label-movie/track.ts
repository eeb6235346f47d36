/**
 * Tracking a label movie from any segmentation (`hitmic track`): read its objects frame by frame,
 * run a tracker (the same tracker code as `hitmic run`), and write the result, atomically (every
 * file under a temporary name until all are complete, the track table last):
 *
 * - `ctc`: the Cell Tracking Challenge result layout: `maskTTT.tif` per frame (uint16, labelled
 *   by CTC track label, TTT zero-padded to the frame count's width, at least 3 digits) and
 *   `res_track.txt` (`L B E P`). A track that skips frames is cut into CTC tracks at the gaps.
 * - `hitmic`: `{movie}_tracks.csv` (columns {@link TRACKS_COLUMNS}: one row per object and frame,
 *   `label` as in the input, `trackid` from 0, `parent_track_id` −1 for none) and
 *   `{movie}_tracks.tif`, the input relabelled: pixel = trackid + 1 (0 background), T×Y×X uint16.
 */
import fs from 'node:fs';
import path from 'node:path';
import { movieName, runFileName } from '../../../src-shared/results';
import { AtomicFile, HyperstackWriter, publishTogether, writeCsvTo } from '../../io';
import { formatTrackTable, ctcTracksFromRows } from '../ctc/tracks';
import { ctcMaskName } from '../ctc/folder';
import { TrackingError } from '../errors';
import type { Tracker, TrackingLogger, TrackingSummary } from '../types';
import { openLabelMovie, readLabelDetections, readLabelFrame, type LabelDetections } from './read';

export const TRACKS_COLUMNS = [
  'frame',
  'label',
  'trackid',
  'parent_track_id',
  'centroid_0',
  'centroid_1',
  'area',
  'major_axis_length',
  'minor_axis_length',
  'orientation',
] as const;

export type TrackOutputFormat = 'ctc' | 'hitmic';

/** Outputs that would be overwritten, and `force` was not given. */
export class TrackOutputExistsError extends TrackingError {
  constructor(readonly files: string[]) {
    super('outputs exist', {
      where: path.dirname(files[0]),
      expected: 'a folder without earlier tracking outputs',
      actual:
        files
          .slice(0, 3)
          .map((f) => path.basename(f))
          .join(', ') + (files.length > 3 ? ', …' : ''),
      hint: 'Choose another --output folder, or add --force to replace them.',
    });
  }
}

export interface TrackLabelMovieOptions {
  /** The tracker, or a function making it once the field of view is known. */
  tracker: Tracker | ((field: { width: number; height: number }) => Tracker);
  format: TrackOutputFormat;
  outputDir: string;
  /** Name of the hitmic outputs (default: the movie's name, as `hitmic run` names it). */
  movie?: string;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (stage: 'reading' | 'tracking' | 'writing', done: number, total: number) => void;
  logger?: TrackingLogger;
}

export interface TrackLabelMovieReport {
  input: string;
  format: TrackOutputFormat;
  tracker: string;
  frames: number;
  width: number;
  height: number;
  objects: number;
  tracks: number;
  divisions: number;
  summary: TrackingSummary;
  /** Files written, the track table last. */
  outputs: string[];
  timings_ms: { read: number; track: number; write: number };
}

/** Files of an earlier result in `dir` that this one would replace or leave stale. */
function earlierOutputs(dir: string, format: TrackOutputFormat, movie: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const names =
    format === 'ctc'
      ? fs.readdirSync(dir).filter((f) => /^mask\d+\.tiff?$/.test(f) || f === 'res_track.txt')
      : [runFileName(movie, 'tracks'), runFileName(movie, 'trackLabels')].filter((f) =>
          fs.existsSync(path.join(dir, f)),
        );
  return names.map((f) => path.join(dir, f));
}

export async function trackLabelMovie(
  input: string,
  opts: TrackLabelMovieOptions,
): Promise<TrackLabelMovieReport> {
  const movie = opts.movie ?? movieName(input);
  const dir = opts.outputDir;
  const earlier = earlierOutputs(dir, opts.format, movie);
  if (earlier.length > 0 && !opts.force) throw new TrackOutputExistsError(earlier);
  fs.mkdirSync(dir, { recursive: true });

  const t0 = Date.now();
  const det = await readLabelDetections(input, {
    signal: opts.signal,
    onFrame: (d, n) => opts.onProgress?.('reading', d, n),
  });
  const t1 = Date.now();
  opts.onProgress?.('tracking', 0, 1);
  const tracker =
    typeof opts.tracker === 'function'
      ? opts.tracker({ width: det.width, height: det.height })
      : opts.tracker;
  const result = tracker.track(det.table, opts.logger);
  opts.onProgress?.('tracking', 1, 1);
  const t2 = Date.now();

  const { trackid, parent_track_id: parent } = result;
  const outputs =
    opts.format === 'ctc'
      ? await writeCtc(input, det, trackid, parent, dir, opts)
      : await writeHitmic(input, det, trackid, parent, dir, movie, opts);
  if (opts.format === 'ctc') {
    // A longer earlier result leaves masks this one does not replace.
    const kept = new Set(outputs);
    for (const f of earlier) if (!kept.has(f)) fs.rmSync(f, { force: true });
  }
  const mothers = new Set<number>();
  for (const p of parent) if (p >= 0) mothers.add(p);
  return {
    input,
    format: opts.format,
    tracker: tracker.description,
    frames: det.frames,
    width: det.width,
    height: det.height,
    objects: det.table.frame.length,
    tracks: result.summary.tracks,
    divisions: mothers.size,
    summary: result.summary,
    outputs,
    timings_ms: { read: t1 - t0, track: t2 - t1, write: Date.now() - t2 },
  };
}

/** Writes each frame of the input relabelled by `valueOf(t, label)` with `write(t, plane)`. */
async function relabelFrames(
  input: string,
  det: LabelDetections,
  valueOfRow: Int32Array,
  write: (t: number, plane: Uint16Array) => Promise<void>,
  opts: TrackLabelMovieOptions,
): Promise<void> {
  const rowsOf: number[][] = Array.from({ length: det.frames }, () => []);
  for (let i = 0; i < det.table.frame.length; i++) rowsOf[det.table.frame[i]].push(i);
  const { movie, timeAxis } = await openLabelMovie(input);
  try {
    const out = new Uint16Array(det.width * det.height);
    for (let t = 0; t < det.frames; t++) {
      const labels = await readLabelFrame(movie, timeAxis, t, opts.signal);
      const lut = new Map<number, number>();
      for (const r of rowsOf[t]) lut.set(det.label[r], valueOfRow[r]);
      let last = -1;
      let value = 0;
      for (let i = 0; i < labels.length; i++) {
        const l = labels[i];
        if (l === 0) {
          out[i] = 0;
          continue;
        }
        if (l !== last) {
          last = l;
          value = lut.get(l) ?? 0;
        }
        out[i] = value;
      }
      await write(t, out);
      opts.onProgress?.('writing', t + 1, det.frames);
    }
  } finally {
    await movie.close();
  }
}

function checkUint16(max: number, what: string, dir: string): void {
  if (max > 65535)
    throw new TrackingError('too many tracks for a 16-bit label image', {
      where: dir,
      expected: `at most 65535 ${what}`,
      actual: String(max),
      hint: 'Track a shorter part of the movie (or a crop) at a time.',
    });
}

async function writeCtc(
  input: string,
  det: LabelDetections,
  trackid: Int32Array,
  parent: Int32Array,
  dir: string,
  opts: TrackLabelMovieOptions,
): Promise<string[]> {
  const { tracks, label } = ctcTracksFromRows(det.table.frame, trackid, parent);
  checkUint16(tracks.length, 'CTC tracks', dir);
  const pending: AtomicFile[] = [];
  try {
    await relabelFrames(
      input,
      det,
      label,
      async (t, plane) => {
        const w = await HyperstackWriter.create(path.join(dir, ctcMaskName('result', t, det.frames)), {
          width: det.width,
          height: det.height,
          dtype: 'uint16',
          frames: 1,
          compression: 'deflate',
        });
        pending.push(w.atomicFile);
        await w.writePlane(plane);
        await w.finish();
      },
      opts,
    );
    const table = await AtomicFile.create(path.join(dir, 'res_track.txt'));
    pending.push(table);
    await table.append(formatTrackTable(tracks));
    await table.close({ sync: true });
    await publishTogether(pending);
  } catch (err) {
    for (const f of pending) await f.abort();
    throw err;
  }
  return pending.map((f) => f.path);
}

async function writeHitmic(
  input: string,
  det: LabelDetections,
  trackid: Int32Array,
  parent: Int32Array,
  dir: string,
  movie: string,
  opts: TrackLabelMovieOptions,
): Promise<string[]> {
  let maxId = -1;
  for (const id of trackid) maxId = Math.max(maxId, id);
  checkUint16(maxId + 1, 'tracks', dir);
  const pending: AtomicFile[] = [];
  try {
    const w = await HyperstackWriter.create(path.join(dir, runFileName(movie, 'trackLabels')), {
      width: det.width,
      height: det.height,
      dtype: 'uint16',
      frames: det.frames,
      compression: 'deflate',
    });
    pending.push(w.atomicFile);
    await relabelFrames(
      input,
      det,
      Int32Array.from(trackid, (id) => id + 1),
      (_t, plane) => w.writePlane(plane),
      opts,
    );
    await w.finish();
    const csv = await AtomicFile.create(path.join(dir, runFileName(movie, 'tracks')));
    pending.push(csv);
    const t = det.table;
    function* rows() {
      for (let i = 0; i < t.frame.length; i++)
        yield {
          frame: t.frame[i],
          label: det.label[i],
          trackid: trackid[i],
          parent_track_id: parent[i],
          centroid_0: t.centroid_0[i],
          centroid_1: t.centroid_1[i],
          area: t.area[i],
          major_axis_length: t.major_axis_length[i],
          minor_axis_length: t.minor_axis_length[i],
          orientation: t.orientation[i],
        };
    }
    await writeCsvTo(csv, TRACKS_COLUMNS, rows());
    await publishTogether(pending);
  } catch (err) {
    for (const f of pending) await f.abort();
    throw err;
  }
  return pending.map((f) => f.path);
}

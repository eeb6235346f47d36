import { frameTimestamps, SUMMARY_AGGREGATES, SUMMARY_KEYS, summarise } from '../analysis';
import { classifyPi, type ModelRunner } from '../inference';
import { AtomicFile, publishTogether, writeCsvTo, type HyperstackWriter } from '../io';
import { FL_COLUMNS, RunFolder } from '../results';
import { applyPiposLockin } from '../tracking';
import type { MovieJobDeps, MovieJobParams, MovieJobResult } from './job-types';
import { piFeatureList } from './model-settings';
import type { MovieTable } from './movie-table';
import type { StageBooker } from './stage-booking';
import { trackObjects } from './track-objects';
import type { RunRegistration } from '../../src-shared/api';
import { analysisOrigin } from '../../src-shared/results';

export interface FinishContext {
  name: string;
  frameTimesS: readonly number[] | null;
  frames: number[];
  piRunner: ModelRunner;
  /** Books the PI classifier's memory while it runs. */
  book: StageBooker;
  /** Once a tracked cell is PI-positive it stays so (the sc pipelines). */
  piposLockin: boolean;
  /** Where each analysed frame lies in the movie: gives the centroid columns in movie pixels. */
  registration: RunRegistration;
  warn(message: string): void;
  writers: HyperstackWriter[];
  deps: MovieJobDeps;
  /** Timings, warnings and provider so far, for run.json. */
  runFacts(): Record<string, unknown>;
  /** The job's log (warnings, memory per stage and frame), for `{movie}_log.txt`. */
  logText(): string;
}

/**
 * After the frame loop: timestamps, tracking, PI classification, then the outputs, all published
 * together: the label and restored stacks first and `_fl.csv` / `_summary.csv` last, because
 * their presence is what marks a movie as done (HiTMicTools' skip rule).
 */
export async function finishMovie(
  p: MovieJobParams,
  table: MovieTable,
  ctx: FinishContext,
): Promise<Omit<MovieJobResult, 'timings_ms' | 'warnings' | 'provider'>> {
  const n = table.rows;
  const { deps, name } = ctx;
  deps.progress({ movie: name, stage: 'tracking', done: 0, total: 1 });
  // Timestamps: seconds of each analysed frame since the movie's first frame.
  const times = ctx.frameTimesS ? ctx.frames.map((t) => ctx.frameTimesS![t]) : null;
  if (!times)
    ctx.warn('no frame interval or timestamps in the file: date_time, timestep and abslag_in_s are empty');
  const ts = times ? frameTimestamps(times) : null;
  const frameIndex = new Map(ctx.frames.map((t, i) => [t, i]));

  let trackid: Int32Array = new Int32Array(n).fill(-1);
  let parent: Int32Array = new Int32Array(n).fill(-1);
  let tracks = 0;
  if (p.setup.tracking && p.tracking && n > 0) {
    const r = trackObjects(
      p.tracking,
      {
        frame: table.frame,
        centroid_0: table.num.centroid_0,
        centroid_1: table.num.centroid_1,
        area: table.num.area,
        major_axis_length: table.num.major_axis_length,
        minor_axis_length: table.num.minor_axis_length,
        orientation: table.num.orientation,
      },
      { info: (m) => deps.log('info', `${name}: ${m}`), warn: ctx.warn },
    );
    trackid = r.trackid;
    parent = r.parent;
    tracks = r.tracks;
  }

  deps.progress({ movie: name, stage: 'pi_classification', done: 0, total: 1 });
  const features: Record<string, ArrayLike<number>> = {
    ...table.num,
    label: table.label,
    frame: table.frame,
  };
  const pi: { piClass: string[]; probability: Float32Array } =
    n > 0
      ? await ctx.book('pi_classification', () =>
          classifyPi(features, ctx.piRunner, piFeatureList(p.models.pi_classification!)),
        )
      : { piClass: [], probability: new Float32Array(0) };
  if (ctx.piposLockin && p.setup.tracking && n > 0) {
    // HiTMicTools' sc pipelines: once a tracked cell is PI-positive it stays so (dead cells stay dead).
    const locked = applyPiposLockin(trackid, table.frame, pi.piClass);
    pi.piClass = locked.pi_class.map((c) => c ?? '');
    deps.log(
      'info',
      `${name}: piPOS lock-in: ${locked.summary.overrides} rows set to piPOS in ${locked.summary.tracksAffected} tracks`,
    );
  }

  // One row object at a time (summary and CSV each walk the table): a whole array of row objects
  // costs about 1 KB per cell at the end of a long movie.
  const origins = new Map(ctx.frames.map((t) => [t, analysisOrigin(ctx.registration, t)]));
  const rowAt = (i: number) => {
    const f = frameIndex.get(table.frame[i]) ?? 0;
    const origin = origins.get(table.frame[i]) ?? { x: 0, y: 0 };
    return {
      label: table.label[i],
      frame: table.frame[i],
      slice: table.num.slice[i],
      channel: table.num.channel[i],
      centroid_0: table.num.centroid_0[i],
      centroid_1: table.num.centroid_1[i],
      max_intensity: table.num.max_intensity[i],
      min_intensity: table.num.min_intensity[i],
      mean_intensity: table.num.mean_intensity[i],
      area: table.num.area[i],
      major_axis_length: table.num.major_axis_length[i],
      minor_axis_length: table.num.minor_axis_length[i],
      solidity: table.num.solidity[i],
      orientation: table.num.orientation[i],
      roi_skewness: table.num.roi_skewness[i],
      roi_std_dev: table.num.roi_std_dev[i],
      object_class: table.objectClass[i],
      date_time: ts ? ts.date_time[f] : '',
      timestep: ts ? ts.timestep[f] : null,
      abslag_in_s: ts ? ts.abslag_in_s[f] : null,
      background: table.num.background[i],
      rel_max_intensity: table.num.rel_max_intensity[i],
      rel_min_intensity: table.num.rel_min_intensity[i],
      rel_mean_intensity: table.num.rel_mean_intensity[i],
      trackid: trackid[i],
      parent_track_id: parent[i],
      pi_class: pi.piClass[i],
      file: name,
      class_prob: table.num.class_prob[i],
      pi_prob: pi.probability[i],
      centroid_0_movie: table.num.centroid_0[i] + origin.y,
      centroid_1_movie: table.num.centroid_1[i] + origin.x,
    };
  };
  function* rows() {
    for (let i = 0; i < n; i++) yield rowAt(i);
  }

  deps.progress({ movie: name, stage: 'writing', done: 0, total: 1 });
  const folder = new RunFolder(p.outputDir);
  const outputs: Record<string, string> = {};
  // Everything is written under temporary names first and published together at the end, the
  // tables last: a failure anywhere (a full disk) leaves nothing under a final name.
  const pending: AtomicFile[] = [];
  try {
    for (const w of ctx.writers) {
      await w.finish();
      pending.push(w.atomicFile);
      outputs[w.path === folder.file(name, 'labels') ? 'labels' : 'restored'] = w.path;
    }
    const summary = summarise(rows());
    outputs.run = folder.file(name, 'run');
    const run = await AtomicFile.create(outputs.run);
    pending.push(run);
    await run.append(
      `${JSON.stringify(
        {
          ...p.provenance,
          movie: p.movie,
          frames: ctx.frames,
          objects: n,
          tracks,
          ...ctx.runFacts(),
          written_at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    await run.close();
    outputs.log = folder.file(name, 'log');
    const logFile = await AtomicFile.create(outputs.log);
    pending.push(logFile);
    await logFile.append(ctx.logText());
    await logFile.close();
    outputs.cells = folder.file(name, 'cells');
    const cells = await AtomicFile.create(outputs.cells);
    pending.push(cells);
    await writeCsvTo(cells, FL_COLUMNS, rows());
    outputs.summary = folder.file(name, 'summary');
    const summaryFile = await AtomicFile.create(outputs.summary);
    pending.push(summaryFile);
    await writeCsvTo(summaryFile, [...SUMMARY_KEYS, ...SUMMARY_AGGREGATES], summary);
    await publishTogether(pending);
  } catch (err) {
    for (const f of pending) await f.abort();
    throw err;
  }
  deps.progress({ movie: name, stage: 'done', done: 1, total: 1 });
  return { file: p.movie, frames: ctx.frames.length, objects: n, tracks, outputs };
}

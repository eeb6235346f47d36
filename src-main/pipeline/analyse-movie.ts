import fs from 'node:fs';
import { ConvexAreaCounter, planBackgroundCorrection } from '../analysis';
import { HyperstackWriter, openMovie, type Movie } from '../io';
import { movieName, RunFolder } from '../results';
import type { Stage } from '../resources';
import { estimateMovieDrift, FramePrep, toFloat32 } from './frame-prep';
import { runFrameChain, type ChainModels } from './frame-chain';
import { finishMovie } from './finish-movie';
import { MovieJobError, type MovieJobDeps, type MovieJobParams, type MovieJobResult } from './job-types';
import { computeUsed } from './compute';
import { runsInSlidingWindows, type ModelKey } from '../../src-shared/collections';
import { describeRegistration, registrationRecord } from '../../src-shared/results';
import { MovieMemoryLog } from './memory-log';
import { memoryRemedies } from './out-of-memory';
import { loadMovieModels, type MoviePipeline } from './movie-pipelines';
import { precisionFacts, precisionLines } from './precision';
import type { FrameRecord } from './movie-table';
import { joinFrames } from './movie-table';
import { bookingCapacityGb, createStageBooker, type StageBooker } from './stage-booking';

/** Pixel size used for the 20 µm background blur when the movie does not say (HiTMicTools' single-frame default). */
const DEFAULT_PIXEL_SIZE_UM = 1.0;

/** What one job keeps while it runs: warnings, timings, memory readings (the movie's log file). */
class JobLog {
  readonly warnings: string[] = [];
  readonly timings: Record<string, number> = {};
  memory = new MovieMemoryLog(null);

  constructor(
    readonly name: string,
    private readonly deps: MovieJobDeps,
  ) {}

  warn = (m: string): void => {
    this.warnings.push(m);
    this.memory.note(`warning: ${m}`);
    this.deps.log('warn', `${this.name}: ${m}`);
  };

  addTime = (step: string, ms: number): void => {
    this.timings[step] = (this.timings[step] ?? 0) + ms;
  };

  timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.addTime(step, performance.now() - t0);
    }
  };

  rounded(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v)]));
  }
}

/**
 * A movie pipeline (ASCT_focusrestore, ASCT_scsegm) on one movie, frame by frame (memory depends
 * on frame size, not movie length): align → background → the frame chain (restore BF and FL →
 * segment → classify → measure → background level); then timestamps, tracking, PI classification
 * and the outputs (finish-movie.ts). Every model stage books its memory (HiTMicTools' per-stage
 * GB) for the time it runs. Outputs are written under temporary names; a cancelled or failed
 * movie leaves nothing that looks complete.
 */
export async function analyseMovie(
  pipeline: MoviePipeline,
  p: MovieJobParams,
  deps: MovieJobDeps,
): Promise<MovieJobResult> {
  const log = new JobLog(movieName(p.movie), deps);
  const { name, warn } = log;
  fs.mkdirSync(p.outputDir, { recursive: true });
  for (const f of new RunFolder(p.outputDir).removeStalePartials(name))
    deps.log('info', `${name}: removed ${f}, left by a run that was killed`);
  const movie = await openMovie(p.movie);
  const writers: HyperstackWriter[] = [];
  try {
    const frames = framesToAnalyse(p, movie, name);
    movie.info.warnings.forEach(warn);
    const pixelSizeUm = movie.info.pixelSizeUm ?? DEFAULT_PIXEL_SIZE_UM;
    if (movie.info.pixelSizeUm === null)
      warn(`no pixel size in the file; the 20 µm background blur assumes ${DEFAULT_PIXEL_SIZE_UM} µm/px`);
    const bg = planBackgroundCorrection(p.setup.method);
    if (bg.warning) warn(bg.warning);

    for (const w of oversizedWindows(p, movie.info.shape.x, movie.info.shape.y)) warn(w);
    const models = await log.timed('load_models', () => loadMovieModels(pipeline, p, deps, warn));
    const compute = computeUsed(p.compute, models.provider, models.hostWarnings);
    if (compute.fallback) {
      log.warnings.push(compute.fallback);
      log.memory.note(`warning: ${compute.fallback}`);
      deps.log('warn', compute.fallback); // the same line for every movie: the run says it once
    }
    const precision = precisionLines(models.precision);
    for (const line of precision.fallbacks) {
      log.memory.note(line);
      deps.log('warn', line); // the same line for every movie: the run says it once
    }
    for (const line of precision.used) {
      log.memory.note(line);
      deps.log('info', `${name}: ${line}`);
    }
    log.memory.useGpu(compute.provider === 'cuda' ? p.compute.deviceId : null);
    log.memory.note(`models loaded on ${compute.provider}; bookings on '${compute.bookingDevice}'`);
    await log.memory.read('load_models');
    const booking = { ...p.booking, device: compute.bookingDevice };
    const capacityGb = await bookingCapacityGb(booking);
    const remedies = (model: ModelKey) =>
      memoryRemedies(model, {
        plan: p.models[model],
        width: movie.info.shape.x,
        height: movie.info.shape.y,
        workers: p.workers,
        provider: compute.provider,
      });
    const bookFrame = (k: number): StageBooker =>
      createStageBooker(capacityGb, {
        plan: booking,
        signal: deps.signal,
        describe: (stage) => `${stage} of ${name}, frame ${frames[k]}`,
        onStage: (stage: Stage) => deps.progress({ movie: name, stage, done: k, total: frames.length }),
        onWait: (stage, waiting) =>
          deps.progress({ movie: name, stage, done: k, total: frames.length, waiting }),
        onWarning: k === 0 ? warn : undefined,
        onTimed: log.addTime,
        onDone: async (stage) => void (await log.memory.read(stage, frames[k])),
        remedies,
        frame: frames[k],
      });

    let drift: Awaited<ReturnType<typeof estimateMovieDrift>> | null = null;
    if (p.setup.alignFrames) {
      deps.progress({ movie: name, stage: 'align', done: 0, total: frames.length });
      drift = await log.timed('align', () =>
        estimateMovieDrift(movie, p.setup.referenceChannel, frames, deps.signal),
      );
    }
    const { x: W0, y: H0 } = movie.info.shape;
    const prep = new FramePrep(W0, H0, pixelSizeUm, drift?.shifts ?? null, drift?.crop ?? null, bg);
    // Where each analysed frame lies in the movie: kept in run.json and applied to the table.
    const registration = describeRegistration({
      movieSize: { width: W0, height: H0 },
      analysisSize: { width: prep.outWidth, height: prep.outHeight },
      frames,
      alignment: drift,
    });
    const background = await log.timed('flat_field', () => fitFlatFields(prep, movie, p, frames, deps, log));
    const outputs = await openOutputs(p, movie, name, prep, frames.length);
    writers.push(...outputs.all);

    const chainModels: ChainModels = { ...models.restorers, segmenter: models.segmenter };
    const hull = new ConvexAreaCounter();
    const scratch = new Float32Array(prep.outWidth * prep.outHeight);
    const records: FrameRecord[] = [];
    let labelOffset = 0;
    let perFrameLabels = pipeline.perFrameLabels;
    let relWarnings = 0;
    for (let k = 0; k < frames.length; k++) {
      const t = frames[k];
      deps.signal.throwIfAborted();
      const read = async (c: number, kind: 'brightfield' | 'fluorescence') =>
        prep.prepare(toFloat32((await movie.readPlane({ t, c }, deps.signal)).data), k, kind, true);
      const brightfield = await read(p.setup.referenceChannel, 'brightfield');
      const fluorescence = await read(p.setup.piChannel, 'fluorescence');
      const r = await runFrameChain(
        { t, width: prep.outWidth, height: prep.outHeight, brightfield, fluorescence },
        chainModels,
        { measure: { on: 'fluorescence', channel: p.setup.piChannel, hull, scratch } },
        { book: bookFrame(k), signal: deps.signal, timed: log.timed },
      );
      const objects = r.objects!;
      const measurements = r.measurements!;
      // BaSiC puts every frame's background near 0 or below: say it once, then count.
      if (r.rel!.warning && relWarnings++ === 0) warn(r.rel!.warning);
      if (!perFrameLabels && labelOffset + objects.count > 65535) {
        perFrameLabels = true;
        warn(
          'more than 65535 objects in the movie: from here on the labels TIFF holds per-frame ids (the CSV keeps movie-unique labels)',
        );
      }
      if (outputs.labels)
        await outputs.labels.writePlane(offsetLabels(objects.labels, perFrameLabels ? 0 : labelOffset));
      if (outputs.restored) {
        await outputs.restored.writePlane(r.brightfield!);
        await outputs.restored.writePlane(r.fluorescence!);
      }
      records.push({
        frame: t,
        labelOffset: pipeline.perFrameLabels ? 0 : labelOffset,
        measurements,
        background: r.background!,
        rel: r.rel!,
        objectClass: Array.from(measurements.label, (l) => objects.classOf(l).name),
        classProb: Float32Array.from(measurements.label, (l) => objects.classOf(l).confidence),
      });
      labelOffset += objects.count;
      const reading = await log.memory.read('done', t);
      deps.progress({
        movie: name,
        stage: 'frames',
        done: k + 1,
        total: frames.length,
        memory: {
          pid: process.pid,
          rssMb: reading.rss_mb,
          ...(reading.vram_mb !== null ? { vramMb: reading.vram_mb } : {}),
        },
      });
    }
    if (relWarnings > 1)
      warn(
        `${relWarnings - 1} more frame(s) had a zero or negative background, with the same effect on their relative intensities`,
      );
    const table = joinFrames(records);
    const result = await log.timed('finish', () =>
      finishMovie(p, table, {
        name,
        frameTimesS: movie.info.frameTimestampsS,
        frames,
        piRunner: models.pi,
        book: createStageBooker(capacityGb, {
          plan: booking,
          signal: deps.signal,
          describe: (stage) => `${stage} of ${name}`,
          onWait: (stage, waiting) => deps.progress({ movie: name, stage, done: 0, total: 1, waiting }),
          onWarning: warn,
          onTimed: log.addTime,
          onDone: async (stage) => void (await log.memory.read(stage)),
          remedies,
        }),
        logText: () => log.memory.lines.join('\n') + '\n',
        piposLockin: pipeline.piposLockin,
        registration,
        warn,
        writers,
        deps,
        runFacts: () => ({
          execution_provider: models.provider,
          device: { requested: compute.requested, used: compute.provider, booked_on: compute.bookingDevice },
          precision: precisionFacts(models.precision),
          timings_ms: log.rounded(),
          warnings: log.warnings,
          pixel_size_um: pixelSizeUm,
          aligned: drift !== null,
          crop: drift?.crop ?? null,
          registration: registrationRecord(registration),
          memory: log.memory.summary(),
          background_correction: background,
        }),
      }),
    );
    writers.length = 0; // closed by finishMovie
    return { ...result, timings_ms: log.rounded(), warnings: log.warnings, provider: models.provider };
  } catch (err) {
    for (const w of writers) await w.abort().catch(() => undefined);
    throw err;
  } finally {
    await movie.close();
  }
}

/**
 * Fits BaSiC on every channel the plan corrects with it, before the frame loop (HiTMicTools fits on
 * the aligned stack of the channel), and says what ran, for run.json: per channel the correction,
 * and for BaSiC the fitted baseline and flat-field ranges and how the optimisation ended.
 */
async function fitFlatFields(
  prep: FramePrep,
  movie: Movie,
  p: MovieJobParams,
  frames: number[],
  deps: MovieJobDeps,
  log: JobLog,
): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = {
    method: prep.plan.requested,
    brightfield: prep.plan.reference,
    fluorescence: prep.plan.fluorescence,
  };
  const channels = [
    ['brightfield', p.setup.referenceChannel],
    ['fluorescence', p.setup.piChannel],
  ] as const;
  for (const [kind, c] of channels) {
    if (prep.correction(kind) !== 'basic') continue;
    deps.progress({ movie: log.name, stage: 'flat_field', done: 0, total: frames.length });
    const fit = await prep.fitBasic(kind, frames.length, async (k) => {
      deps.signal.throwIfAborted();
      return toFloat32((await movie.readPlane({ t: frames[k], c }, deps.signal)).data);
    });
    if (!fit.converged)
      log.warn(
        `BaSiC on the ${kind} channel: the last optimisation stopped at its iteration limit before converging`,
      );
    if (!fit.reweightConverged)
      log.warn(`BaSiC on the ${kind} channel: the reweighting stopped at its limit before converging`);
    facts[`basic_${kind}`] = {
      channel: c,
      frames_fitted: frames.length,
      working_size: fit.workingSize,
      baseline_min: fit.baseline.reduce((m, v) => Math.min(m, v)),
      baseline_max: fit.baseline.reduce((m, v) => Math.max(m, v)),
      flatfield_min: fit.flatfield.reduce((m, v) => Math.min(m, v)),
      flatfield_max: fit.flatfield.reduce((m, v) => Math.max(m, v)),
      iterations: fit.iterations,
      converged: fit.converged && fit.reweightConverged,
    };
  }
  return facts;
}

/** The frames asked for, checked against the movie (and the channels the setup names). */
function framesToAnalyse(p: MovieJobParams, movie: Movie, name: string): number[] {
  const { t: T, c: C } = movie.info.shape;
  for (const [what, ch] of [
    ['reference_channel', p.setup.referenceChannel],
    ['pi_channel', p.setup.piChannel],
  ] as const) {
    if (ch >= C)
      throw new MovieJobError(
        `${name}: ${what} is ${ch} but the movie has ${C} channel(s) (0–${C - 1}); set pipeline_setup.${what} to one of them.`,
        p.movie,
      );
  }
  const [f0, f1] = p.frames ?? [0, T];
  const frames = Array.from({ length: Math.max(0, Math.min(f1, T) - f0) }, (_, i) => f0 + i);
  if (frames.length === 0)
    throw new MovieJobError(`${name}: no frames to analyse in ${f0}:${f1} (the movie has ${T})`, p.movie);
  return frames;
}

/** The labels and restored stacks the setup asks for, under temporary names until finishMovie. */
async function openOutputs(
  p: MovieJobParams,
  movie: Movie,
  name: string,
  prep: FramePrep,
  frames: number,
): Promise<{ labels: HyperstackWriter | null; restored: HyperstackWriter | null; all: HyperstackWriter[] }> {
  const folder = new RunFolder(p.outputDir);
  const common = {
    width: prep.outWidth,
    height: prep.outHeight,
    frames,
    frameIntervalS: movie.info.frameIntervalS ?? null,
    pixelSizeUm: movie.info.pixelSizeUm,
  };
  const labels = p.setup.exportLabelledMasks
    ? await HyperstackWriter.create(folder.file(name, 'labels'), {
        ...common,
        dtype: 'uint16',
        compression: 'deflate',
      })
    : null;
  const restored = p.setup.exportRestored
    ? await HyperstackWriter.create(folder.file(name, 'restored'), {
        ...common,
        dtype: 'float32',
        channels: 2,
      }).catch(async (err: unknown) => {
        await labels?.abort();
        throw err;
      })
    : null;
  return { labels, restored, all: [labels, restored].filter((w): w is HyperstackWriter => w !== null) };
}

function offsetLabels(labels: Uint16Array | Uint32Array | Int32Array, offset: number): Uint16Array {
  const out = new Uint16Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === 0 ? 0 : Math.min(65535, labels[i] + offset);
  return out;
}

/**
 * Sliding windows larger than the frame: the frame is padded up to the window, so the model does
 * (window/frame)² the work for nothing (1024 on a 512² frame was 20× slower, measured).
 */
function oversizedWindows(p: MovieJobParams, width: number, height: number): string[] {
  const out: string[] = [];
  for (const [key, plan] of Object.entries(p.models)) {
    const patch = plan?.infererArgs.patch_size;
    if (typeof patch !== 'number' || !runsInSlidingWindows(key as ModelKey)) continue;
    if (patch <= width || patch <= height) continue;
    const fit = 2 ** Math.ceil(Math.log2(Math.max(width, height)));
    out.push(
      `${key} patch_size ${patch} is larger than the ${width}×${height} frame: every frame is padded to ${patch}×${patch}, about ${Math.round((patch * patch) / (width * height))}× the work; patch_size ${fit} covers the frame`,
    );
  }
  return out;
}

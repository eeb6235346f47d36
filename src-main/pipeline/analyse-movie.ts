import fs from 'node:fs';
import path from 'node:path';
import {
  backgroundLevel,
  ConvexAreaCounter,
  measureFrame,
  planBackgroundCorrection,
  relativeIntensities,
} from '../analysis';
import { predictorFromRunner, restoreFrame, type ModelRunner, type WindowPredictor } from '../inference';
import { HyperstackWriter, openMovie } from '../io';
import { stageReservation, type Stage } from '../resources/stage-memory';
import { acquireReservation, resolveCapacityGb } from '../resources';
import { estimateMovieDrift, FramePrep, toFloat32 } from './frame-prep';
import { MovieJobError, type MovieJobDeps, type MovieJobParams, type MovieJobResult } from './job-types';
import { movieName } from '../runs/select-movies';
import { joinFrames, type FrameRecord } from './movie-table';
import { restoreOptions } from './model-settings';
import { scSegmenter, unetAndClassifier, type FrameSegmenter } from './segmenters';
import { finishMovie } from './finish-movie';

/** Pixel size used for the 20 µm background blur when the movie does not say (HiTMicTools' single-frame default). */
const DEFAULT_PIXEL_SIZE_UM = 1.0;

/**
 * ASCT_focusrestore on one movie, frame by frame (memory depends on frame size, not movie
 * length): align → background → restore BF and FL → segment → classify → measure → background
 * level; then timestamps, tracking, PI classification and the outputs (finish-movie.ts). Every
 * model stage books its memory (HiTMicTools' per-stage GB) for the time it runs. Outputs are
 * written under temporary names; a cancelled or failed movie leaves nothing that looks complete.
 */
export async function analyseMovie(p: MovieJobParams, deps: MovieJobDeps): Promise<MovieJobResult> {
  const name = movieName(p.movie);
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    deps.log('warn', `${name}: ${m}`);
  };
  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + (performance.now() - t0);
    }
  };
  fs.mkdirSync(p.outputDir, { recursive: true });
  const movie = await openMovie(p.movie);
  const writers: HyperstackWriter[] = [];
  try {
    const { t: T, c: C, x: W0, y: H0 } = movie.info.shape;
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
    movie.info.warnings.forEach(warn);
    const pixelSizeUm = movie.info.pixelSizeUm ?? DEFAULT_PIXEL_SIZE_UM;
    if (movie.info.pixelSizeUm === null)
      warn(`no pixel size in the file; the 20 µm background blur assumes ${DEFAULT_PIXEL_SIZE_UM} µm/px`);
    const bg = planBackgroundCorrection(p.setup.method);
    if (bg.warning) warn(bg.warning);
    warn(
      'the fluorescence (PI) channel is not flat-field corrected: BaSiC is not available in HiTMic Studio yet, and intensities stay in camera counts',
    );

    const models = await timed('load_models', () => loadModels(p, deps, warn));
    const provider = models.provider;
    const capacityGb = p.capacityGb ?? (await resolveCapacityGb(p.device));
    const reserve = async <R>(stage: Stage, t: number, fn: () => Promise<R>): Promise<R> => {
      const r = stageReservation(p.pipeline, stage, { capacityGb, overrideGb: p.stageGb?.[stage] });
      if (r.warning && t === frames[0]) warn(r.warning);
      deps.progress({ movie: name, stage, done: frames.indexOf(t), total: frames.length });
      const booking = await acquireReservation({
        device: p.device,
        gb: r.gb,
        timeoutMs: r.timeoutMs,
        capacityGb,
        stage,
        description: `${stage} of ${name}, frame ${t}`,
        signal: deps.signal,
      });
      try {
        return await timed(stage, fn);
      } finally {
        await booking.release();
      }
    };

    let drift: Awaited<ReturnType<typeof estimateMovieDrift>> | null = null;
    if (p.setup.alignFrames) {
      deps.progress({ movie: name, stage: 'align', done: 0, total: frames.length });
      drift = await timed('align', () =>
        estimateMovieDrift(movie, p.setup.referenceChannel, frames, deps.signal),
      );
    }
    const prep = new FramePrep(W0, H0, pixelSizeUm, drift?.shifts ?? null, drift?.crop ?? null);
    const W = prep.outWidth;
    const H = prep.outHeight;
    const fi = movie.info.frameIntervalS ?? null;
    const labelsOut = p.setup.exportLabelledMasks
      ? await HyperstackWriter.create(path.join(p.outputDir, `${name}_labels.tif`), {
          width: W,
          height: H,
          dtype: 'uint16',
          frames: frames.length,
          frameIntervalS: fi,
          pixelSizeUm: movie.info.pixelSizeUm,
          compression: 'deflate',
        })
      : null;
    const restoredOut = p.setup.exportRestored
      ? await HyperstackWriter.create(path.join(p.outputDir, `${name}_restored.tif`), {
          width: W,
          height: H,
          dtype: 'float32',
          channels: 2,
          frames: frames.length,
          frameIntervalS: fi,
          pixelSizeUm: movie.info.pixelSizeUm,
        })
      : null;
    for (const w of [labelsOut, restoredOut]) if (w) writers.push(w);

    const records: FrameRecord[] = [];
    const hull = new ConvexAreaCounter();
    const scratch = new Float32Array(W * H);
    let labelOffset = 0;
    let perFrameLabels = false;
    for (let k = 0; k < frames.length; k++) {
      const t = frames[k];
      deps.signal.throwIfAborted();
      const bfPlane = await movie.readPlane({ t, c: p.setup.referenceChannel }, deps.signal);
      const flPlane = await movie.readPlane({ t, c: p.setup.piChannel }, deps.signal);
      const bf = prep.prepare(toFloat32(bfPlane.data), k, 'brightfield', true);
      const fl = prep.prepare(toFloat32(flPlane.data), k, 'fluorescence', true);
      let bfR = bf;
      let flR = fl;
      if (p.setup.focusCorrection) {
        bfR = await reserve(
          'bf_focus',
          t,
          async () =>
            (
              await restoreFrame(
                { data: bf, height: H, width: W },
                models.bf!,
                restoreOptions(p.models.bf_focus!, false, deps.signal),
              )
            ).restored.data,
        );
        flR = await reserve(
          'fl_focus',
          t,
          async () =>
            (
              await restoreFrame(
                { data: fl, height: H, width: W },
                models.fl!,
                restoreOptions(p.models.fl_focus!, true, deps.signal),
              )
            ).restored.data,
        );
      }
      const seg = await models.segmenter(bfR, W, H, t, reserve, deps.signal);
      const measurements = await timed('measure', async () =>
        measureFrame(seg.labels, flR, W, H, { frame: t, channel: p.setup.piChannel, hull }),
      );
      const background = backgroundLevel(flR, seg.labels, W, H, { scratch });
      const rel = relativeIntensities(measurements, background, t);
      if (rel.warning) warn(rel.warning);
      const objectClass = Array.from(measurements.label, (l) => seg.classOf(l).name);
      const classProb = Float32Array.from(measurements.label, (l) => seg.classOf(l).confidence);
      if (!models.perFrameLabels && labelOffset + seg.count > 65535 && !perFrameLabels) {
        perFrameLabels = true;
        warn(
          'more than 65535 objects in the movie: from here on the labels TIFF holds per-frame ids (the CSV keeps movie-unique labels)',
        );
      }
      if (labelsOut)
        await labelsOut.writePlane(
          offsetLabels(seg.labels, perFrameLabels || models.perFrameLabels ? 0 : labelOffset),
        );
      if (restoredOut) {
        await restoredOut.writePlane(bfR);
        await restoredOut.writePlane(flR);
      }
      records.push({
        frame: t,
        labelOffset: models.perFrameLabels ? 0 : labelOffset,
        measurements,
        background,
        rel,
        objectClass,
        classProb,
      });
      labelOffset += seg.count;
      deps.progress({ movie: name, stage: 'frames', done: k + 1, total: frames.length });
    }
    const table = joinFrames(records);
    const result = await timed('finish', () =>
      finishMovie(p, table, {
        name,
        frameTimesS: movie.info.frameTimestampsS,
        frames,
        piRunner: models.pi,
        warn,
        writers,
        deps,
        runFacts: () => ({
          execution_provider: provider,
          timings_ms: roundTimings(timings),
          warnings,
          pixel_size_um: pixelSizeUm,
          aligned: drift !== null,
          crop: drift?.crop ?? null,
        }),
      }),
    );
    writers.length = 0; // closed by finishMovie
    return { ...result, timings_ms: roundTimings(timings), warnings, provider };
  } catch (err) {
    for (const w of writers) await w.abort().catch(() => undefined);
    throw err;
  } finally {
    await movie.close();
  }
}

function offsetLabels(labels: Uint16Array | Uint32Array | Int32Array, offset: number): Uint16Array {
  const out = new Uint16Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === 0 ? 0 : Math.min(65535, labels[i] + offset);
  return out;
}

function roundTimings(t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)]));
}

interface LoadedModels {
  bf?: WindowPredictor;
  fl?: WindowPredictor;
  segmenter: FrameSegmenter;
  /** ASCT_scsegm numbers objects 1..N per frame (HiTMicTools' key is (frame, label)); the UNet path per movie. */
  perFrameLabels: boolean;
  pi: ModelRunner;
  provider: string;
}

async function loadModels(
  p: MovieJobParams,
  deps: MovieJobDeps,
  warn: (m: string) => void,
): Promise<LoadedModels> {
  const need = (key: keyof MovieJobParams['models']) => {
    const m = p.models[key];
    if (!m) throw new MovieJobError(`${p.pipeline} needs the '${key}' model, which the plan lacks`, p.movie);
    return m;
  };
  const load = async (key: keyof MovieJobParams['models']) => {
    const r = await deps.loadRunner(need(key));
    r.warnings.forEach(warn);
    return r;
  };
  const sc = p.pipeline === 'ASCT_scsegm';
  const first = await load(sc ? 'sc_segmenter' : 'segmentation');
  const segmenter = sc
    ? scSegmenter(p, first.runner)
    : unetAndClassifier(p, first.runner, (await load('cell_classifier')).runner);
  const pi = await load('pi_classification');
  const out: LoadedModels = { segmenter, perFrameLabels: sc, pi: pi.runner, provider: first.provider };
  if (p.setup.focusCorrection) {
    out.bf = predictorFromRunner((await load('bf_focus')).runner);
    out.fl = predictorFromRunner((await load('fl_focus')).runner);
  }
  return out;
}

import { ConvexAreaCounter, planBackgroundCorrection, type CropBox, type Shift } from '../../analysis';
import { openMovie, type Movie } from '../../io';
import type { ModelKey } from '../../../src-shared/collections';
import { bookingDeviceFor } from '../../../src-shared/config';
import { TEST_MODE_MAX_FRAMES } from '../../../src-shared/api';
import { describeRegistration } from '../../../src-shared/results';
import { estimateMovieDrift, FramePrep, toFloat32, type ChannelKind } from '../frame-prep';
import { MovieJobError } from '../job-types';
import { memoryRemedies } from '../out-of-memory';
import type { LoadedModel } from '../segmenters';
import { bookingCapacityGb, createStageBooker, type StageBooker } from '../stage-booking';
import { fileSha256, movieIdentity } from './file-identity';
import { frameStages, type FrameContext } from './frame-stages';
import { sizeOfValue } from './stage-cache';
import { testModeKeys, type KeyFacts, type StageKeys } from './stage-keys';
import { StageRun } from './stage-run';
import { assembleOutput } from './test-mode-output';
import { TEST_MODE_PIPELINES, type TestModeDeps, type TestModeOutput, type TestModeParams } from './types';

/** Pixel size the 20 µm background blur assumes when the movie does not say (as the movie job). */
const DEFAULT_PIXEL_SIZE_UM = 1.0;

/**
 * The whole pipeline of a config on a few frames of a movie, as `hitmic run --frames A:B` computes
 * it (alignment and BaSiC over those frames, the same frame chain, tracking over them), through the
 * worker's stage cache: every stage's output is looked up by its key (stage-keys.ts) and computed
 * only when absent. Every model step books its memory, as in a run. Returns the shown frame's
 * images and objects, every object's track, and what each stage did.
 */
export async function runTestMode(p: TestModeParams, deps: TestModeDeps): Promise<TestModeOutput> {
  const { signal } = deps;
  if (!(TEST_MODE_PIPELINES as readonly string[]).includes(p.pipeline))
    throw new MovieJobError(
      `test mode runs ${TEST_MODE_PIPELINES.join(' and ')}, not ${p.pipeline}; try other pipelines with hitmic run --frames`,
      p.movie,
    );
  const movie = await openMovie(p.movie);
  try {
    const frames = rangeOf(p, movie);
    const k0 = frames.indexOf(p.show);
    if (k0 < 0)
      throw new MovieJobError(
        `frame ${p.show} is not in the test-mode range ${frames[0]}–${frames[frames.length - 1]}`,
        p.movie,
      );
    const warnings: string[] = [];
    const warn = (m: string) => {
      if (!warnings.includes(m)) warnings.push(m);
    };
    const keys = testModeKeys(await keyFacts(p, frames));
    const run = new StageRun(deps.cache, signal);
    const { x: W0, y: H0 } = movie.info.shape;
    const pixelSizeUm = movie.info.pixelSizeUm ?? DEFAULT_PIXEL_SIZE_UM;
    if (movie.info.pixelSizeUm === null)
      warn(`no pixel size in the file; the 20 µm background blur assumes ${DEFAULT_PIXEL_SIZE_UM} µm/px`);
    const bg = planBackgroundCorrection(p.setup.method);
    if (bg.warning) warn(bg.warning);

    const alignment = () =>
      run.value(
        'align',
        keys.align,
        async () => undefined,
        () =>
          p.setup.alignFrames
            ? estimateMovieDrift(movie, p.setup.referenceChannel, frames, signal)
            : Promise.resolve(null),
        (v) => sizeOfValue(v),
      );
    if (!p.setup.alignFrames) run.off('align', 'align_frames is off');
    const prep = (kind: ChannelKind) =>
      run.value(
        'background',
        kind === 'brightfield' ? keys.background_bf : keys.background_fl,
        alignment,
        (drift) => prepareChannel(movie, kind, drift, { p, frames, pixelSizeUm, bg, warn, signal }),
        (fp) =>
          fp.width * fp.height * 4 + (fp.correction(kind) === 'basic' ? fp.outWidth * fp.outHeight * 4 : 0),
      );

    const drift = await alignment();
    const registration = describeRegistration({
      movieSize: { width: W0, height: H0 },
      analysisSize: { width: drift?.crop.width ?? W0, height: drift?.crop.height ?? H0 },
      frames,
      alignment: drift,
    });
    const models = modelLoader(p, deps, warn);
    const ctx: FrameContext = {
      run,
      movie,
      signal,
      book: booker(p, () => models.device, W0, H0, signal),
      width: registration.analysisSize!.width,
      height: registration.analysisSize!.height,
      referenceChannel: p.setup.referenceChannel,
      piChannel: p.setup.piChannel,
      focusCorrection: p.setup.focusCorrection,
      scsegm: p.pipeline === 'ASCT_scsegm',
      scBatchSize: p.setup.scBatchSize,
      prep,
      model: models.load,
      hull: new ConvexAreaCounter(),
    };
    describeStages(run, p, keys, k0);

    const perFrame = [];
    for (let k = 0; k < frames.length; k++) {
      signal.throwIfAborted();
      const f = frameStages(ctx, k, frames[k], keys.frames[k]);
      const measured = await f.measured();
      if (measured.rel.warning) warn(measured.rel.warning);
      perFrame.push({ t: frames[k], measured, classified: await f.classified(), pi: await f.pi() });
    }
    const shown = frameStages(ctx, k0, p.show, keys.frames[k0]);
    return await assembleOutput({
      p,
      run,
      keys,
      frames,
      perFrame,
      shown,
      registration,
      cache: deps.cache,
      warn,
      warnings,
      provider: () => models.provider,
      log: deps.log,
    });
  } finally {
    await movie.close();
  }
}

/** Frames [start, end) of the params within the movie, at most TEST_MODE_MAX_FRAMES; channels checked. */
function rangeOf(p: TestModeParams, movie: Movie): number[] {
  const { t: T, c: C } = movie.info.shape;
  for (const [what, ch] of [
    ['reference_channel', p.setup.referenceChannel],
    ['pi_channel', p.setup.piChannel],
  ] as const)
    if (ch >= C)
      throw new MovieJobError(
        `${what} is ${ch} but the movie has ${C} channel(s) (0–${C - 1}); set pipeline_setup.${what} to one of them.`,
        p.movie,
      );
  const [a, b] = p.frames;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b <= a || a >= T)
    throw new MovieJobError(`frames ${a}:${b} are not a range of the movie's frames 0–${T - 1}`, p.movie);
  if (b - a > TEST_MODE_MAX_FRAMES)
    throw new MovieJobError(
      `test mode runs at most ${TEST_MODE_MAX_FRAMES} frames, asked ${b - a}; analyse longer ranges with hitmic run --frames`,
      p.movie,
    );
  return Array.from({ length: Math.min(b, T) - a }, (_, i) => a + i);
}

/** The facts keys are made of: the movie file, the models' settings and file hashes, the tracker config. */
async function keyFacts(p: TestModeParams, frames: number[]): Promise<KeyFacts> {
  const models: KeyFacts['models'] = {};
  const keyed = [
    'bf_focus',
    'fl_focus',
    'segmentation',
    'cell_classifier',
    'sc_segmenter',
    'pi_classification',
  ] as const;
  for (const k of keyed) {
    const plan = p.models[k];
    if (plan)
      models[k] = {
        settings: { inferer: plan.infererArgs, model: plan.modelArgs, metadata: plan.metadata },
        sha: await fileSha256(plan.weights),
      };
  }
  const tracker = p.tracking?.trackerConfig;
  return {
    movie: await movieIdentity(p.movie),
    frames,
    pipeline: p.pipeline,
    setup: p.setup,
    models,
    tracking: p.tracking
      ? {
          section: p.tracking.section,
          trackerSha: tracker ? await fileSha256(tracker).catch(() => null) : null,
        }
      : null,
  };
}

/** A channel's alignment and background correction over the range (BaSiC fitted on its aligned frames). */
async function prepareChannel(
  movie: Movie,
  kind: ChannelKind,
  drift: { shifts: Shift[]; crop: CropBox } | null,
  o: {
    p: TestModeParams;
    frames: number[];
    pixelSizeUm: number;
    bg: ReturnType<typeof planBackgroundCorrection>;
    warn(m: string): void;
    signal: AbortSignal;
  },
): Promise<FramePrep> {
  const { x: W, y: H } = movie.info.shape;
  const fp = new FramePrep(W, H, o.pixelSizeUm, drift?.shifts ?? null, drift?.crop ?? null, o.bg);
  if (fp.correction(kind) === 'basic') {
    const c = kind === 'brightfield' ? o.p.setup.referenceChannel : o.p.setup.piChannel;
    const fit = await fp.fitBasic(kind, o.frames.length, async (k) => {
      o.signal.throwIfAborted();
      return toFloat32((await movie.readPlane({ t: o.frames[k], c }, o.signal)).data);
    });
    if (!fit.converged || !fit.reweightConverged)
      o.warn(`BaSiC on the ${kind} channel stopped at its iteration limit before converging`);
  }
  return fp;
}

/** Loads the plan's models once per run, on the provider asked; bookings follow the device they landed on. */
function modelLoader(p: TestModeParams, deps: TestModeDeps, warn: (m: string) => void) {
  const loaded = new Map<ModelKey, Promise<LoadedModel>>();
  const state = {
    provider: 'cpu',
    device: p.booking.device,
    load(key: ModelKey): Promise<LoadedModel> {
      if (!loaded.has(key)) {
        const plan = p.models[key];
        if (!plan)
          throw new MovieJobError(`${p.pipeline} needs the '${key}' model, which the plan lacks`, p.movie);
        loaded.set(
          key,
          deps.loadRunner(plan).then((r) => {
            state.provider = r.provider;
            state.device = bookingDeviceFor(r.provider, p.compute.deviceId);
            r.warnings.forEach(warn);
            return { plan, runner: r.runner };
          }),
        );
      }
      return loaded.get(key)!;
    },
  };
  return state;
}

/** Every model step under its stage's memory booking, on the device the models run on. */
function booker(
  p: TestModeParams,
  device: () => string,
  W: number,
  H: number,
  signal: AbortSignal,
): StageBooker {
  const capacity = new Map<string, number>();
  return async (model, work) => {
    const plan = { ...p.booking, device: device() };
    const gb = capacity.get(plan.device) ?? (await bookingCapacityGb(plan));
    capacity.set(plan.device, gb);
    return createStageBooker(gb, {
      plan,
      signal,
      describe: (stage) => `${stage} of test mode on ${p.movie}`,
      remedies: (key) => memoryRemedies(key, { plan: p.models[key], width: W, height: H }),
    })(model, work);
  };
}

/** The lines each stage's report carries: which model, or why it is off; the shown frame's keys. */
function describeStages(run: StageRun, p: TestModeParams, keys: StageKeys, k0: number): void {
  const fk = keys.frames[k0];
  run.showKey('align', keys.align);
  run.showKey('background', fk.prepared_bf);
  for (const s of [
    'bf_focus',
    'fl_focus',
    'segmentation',
    'cell_classifier',
    'measure',
    'pi_classification',
  ] as const)
    run.showKey(s, fk[s]);
  run.showKey('tracking', keys.tracking);
  if (!p.setup.focusCorrection) {
    run.off('bf_focus', 'focus_correction is off');
    run.off('fl_focus', 'focus_correction is off');
  }
  if (p.pipeline === 'ASCT_scsegm') {
    run.note('segmentation', 'sc_segmenter');
    run.off('cell_classifier', 'the instance segmenter gives the classes');
  }
  if (!p.setup.tracking || !p.tracking) run.off('tracking', 'tracking is off');
  run.note('background', planBackgroundCorrection(p.setup.method).requested);
}

import { ConvexAreaCounter, type FrameMeasurements, type RelativeIntensities } from '../../analysis';
import { classifyPi } from '../../inference';
import { toFloat32, type ChannelKind, type FramePrep } from '../frame-prep';
import { chainRestorer, measureObjects, restoreChannel, type ChainRestorer } from '../frame-chain';
import { piFeatureList } from '../model-settings';
import {
  classifyObjects,
  scSegmenter,
  unetSegmenter,
  type FrameObjects,
  type LoadedModel,
} from '../segmenters';
import type { StageBooker } from '../stage-booking';
import type { Movie } from '../../io';
import type { FrameKeys } from './stage-keys';
import { sizeOfValue } from './stage-cache';
import type { StageRun } from './stage-run';

/** What a frame's stages share with the run: the movie, the models, the range's corrections. */
export interface FrameContext {
  run: StageRun;
  movie: Movie;
  signal: AbortSignal;
  book: StageBooker;
  /** The analysis frame's size (the aligned crop). */
  width: number;
  height: number;
  referenceChannel: number;
  piChannel: number;
  focusCorrection: boolean;
  /** ASCT_scsegm: the instance segmenter gives objects and classes. */
  scsegm: boolean;
  scBatchSize?: number;
  /** The range's alignment and background correction of a channel (cached by the caller). */
  prep(kind: ChannelKind): Promise<FramePrep>;
  /** Loads a model of the plan once per run. */
  model(
    key: 'bf_focus' | 'fl_focus' | 'segmentation' | 'cell_classifier' | 'sc_segmenter' | 'pi_classification',
  ): Promise<LoadedModel>;
  /** Scratch reused by the measure step across frames. */
  hull: ConvexAreaCounter;
}

export interface Measured {
  measurements: FrameMeasurements;
  background: number;
  rel: RelativeIntensities;
}

export interface PiResult {
  piClass: string[];
  probability: Float32Array;
}

/** The stages of one analysed frame, each computed when first asked for (or taken from the cache). */
export interface FrameStages {
  t: number;
  preparedBf(): Promise<Float32Array>;
  preparedFl(): Promise<Float32Array>;
  restoredBf(): Promise<Float32Array>;
  restoredFl(): Promise<Float32Array>;
  objects(): Promise<FrameObjects>;
  classified(): Promise<FrameObjects>;
  measured(): Promise<Measured>;
  pi(): Promise<PiResult>;
}

const bytesOf = (a: ArrayBufferView) => a.byteLength;

/**
 * Frame `k` of the range (movie frame `t`), as the movie job's frame loop computes it — prepare
 * (align, correct background) → restore → segment → classify → measure → PI — but stage by stage
 * through the cache, so only the stages whose keys changed run again.
 */
export function frameStages(ctx: FrameContext, k: number, t: number, keys: FrameKeys): FrameStages {
  const { run, width: W, height: H, signal } = ctx;
  const read = async (c: number) => toFloat32((await ctx.movie.readPlane({ t, c }, signal)).data);
  const prepared = (kind: ChannelKind, key: string, channel: number) => () =>
    run.value(
      'background',
      key,
      async () => ({ prep: await ctx.prep(kind), raw: await read(channel) }),
      ({ prep, raw }) => prep.prepare(raw, k, kind, true),
      bytesOf,
    );
  const preparedBf = prepared('brightfield', keys.prepared_bf, ctx.referenceChannel);
  const preparedFl = prepared('fluorescence', keys.prepared_fl, ctx.piChannel);

  const restorers = new Map<string, Promise<ChainRestorer>>();
  const restorer = (stage: 'bf_focus' | 'fl_focus') => {
    if (!restorers.has(stage)) restorers.set(stage, ctx.model(stage).then(chainRestorer));
    return restorers.get(stage)!;
  };
  const restored = (stage: 'bf_focus' | 'fl_focus', key: string, input: () => Promise<Float32Array>) => () =>
    ctx.focusCorrection
      ? run.value(
          stage,
          key,
          async () => ({ data: await input(), r: await restorer(stage) }),
          ({ data, r }) => restoreChannel(stage, r, data, W, H, ctx.book, signal),
          bytesOf,
        )
      : input();
  const restoredBf = restored('bf_focus', keys.bf_focus, preparedBf);
  const restoredFl = restored('fl_focus', keys.fl_focus, preparedFl);

  const objects = () =>
    run.value(
      'segmentation',
      keys.segmentation,
      async () => ({
        bf: await restoredBf(),
        segment: ctx.scsegm
          ? scSegmenter(await ctx.model('sc_segmenter'), ctx.scBatchSize)
          : unetSegmenter(await ctx.model('segmentation'), { probability: true }),
      }),
      ({ bf, segment }) => segment(bf, W, H, ctx.book, signal),
      (o) => o.labels.byteLength + (o.probability?.byteLength ?? 0),
    );

  const classified = () =>
    ctx.scsegm
      ? objects()
      : run.value(
          'cell_classifier',
          keys.cell_classifier,
          async () => ({
            o: await objects(),
            bf: await restoredBf(),
            model: await ctx.model('cell_classifier'),
          }),
          ({ o, bf, model }) => classifyObjects(o, bf, W, H, model, ctx.book),
          // The labels are the segmentation's (counted there); the classes are this stage's.
          (o) => sizeOfValue(o.classification),
        );

  const measured = () =>
    run.value(
      'measure',
      keys.measure,
      async () => ({ o: await objects(), fl: await restoredFl() }),
      ({ o, fl }): Measured =>
        measureObjects(
          o.labels,
          fl,
          { t, width: W, height: H },
          {
            on: 'fluorescence',
            channel: ctx.piChannel,
            hull: ctx.hull,
          },
        ),
      (m) => sizeOfValue(m.measurements) + sizeOfValue(m.rel),
    );

  const pi = () =>
    run.value(
      'pi_classification',
      keys.pi_classification,
      async () => ({ m: await measured(), model: await ctx.model('pi_classification') }),
      async ({ m, model }): Promise<PiResult> => {
        const n = m.measurements.label.length;
        if (n === 0) return { piClass: [], probability: new Float32Array(0) };
        // The columns the movie job gives the PI classifier (its table less the classes).
        const features: Record<string, ArrayLike<number>> = {
          ...m.measurements,
          background: new Float64Array(n).fill(m.background),
          rel_max_intensity: m.rel.rel_max_intensity,
          rel_min_intensity: m.rel.rel_min_intensity,
          rel_mean_intensity: m.rel.rel_mean_intensity,
        };
        return ctx.book('pi_classification', () =>
          classifyPi(features, model.runner, piFeatureList(model.plan)),
        );
      },
      (r) => sizeOfValue(r),
    );

  return { t, preparedBf, preparedFl, restoredBf, restoredFl, objects, classified, measured, pi };
}

import type { ModelKey } from '../../src-shared/collections';
import type { ModelPlan } from '../collections';
import { classifyPi, detectOutOfFocus, type ModelRunner } from '../inference';
import { openMovie } from '../io';
import {
  chainRestorer,
  runFrameChain,
  type ChainFrame,
  type ChainModels,
  type MeasureStep,
} from './frame-chain';
import { toFloat32 } from './frame-prep';
import { detectorOptions, piFeatureList } from './model-settings';
import { memoryRemedies } from './out-of-memory';
import { scSegmenter, unetSegmenter, type LoadedModel } from './segmenters';
import { bookingDeviceFor, type ComputeChoice } from '../../src-shared/config';
import { bookingCapacityGb, createStageBooker, type BookingPlan, type StageBooker } from './stage-booking';

/** One model (with the stages it needs before it) on one frame: `hitmic infer` and the UI's previews. */
export interface InferFrameParams {
  key: ModelKey;
  models: Partial<Record<ModelKey, ModelPlan>>;
  movie: string;
  frame: number;
  /** Channel the model reads: default the reference channel for BF models, the PI channel for FL ones. */
  channel?: number;
  referenceChannel?: number;
  piChannel?: number;
  /** Also return the restored bright field that segmentation read, as image 'restored' (the Viewer's previews). */
  returnRestored?: boolean;
  /** How much the model stages book (every session runs under a booking); the device is the one used. */
  booking: BookingPlan;
  /** Where the models run; default auto. */
  compute?: ComputeChoice;
}

export type Column = string[] | Float64Array | Float32Array | Int32Array;

export interface InferFrameResult {
  key: ModelKey;
  width: number;
  height: number;
  /** Image outputs (restored frame, probability, labels). */
  images: { name: string; dtype: 'float32' | 'uint16'; data: Float32Array | Uint16Array }[];
  /** Table outputs (classes, PI, detections), column-wise. */
  table?: Record<string, Column>;
  timingsMs: Record<string, number>;
  provider: string;
}

export type RunnerLoader = (plan: ModelPlan) => Promise<{ runner: ModelRunner; provider: string }>;

/**
 * What each model key runs on one frame. Restorers read their channel and stop; object models
 * read the bright field, restore it when the collection has a BF restorer, and find the objects
 * (pi_classification then measures them on the — restored — PI channel); the out-of-focus
 * detector reads the raw frame (as HiTMicTools feeds it).
 */
const RECIPES: Record<ModelKey, 'restore' | 'objects' | 'detect'> = {
  bf_focus: 'restore',
  fl_focus: 'restore',
  segmentation: 'objects',
  cell_classifier: 'objects',
  pi_classification: 'objects',
  sc_segmenter: 'objects',
  oof_detector: 'detect',
};

export async function inferFrame(
  p: InferFrameParams,
  loadRunner: RunnerLoader,
  signal?: AbortSignal,
): Promise<InferFrameResult> {
  const need = (k: ModelKey) => {
    const m = p.models[k];
    if (!m) throw new Error(`the collection has no '${k}' model, which '${p.key}' needs`);
    return m;
  };
  let provider = 'cpu';
  // Bookings follow the device the models actually run on, known once the first one is loaded.
  const compute = p.compute ?? { provider: 'auto', deviceId: 0, requested: 'auto' };
  const booking: BookingPlan = { ...p.booking };
  const load = async (k: ModelKey): Promise<LoadedModel> => {
    const plan = need(k);
    const r = await loadRunner(plan);
    provider = r.provider;
    booking.device = bookingDeviceFor(provider, compute.deviceId);
    return { plan, runner: r.runner };
  };
  const ref = p.referenceChannel ?? 0;
  const pi = p.piChannel ?? 1;
  const timings: Record<string, number> = {};
  const movie = await openMovie(p.movie);
  try {
    const { x: W, y: H, t: T, c: C } = movie.info.shape;
    if (!Number.isInteger(p.frame) || p.frame < 0 || p.frame >= T)
      throw new Error(`frame ${p.frame} is outside the movie (frames 0–${T - 1})`);
    const read = async (c: number) => {
      if (c >= C) throw new Error(`channel ${c} is outside the movie (channels 0–${C - 1})`);
      return toFloat32((await movie.readPlane({ t: p.frame, c }, signal)).data);
    };
    const capacityOf = new Map<string, number>();
    const book: StageBooker = async (model, work) => {
      // The capacity of the device in use, resolved once per device.
      const capacityGb = capacityOf.get(booking.device) ?? (await bookingCapacityGb(booking));
      capacityOf.set(booking.device, capacityGb);
      const booker = createStageBooker(capacityGb, {
        plan: booking,
        signal,
        describe: (stage) => `${stage} of frame ${p.frame} of ${p.movie} (${p.key})`,
        // By model key, as `hitmic infer` and the previews show them.
        onTimed: (_stage, ms, key) => (timings[key] = Math.round((timings[key] ?? 0) + ms)),
        remedies: (key) => memoryRemedies(key, { plan: p.models[key], width: W, height: H }),
        frame: p.frame,
      });
      return booker(model, work);
    };
    const out: InferFrameResult = {
      key: p.key,
      width: W,
      height: H,
      images: [],
      timingsMs: timings,
      provider,
    };
    const frame: ChainFrame = { t: p.frame, width: W, height: H };
    const models: ChainModels = {};
    const recipe = RECIPES[p.key];

    if (recipe === 'restore') {
      const fl = p.key === 'fl_focus';
      const data = await read(p.channel ?? (fl ? pi : ref));
      const restorer = chainRestorer(await load(p.key));
      const r = await runFrameChain(
        fl ? { ...frame, fluorescence: data } : { ...frame, brightfield: data },
        fl ? { flFocus: restorer } : { bfFocus: restorer },
        {},
        { book, signal },
      );
      out.images.push({ name: 'restored', dtype: 'float32', data: (fl ? r.fluorescence : r.brightfield)! });
    } else if (recipe === 'detect') {
      const data = await read(p.channel ?? ref);
      const detector = await load('oof_detector');
      const r = await book('oof_detector', () =>
        detectOutOfFocus({ data, height: H, width: W }, detector.runner, detectorOptions(detector.plan)),
      );
      const b = (i: number) => Float32Array.from({ length: r.count }, (_, k) => r.boxes[k * 4 + i]);
      out.table = { x1: b(0), y1: b(1), x2: b(2), y2: b(3), class_id: r.classIds, score: r.scores };
    } else {
      frame.brightfield = await read(p.channel ?? ref);
      if (p.models.bf_focus) models.bfFocus = chainRestorer(await load('bf_focus'));
      models.segmenter =
        p.key === 'sc_segmenter'
          ? scSegmenter(await load('sc_segmenter'))
          : unetSegmenter(await load('segmentation'), {
              probability: true,
              classifier: p.key === 'cell_classifier' ? await load('cell_classifier') : undefined,
            });
      let measure: MeasureStep | undefined;
      if (p.key === 'pi_classification') {
        frame.fluorescence = await read(pi);
        if (p.models.fl_focus) models.flFocus = chainRestorer(await load('fl_focus'));
        measure = { on: 'fluorescence', channel: pi };
      }
      const r = await runFrameChain(frame, models, { measure }, { book, signal });
      const objects = r.objects!;
      if (objects.probability)
        out.images.push({ name: 'probability', dtype: 'float32', data: objects.probability });
      out.images.push({ name: 'labels', dtype: 'uint16', data: Uint16Array.from(objects.labels) });
      if (p.returnRestored && models.bfFocus)
        out.images.push({ name: 'restored', dtype: 'float32', data: r.brightfield! });
      const cls = objects.classification;
      if (cls)
        out.table = {
          label: Int32Array.from(cls.labels),
          object_class: cls.className,
          class_prob: cls.confidence,
        };
      if (p.key === 'pi_classification') {
        const m = r.measurements!;
        const rel = r.rel!;
        const features: Record<string, ArrayLike<number>> = {
          ...m,
          rel_max_intensity: rel.rel_max_intensity,
          rel_min_intensity: rel.rel_min_intensity,
          rel_mean_intensity: rel.rel_mean_intensity,
        };
        const piModel = await load('pi_classification');
        const c = await book('pi_classification', () =>
          classifyPi(features, piModel.runner, piFeatureList(piModel.plan)),
        );
        out.table = {
          label: Int32Array.from(m.label),
          mean_intensity: m.mean_intensity,
          rel_mean_intensity: rel.rel_mean_intensity,
          pi_class: c.piClass,
          pi_prob: c.probability,
        };
      }
    }
    out.provider = provider;
    return out;
  } finally {
    await movie.close();
  }
}

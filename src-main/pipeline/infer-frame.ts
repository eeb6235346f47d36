import type { ModelKey } from '../../src-shared/collections/model-keys';
import { backgroundLevel, measureFrame, relativeIntensities } from '../analysis';
import {
  classifyCells,
  classifyPi,
  detectOutOfFocus,
  predictorFromRunner,
  restoreFrame,
  scSegmentFrame,
  segmentFrame,
  type ModelRunner,
} from '../inference';
import { openMovie } from '../io';
import { toFloat32 } from './frame-prep';
import { classifierOptions, piFeatureList, restoreOptions, segmentOptions } from './model-settings';
import type { ModelPlan } from '../collections/model-plan';

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

type Loader = (plan: ModelPlan) => Promise<{ runner: ModelRunner; provider: string }>;

export async function inferFrame(
  p: InferFrameParams,
  load: Loader,
  signal?: AbortSignal,
): Promise<InferFrameResult> {
  const need = (k: ModelKey) => {
    const m = p.models[k];
    if (!m) throw new Error(`the collection has no '${k}' model, which '${p.key}' needs`);
    return m;
  };
  const ref = p.referenceChannel ?? 0;
  const pi = p.piChannel ?? 1;
  const timings: Record<string, number> = {};
  let provider = 'cpu';
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };
  const runner = async (k: ModelKey) => {
    const r = await load(need(k));
    provider = r.provider;
    return r.runner;
  };
  const movie = await openMovie(p.movie);
  try {
    const { x: W, y: H, t: T, c: C } = movie.info.shape;
    if (!Number.isInteger(p.frame) || p.frame < 0 || p.frame >= T)
      throw new Error(`frame ${p.frame} is outside the movie (frames 0–${T - 1})`);
    const read = async (c: number) => {
      if (c >= C) throw new Error(`channel ${c} is outside the movie (channels 0–${C - 1})`);
      return toFloat32((await movie.readPlane({ t: p.frame, c }, signal)).data);
    };
    const frame = (data: Float32Array) => ({ data, height: H, width: W });
    const restoreBf = async () =>
      (
        await restoreFrame(
          frame(await read(p.channel ?? ref)),
          predictorFromRunner(await runner('bf_focus')),
          restoreOptions(need('bf_focus'), false, signal),
        )
      ).restored.data;
    const out: InferFrameResult = {
      key: p.key,
      width: W,
      height: H,
      images: [],
      timingsMs: timings,
      provider,
    };
    if (p.key === 'bf_focus' || p.key === 'fl_focus') {
      const ch = p.channel ?? (p.key === 'bf_focus' ? ref : pi);
      const r = await timed(p.key, async () =>
        restoreFrame(
          frame(await read(ch)),
          predictorFromRunner(await runner(p.key)),
          restoreOptions(need(p.key), p.key === 'fl_focus', signal),
        ),
      );
      out.images.push({ name: 'restored', dtype: 'float32', data: r.restored.data });
    } else if (p.key === 'segmentation' || p.key === 'cell_classifier' || p.key === 'pi_classification') {
      const bf = p.models.bf_focus ? await timed('bf_focus', restoreBf) : await read(p.channel ?? ref);
      const seg = await timed('segmentation', async () =>
        segmentFrame(
          frame(bf),
          predictorFromRunner(await runner('segmentation')),
          segmentOptions(need('segmentation'), 20, signal),
        ),
      );
      out.images.push(
        { name: 'probability', dtype: 'float32', data: seg.probability!.data },
        { name: 'labels', dtype: 'uint16', data: Uint16Array.from(seg.labels) },
      );
      if (p.returnRestored && p.models.bf_focus)
        out.images.push({ name: 'restored', dtype: 'float32', data: bf });
      if (p.key === 'cell_classifier') {
        const cls = await timed('cell_classifier', async () =>
          classifyCells(
            seg.labels,
            bf,
            H,
            W,
            await runner('cell_classifier'),
            classifierOptions(need('cell_classifier')),
          ),
        );
        out.table = {
          label: Int32Array.from(cls.labels),
          object_class: cls.className,
          class_prob: cls.confidence,
        };
      }
      if (p.key === 'pi_classification') {
        const fl = p.models.fl_focus
          ? (
              await restoreFrame(
                frame(await read(pi)),
                predictorFromRunner(await runner('fl_focus')),
                restoreOptions(need('fl_focus'), true, signal),
              )
            ).restored.data
          : await read(pi);
        const m = measureFrame(seg.labels, fl, W, H, { frame: p.frame, channel: pi });
        const rel = relativeIntensities(m, backgroundLevel(fl, seg.labels, W, H));
        const features: Record<string, ArrayLike<number>> = {
          ...m,
          rel_max_intensity: rel.rel_max_intensity,
          rel_min_intensity: rel.rel_min_intensity,
          rel_mean_intensity: rel.rel_mean_intensity,
        };
        const r = await timed('pi_classification', async () =>
          classifyPi(features, await runner('pi_classification'), piFeatureList(need('pi_classification'))),
        );
        out.table = {
          label: Int32Array.from(m.label),
          mean_intensity: m.mean_intensity,
          rel_mean_intensity: rel.rel_mean_intensity,
          pi_class: r.piClass,
          pi_prob: r.probability,
        };
      }
    } else if (p.key === 'oof_detector') {
      const plan = need('oof_detector');
      const a = plan.infererArgs;
      // Our demo detector normalises inside its graph and says so in its metadata `input` text.
      const imagenetInside = /normali[sz]ation is applied inside the graph/i.test(
        JSON.stringify(plan.metadata ?? {}),
      );
      const r = await timed('oof_detector', async () =>
        detectOutOfFocus(frame(await read(p.channel ?? ref)), await runner('oof_detector'), {
          patchSize: typeof a.patch_size === 'number' ? a.patch_size : undefined,
          overlap: typeof a.overlap_ratio === 'number' ? a.overlap_ratio : undefined,
          scoreThreshold: typeof a.score_threshold === 'number' ? a.score_threshold : undefined,
          nmsIou: typeof a.nms_iou === 'number' ? a.nms_iou : undefined,
          imagenetNormalize: !imagenetInside,
        }),
      );
      const b = (i: number) => Float32Array.from({ length: r.count }, (_, k) => r.boxes[k * 4 + i]);
      out.table = { x1: b(0), y1: b(1), x2: b(2), y2: b(3), class_id: r.classIds, score: r.scores };
    } else if (p.key === 'sc_segmenter') {
      const r = await timed('sc_segmenter', async () =>
        scSegmentFrame(frame(await read(p.channel ?? ref)), await runner('sc_segmenter')),
      );
      out.images.push({ name: 'labels', dtype: 'uint16', data: Uint16Array.from(r.labels) });
    }
    out.provider = provider;
    return out;
  } finally {
    await movie.close();
  }
}

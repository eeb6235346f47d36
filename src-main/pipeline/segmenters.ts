import {
  classifyCells,
  predictorFromRunner,
  scSegmentFrame,
  segmentFrame,
  type ModelRunner,
} from '../inference';
import type { Stage } from '../resources/stage-memory';
import type { MovieJobParams } from './job-types';
import { classifierOptions, segmentOptions } from './model-settings';
import type { ModelPlan } from '../collections/model-plan';

/** Objects of one frame: labels, and a class name and confidence per label. */
export interface FrameObjects {
  labels: Uint16Array | Uint32Array | Int32Array;
  count: number;
  classOf(label: number): { name: string; confidence: number };
}

/** Runs a model stage under its memory reservation (see analyse-movie.ts). */
export type Reserve = <R>(stage: Stage, t: number, fn: () => Promise<R>) => Promise<R>;

export type FrameSegmenter = (
  bf: Float32Array,
  width: number,
  height: number,
  t: number,
  reserve: Reserve,
  signal: AbortSignal,
) => Promise<FrameObjects>;

/** HiTMicTools drops UNet objects under 20 px (clean_binmask(min_pixel_size=20)). */
const MIN_OBJECT_PX = 20;

/**
 * ASCT_focusrestore's two steps: MONAI UNet → sigmoid → > 0.5 → 4-connected objects ≥ 20 px,
 * then FlexResNet on masked crops of the restored bright field.
 */
export function unetAndClassifier(
  p: MovieJobParams,
  seg: ModelRunner,
  classifier: ModelRunner,
): FrameSegmenter {
  const predictor = predictorFromRunner(seg);
  return async (bf, W, H, t, reserve, signal) => {
    const s = await reserve('segmentation', t, () =>
      segmentFrame(
        { data: bf, height: H, width: W },
        predictor,
        segmentOptions(p.models.segmentation!, MIN_OBJECT_PX, signal, false),
      ),
    );
    const cls = await reserve('classification', t, () =>
      classifyCells(s.labels, bf, H, W, classifier, classifierOptions(p.models.cell_classifier!)),
    );
    const byLabel = new Map<number, number>();
    cls.labels.forEach((l, i) => byLabel.set(l, i));
    return {
      labels: s.labels,
      count: s.count,
      classOf: (l) => {
        const i = byLabel.get(l);
        return i === undefined
          ? { name: 'unknown', confidence: NaN }
          : { name: cls.className[i], confidence: cls.confidence[i] };
      },
    };
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Class names of an sc_segmenter's `class_dict` ({id: name} or {name: id}); `class_<id>` otherwise. */
export function scClassNames(plan: ModelPlan): (id: number) => string {
  const dict = (plan.infererArgs.class_dict ?? {}) as Record<string, unknown>;
  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(dict)) {
    if (/^\d+$/.test(k) && typeof v === 'string') names.set(Number(k), v);
    else if (typeof v === 'number') names.set(v, k);
  }
  return (id) => names.get(id) ?? `class_${id}`;
}

/**
 * ASCT_scsegm's one step (HiTMicTools §2.6): the DETR-style instance segmenter on the restored
 * bright field clipped to [0, 1] (normalize_to_255 off), labels 1..N per frame, class and
 * detection score per label (label l is detection l − 1).
 */
export function scSegmenter(p: MovieJobParams, runner: ModelRunner): FrameSegmenter {
  const plan = p.models.sc_segmenter!;
  const a = plan.infererArgs;
  const nameOf = scClassNames(plan);
  const imagenetInside = /normali[sz]ation is applied inside the graph/i.test(
    JSON.stringify(plan.metadata ?? {}),
  );
  return async (bf, W, H, t, reserve) => {
    const clipped = Float32Array.from(bf, (v) => (v < 0 ? 0 : v > 1 ? 1 : v));
    const r = await reserve('sc_segmenter', t, () =>
      scSegmentFrame({ data: clipped, height: H, width: W }, runner, {
        patchSize: num(a.patch_size),
        overlap: num(a.overlap_ratio),
        scoreThreshold: num(a.score_threshold),
        nmsIou: num(a.nms_iou),
        clumpMergeMinOverlap: num(a.clump_merge_min_overlap),
        priorityOverlapFraction: num(a.priority_overlap_fraction),
        batchSize: num(p.setup.scBatchSize) ?? num(a.batch_size),
        maskThreshold: num(a.mask_threshold),
        minMaskArea: num(a.min_mask_area),
        normalizeTo255: false,
        imagenetNormalize: !imagenetInside,
      }),
    );
    return {
      labels: r.labels,
      count: r.count,
      classOf: (l) =>
        l >= 1 && l <= r.count
          ? { name: nameOf(r.classIds[l - 1]), confidence: r.scores[l - 1] }
          : { name: 'unknown', confidence: 0 },
    };
  };
}

import type { ModelPlan } from '../collections';
import {
  classifyCells,
  predictorFromRunner,
  scSegmentFrame,
  segmentFrame,
  type CellClassification,
  type ModelRunner,
} from '../inference';
import { classifierOptions, detectorClassNames, scSegmentOptions, segmentOptions } from './model-settings';
import type { StageBooker } from './stage-booking';

/** Objects of one frame: labels, and a class name and confidence per label. */
export interface FrameObjects {
  labels: Uint16Array | Uint32Array | Int32Array;
  count: number;
  /** Foreground probability (H×W), when the segmenter was asked for it. */
  probability?: Float32Array;
  /** The classifier's rows, where a classifier ran. */
  classification?: CellClassification;
  classOf(label: number): { name: string; confidence: number };
}

/**
 * Finds the objects of one (restored) bright-field frame, each model step under its booking.
 * Row-major H×W float32 in; the segmenters below are the pipelines' two kinds.
 */
export type FrameSegmenter = (
  bf: Float32Array,
  width: number,
  height: number,
  book: StageBooker,
  signal?: AbortSignal,
) => Promise<FrameObjects>;

/** A model as a job loaded it: its plan (settings) and its runner. */
export interface LoadedModel {
  plan: ModelPlan;
  runner: ModelRunner;
}

/** HiTMicTools drops UNet objects under 20 px (clean_binmask(min_pixel_size=20)). */
const MIN_OBJECT_PX = 20;

const UNCLASSIFIED = { name: 'unknown', confidence: NaN };

/**
 * ASCT_focusrestore's two steps: MONAI UNet → sigmoid → > 0.5 → 4-connected objects ≥ 20 px,
 * then (when given) FlexResNet on masked crops of the same bright field. `probability: true`
 * also keeps the probability map (the previews and `hitmic infer` show it; the pipeline skips the
 * sigmoid it needs).
 */
export function unetSegmenter(
  segmentation: LoadedModel,
  options: { classifier?: LoadedModel; probability?: boolean } = {},
): FrameSegmenter {
  const predictor = predictorFromRunner(segmentation.runner);
  const { classifier, probability = false } = options;
  return async (bf, W, H, book, signal) => {
    const s = await book('segmentation', () =>
      segmentFrame(
        { data: bf, height: H, width: W },
        predictor,
        segmentOptions(segmentation.plan, MIN_OBJECT_PX, signal, probability),
      ),
    );
    const objects: FrameObjects = {
      labels: s.labels,
      count: s.count,
      probability: s.probability?.data,
      classOf: () => UNCLASSIFIED,
    };
    return classifier ? classifyObjects(objects, bf, W, H, classifier, book) : objects;
  };
}

/**
 * ASCT_focusrestore's second step on objects found without classes: FlexResNet on masked crops
 * of the bright field they were found on, under its booking. Returns the objects with their
 * classes (a new object; the labels are shared).
 */
export async function classifyObjects(
  objects: FrameObjects,
  bf: Float32Array,
  W: number,
  H: number,
  classifier: LoadedModel,
  book: StageBooker,
): Promise<FrameObjects> {
  const cls = await book('cell_classifier', () =>
    classifyCells(objects.labels, bf, H, W, classifier.runner, classifierOptions(classifier.plan)),
  );
  const byLabel = new Map<number, number>();
  cls.labels.forEach((l, i) => byLabel.set(l, i));
  return {
    ...objects,
    classification: cls,
    classOf: (l) => {
      const i = byLabel.get(l);
      return i === undefined ? UNCLASSIFIED : { name: cls.className[i], confidence: cls.confidence[i] };
    },
  };
}

/**
 * ASCT_scsegm's one step (HiTMicTools §2.6): the DETR-style instance segmenter on the restored
 * bright field clipped to [0, 1] (normalize_to_255 off), labels 1..N per frame, class and
 * detection score per label (label l is detection l − 1). `batchSize`:
 * pipeline_setup.sc_segmenter_batch_size.
 */
export function scSegmenter(model: LoadedModel, batchSize?: number): FrameSegmenter {
  const nameOf = detectorClassNames(model.plan, (id) => `class_${id}`);
  const options = scSegmentOptions(model.plan, batchSize);
  return async (bf, W, H, book) => {
    const clipped = Float32Array.from(bf, (v) => (v < 0 ? 0 : v > 1 ? 1 : v));
    const r = await book('sc_segmenter', () =>
      scSegmentFrame({ data: clipped, height: H, width: W }, model.runner, options),
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

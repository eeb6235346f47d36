import type { ModelPlan } from '../collections';
import type {
  ClassifyCellsOptions,
  OofOptions,
  RestoreOptions,
  ScaleMethod,
  ScalerArgs,
  ScSegmentOptions,
  SegmentOptions,
} from '../inference';

/**
 * Turns a model's HiTMicTools settings (config.yml `inferer_args` / `model_args`, snake_case,
 * scaler_args nested) into the options of our adapters. Defaults are HiTMicTools': range01 for
 * restorers, none for the segmenter, overlap 0.25, classifier batch 1024.
 */
function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function scaler(
  args: Record<string, unknown>,
  fallback: ScaleMethod,
): { scaleMethod: ScaleMethod; scalerArgs: ScalerArgs } {
  const s = (args.scaler_args ?? {}) as Record<string, unknown>;
  return {
    scaleMethod: (typeof args.scale_method === 'string' ? args.scale_method : fallback) as ScaleMethod,
    scalerArgs: {
      pmin: typeof s.pmin === 'number' ? s.pmin : undefined,
      pmax: typeof s.pmax === 'number' ? s.pmax : undefined,
      clip: typeof s.clip === 'boolean' ? s.clip : undefined,
      bitDepth: typeof s.bit_depth === 'number' ? s.bit_depth : undefined,
    },
  };
}

/** Windows per model call: keep it fixed so onnxruntime never re-plans for a new batch shape. */
const WINDOW_BATCH = 4;

export function restoreOptions(plan: ModelPlan, rescale: boolean, signal?: AbortSignal): RestoreOptions {
  const a = plan.infererArgs;
  return {
    patchSize: num(a.patch_size, 256),
    overlap: num(a.overlap_ratio, 0.25),
    ...scaler(a, 'range01'),
    rescale,
    batchSize: WINDOW_BATCH,
    signal,
  };
}

/** `probability: false` when only the objects are needed (the pipeline): the sigmoid is skipped. */
export function segmentOptions(
  plan: ModelPlan,
  minSize: number,
  signal?: AbortSignal,
  probability = true,
): SegmentOptions {
  const a = plan.infererArgs;
  return {
    patchSize: num(a.patch_size, 512),
    overlap: num(a.overlap_ratio, 0.25),
    ...scaler(a, 'none'),
    minSize,
    batchSize: WINDOW_BATCH,
    signal,
    probability,
  };
}

export function classifierOptions(plan: ModelPlan): ClassifyCellsOptions {
  const a = plan.modelArgs;
  const classes = (a.classes ?? undefined) as Record<string, string> | undefined;
  return {
    size: typeof a.min_size === 'number' ? a.min_size : undefined,
    batchSize: num(a.batch_size, 1024),
    classes,
  };
}

/** PI feature names: the metadata JSON's list, when the ONNX model does not carry them. */
export function piFeatureList(plan: ModelPlan): string[] | undefined {
  const f = plan.metadata?.feature_names;
  if (Array.isArray(f)) return f.map(String);
  if (typeof f === 'string') return f.split(',').map((s) => s.trim());
  return undefined;
}

function optionalNum(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/**
 * Whether the detector normalises its input itself: our demo detectors say so in their metadata
 * `input` text; HiTMicTools' RF-DETR exports expect ImageNet-normalised input.
 */
export function normalisesInsideGraph(plan: ModelPlan): boolean {
  return /normali[sz]ation is applied inside the graph/i.test(JSON.stringify(plan.metadata ?? {}));
}

/** Names of a detector's classes from its `class_dict` ({id: name} or {name: id}); `fallback(id)` otherwise. */
export function detectorClassNames(
  plan: ModelPlan,
  fallback: (id: number) => string,
): (id: number) => string {
  const dict = (plan.infererArgs.class_dict ?? {}) as Record<string, unknown>;
  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(dict)) {
    if (/^\d+$/.test(k) && typeof v === 'string') names.set(Number(k), v);
    else if (typeof v === 'number') names.set(v, k);
  }
  return (id) => names.get(id) ?? fallback(id);
}

/** The out-of-focus detector's tiling, thresholds and input normalisation. */
export function detectorOptions(plan: ModelPlan): OofOptions {
  const a = plan.infererArgs;
  return {
    patchSize: optionalNum(a.patch_size),
    overlap: optionalNum(a.overlap_ratio),
    scoreThreshold: optionalNum(a.score_threshold),
    nmsIou: optionalNum(a.nms_iou),
    imagenetNormalize: !normalisesInsideGraph(plan),
  };
}

/**
 * The instance segmenter's settings (HiTMicTools §2.6): input already in [0, 1]
 * (normalize_to_255 off); `batchSize` (pipeline_setup.sc_segmenter_batch_size) wins over the
 * model's own batch_size.
 */
export function scSegmentOptions(plan: ModelPlan, batchSize?: number): ScSegmentOptions {
  const a = plan.infererArgs;
  return {
    patchSize: optionalNum(a.patch_size),
    overlap: optionalNum(a.overlap_ratio),
    scoreThreshold: optionalNum(a.score_threshold),
    nmsIou: optionalNum(a.nms_iou),
    clumpMergeMinOverlap: optionalNum(a.clump_merge_min_overlap),
    priorityOverlapFraction: optionalNum(a.priority_overlap_fraction),
    batchSize: optionalNum(batchSize) ?? optionalNum(a.batch_size),
    maskThreshold: optionalNum(a.mask_threshold),
    minMaskArea: optionalNum(a.min_mask_area),
    normalizeTo255: false,
    imagenetNormalize: !normalisesInsideGraph(plan),
  };
}

import type { RestoreOptions, SegmentOptions, ClassifyCellsOptions } from '../inference';
import type { ScaleMethod, ScalerArgs } from '../inference/scaling/scalers';
import type { ModelPlan } from '../collections/model-plan';

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

/** Class names by index from the classifier's `model_args.classes` (HiTMicTools' five by default). */
export function classNames(plan: ModelPlan | undefined): string[] {
  const classes = (plan?.modelArgs.classes ?? {}) as Record<string, string>;
  const entries = Object.entries(classes)
    .map(([k, v]) => [Number(k), v] as const)
    .filter(([k]) => Number.isInteger(k));
  if (entries.length === 0) return ['single-cell', 'clump', 'noise', 'off-focus', 'joint-cell'];
  const out: string[] = [];
  for (const [k, v] of entries) out[k] = v;
  return Array.from(out, (v, i) => v ?? `Unknown_Class_${i}`);
}

/** PI feature names: the metadata JSON's list, when the ONNX model does not carry them. */
export function piFeatureList(plan: ModelPlan): string[] | undefined {
  const f = plan.metadata?.feature_names;
  if (Array.isArray(f)) return f.map(String);
  if (typeof f === 'string') return f.split(',').map((s) => s.trim());
  return undefined;
}

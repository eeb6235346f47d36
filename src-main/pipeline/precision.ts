import type { ModelKey } from '../../src-shared/collections';
import type { ModelPrecision } from '../inference';

/** What run.json says about one model's precision: what the config asked, what ran, and why. */
export interface PrecisionFact {
  requested: 'fp16' | 'fp32';
  used: 'fp16' | 'fp32';
  why?: string;
  /** When HiTMic Studio made the fp16 graph: what the transform did (inference/float16). */
  fp16_graph?: {
    ms: number;
    weight_tensors: number;
    nodes_fp16: number;
    kept_fp32: { node: string; op: string; why: string }[];
    clamped: number;
    raised: number;
  };
}

/**
 * `half_precision` as it really went, per model that asked for it (inferer_args.half_precision),
 * from what the worker's session host reported when it loaded the model: fp16 on a GPU provider
 * (the collection's fp16 export or a graph made from the fp32 one), fp32 on the CPU provider, for
 * feature-table models and where the transform refused the model — each time with the reason.
 */
export function precisionFacts(
  loaded: Partial<Record<ModelKey, ModelPrecision>>,
): Partial<Record<ModelKey, PrecisionFact>> {
  const out: Partial<Record<ModelKey, PrecisionFact>> = {};
  for (const [key, p] of Object.entries(loaded) as [ModelKey, ModelPrecision][]) {
    if (p.requested !== 'fp16') continue;
    const fact: PrecisionFact = { requested: p.requested, used: p.used };
    if (p.why) fact.why = p.why;
    if (p.conversion)
      fact.fp16_graph = {
        ms: Math.round(p.conversion.ms),
        weight_tensors: p.conversion.initializers + p.conversion.constants,
        nodes_fp16: p.conversion.nodesFp16,
        kept_fp32: p.conversion.keptFp32,
        clamped: p.conversion.clamped,
        raised: p.conversion.raised,
      };
    out[key] = fact;
  }
  return out;
}

/**
 * The lines a job logs about half precision: one per reason a model runs fp32 although fp16 was
 * asked (the same text for every movie, so the run says it once), one per model that runs fp16.
 */
export function precisionLines(loaded: Partial<Record<ModelKey, ModelPrecision>>): {
  fallbacks: string[];
  used: string[];
} {
  const byWhy = new Map<string, ModelKey[]>();
  const used: string[] = [];
  for (const [key, p] of Object.entries(loaded) as [ModelKey, ModelPrecision][]) {
    if (p.requested !== 'fp16') continue;
    if (p.used === 'fp16') used.push(`half_precision: ${key} runs fp16 — ${p.why ?? 'as asked'}`);
    else byWhy.set(p.why ?? '', [...(byWhy.get(p.why ?? '') ?? []), key]);
  }
  const fallbacks = [...byWhy].map(
    ([why, keys]) => `half_precision: ${keys.join(', ')} ${keys.length > 1 ? 'run' : 'runs'} fp32 — ${why}`,
  );
  return { fallbacks, used };
}

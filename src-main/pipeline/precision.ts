import type { ModelKey } from '../../src-shared/collections';
import type { MovieJobParams } from './job-types';

/** What run.json says about one model's precision: what the config asked, what ran, and why. */
export interface PrecisionFact {
  requested: 'fp16' | 'fp32';
  used: 'fp16' | 'fp32';
  why?: string;
}

/**
 * `half_precision` as it really went, per model that asked for it (inferer_args.half_precision):
 * on the CPU provider the models run fp32 — onnxruntime has few fp16 CPU kernels and casts back,
 * so fp16 brings no speed there — and run.json says so instead of claiming fp16.
 */
export function precisionFacts(
  p: Pick<MovieJobParams, 'models'>,
  provider: string,
): Partial<Record<ModelKey, PrecisionFact>> {
  const out: Partial<Record<ModelKey, PrecisionFact>> = {};
  for (const [key, plan] of Object.entries(p.models) as [
    ModelKey,
    NonNullable<MovieJobParams['models'][ModelKey]>,
  ][]) {
    if (plan.infererArgs.half_precision !== true) continue;
    out[key] = {
      requested: 'fp16',
      used: 'fp32',
      why:
        provider === 'cpu'
          ? 'the models run on the CPU provider, where fp16 brings no speed (onnxruntime casts to fp32)'
          : `HiTMic Studio does not make fp16 graphs for the ${provider} provider yet`,
    };
  }
  return out;
}

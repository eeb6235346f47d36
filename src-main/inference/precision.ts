/**
 * `inferer_args.half_precision`: which graph a model runs, decided per execution provider.
 *
 * - GPU providers (cuda, dml, coreml): fp16 — the collection's own fp16 export when it ships one
 *   beside the fp32 file (`<model>.fp16.onnx`), else the graph HiTMic Studio makes from the fp32 one
 *   at load time (float16/convert.ts). If the transform refuses the model, or the provider cannot
 *   create the fp16 session, it runs fp32 and says why.
 * - The CPU provider: fp32. onnxruntime has few fp16 CPU kernels and casts back to fp32 around the
 *   others, so fp16 is slower there (`npm run bench -- precision` measures it); tests and that
 *   benchmark may force fp16 on the CPU to check its accuracy.
 * - Feature-table models (pi_classification: a scikit-learn tree ensemble or its ONNX export) always
 *   run as they are: half precision is an image-model knob (HiTMicTools reads it only for its
 *   restorers and segmenter).
 */
import type { Float16Report } from './float16';

export type Precision = 'fp16' | 'fp32';

/** What one model ran in, and why when that is not what was asked (run.json `precision`). */
export interface ModelPrecision {
  requested: Precision;
  used: Precision;
  /** Why `used` differs from `requested`, or where the fp16 graph came from. */
  why?: string;
  /** The transform's report and duration when HiTMic Studio made the fp16 graph. */
  conversion?: Float16Report & { ms: number };
}

/** The collection's own fp16 export of a model file, by name: `x.onnx` → `x.fp16.onnx`. */
export function ownFp16File(fp32File: string): string {
  return fp32File.replace(/(\.onnx)?$/i, '.fp16.onnx');
}

export const WHY_CPU =
  'the model runs on the CPU provider, where fp16 is slower (onnxruntime has few fp16 CPU kernels and casts back to fp32); it runs fp32';
export const WHY_FEATURE_TABLE =
  'a feature-table classifier (scikit-learn tree ensemble or its ONNX export): half_precision applies to image models; it runs as it is';

/** What a session is created with for one provider. */
export type PrecisionChoice =
  { precision: 'fp32'; outcome: ModelPrecision } | { precision: 'fp16'; source: 'collection' | 'made' };

/**
 * The graph to try on `provider`. `onCpu` forces fp16 on the CPU provider (tests and the precision
 * benchmark only).
 */
export function choosePrecision(opts: {
  halfPrecision: boolean;
  provider: string;
  hasOwnFp16: boolean;
  onCpu?: boolean;
}): PrecisionChoice {
  if (!opts.halfPrecision) return { precision: 'fp32', outcome: { requested: 'fp32', used: 'fp32' } };
  if (opts.provider === 'cpu' && !opts.onCpu)
    return { precision: 'fp32', outcome: { requested: 'fp16', used: 'fp32', why: WHY_CPU } };
  return { precision: 'fp16', source: opts.hasOwnFp16 ? 'collection' : 'made' };
}

/** One line for logs: what the transform did. */
export function describeConversion(c: Float16Report & { ms: number }): string {
  const kept = c.keptFp32.length
    ? `, ${c.keptFp32.length} node(s) kept fp32 (${[...new Set(c.keptFp32.map((k) => k.op))].join(', ')})`
    : '';
  const changed = [
    c.clamped ? `${c.clamped} value(s) beyond ±65504 clamped` : '',
    c.raised ? `${c.raised} value(s) below 1e-7 raised to 1e-7` : '',
  ].filter(Boolean);
  return (
    `fp16 graph made from the fp32 one at load time in ${Math.round(c.ms)} ms: ` +
    `${c.initializers + c.constants} weight tensor(s) in fp16, ${c.nodesFp16} node(s) compute in fp16${kept}` +
    (changed.length ? `; ${changed.join(', ')}` : '')
  );
}

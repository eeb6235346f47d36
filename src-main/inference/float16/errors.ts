/** Why a model cannot be given a float16 graph; the caller then runs the fp32 graph and says why. */
export type Float16RefusalKind =
  | 'unreadable'
  | 'external-data'
  | 'subgraph'
  | 'sequence-values'
  | 'already-float16'
  | 'sparse-tensor'
  | 'unknown-type'
  | 'graph-order'
  | 'tensor-data'
  | 'nothing-to-convert';

/**
 * The fp16 transform refused a model. It never returns a half-made graph: either every float32
 * value was accounted for, or this error says which one could not be and why.
 */
export class Float16ConversionError extends Error {
  override readonly name = 'Float16ConversionError';
  constructor(
    readonly kind: Float16RefusalKind,
    /** The model file or the name the caller gave the bytes. */
    readonly model: string,
    /** What is in the way, e.g. "node 'loop_1' (Loop) holds a subgraph". */
    readonly detail: string,
    /** What the user can do about it. */
    readonly hint: string,
  ) {
    super(`fp16 transform of '${model}' refused: ${detail}. ${hint}`);
  }

  /** The reason in one clause, for run.json's `precision.why`. */
  get reason(): string {
    return `fp16 transform refused: ${this.detail}`;
  }
}

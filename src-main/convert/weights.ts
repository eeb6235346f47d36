/**
 * The state_dict as an architecture consumes it. Each `take(key, shape)` says "the model built from
 * model_args has this parameter with this shape": it records the expectation, checks the checkpoint
 * against it and hands the tensor to the graph as an initializer. Building the graph is therefore
 * the one description of the expected state_dict — for the converter (with values) and for
 * `collection inspect` (names and shapes only, or nothing at all).
 */
import type { NetGraph } from './graph';

export interface StateDictProblem {
  kind: 'missing' | 'shape' | 'unexpected';
  tensor: string;
  /** The shape model_args imply (missing, shape). */
  expected?: number[];
  /** The shape in the checkpoint (shape, unexpected). */
  actual?: number[];
}

/** A checkpoint tensor as the builder sees it; `values` absent when only the listing is known. */
export interface SourceTensor {
  shape: number[];
  values?: Float32Array;
}

export class Weights {
  /** Every key the architecture takes, with the shape model_args imply, in build order. */
  readonly expected = new Map<string, number[]>();
  readonly problems: StateDictProblem[] = [];

  /**
   * @param source the checkpoint's tensors by key (empty to only describe the architecture)
   * @param graph where tensors with values become initializers; null to only check
   * @param reportMissing false to describe the architecture without a complete listing
   */
  constructor(
    private readonly source: ReadonlyMap<string, SourceTensor>,
    private readonly graph: NetGraph | null,
    private readonly reportMissing = true,
  ) {}

  /** The checkpoint's shape for `key`, when the checkpoint has it (for shapes model_args leave open). */
  shapeOf(key: string): number[] | undefined {
    return this.source.get(key)?.shape;
  }

  /**
   * Uses the parameter `key`, which model_args say has `shape`; returns its initializer name. The
   * initializer gets `onnxDims` (same element count: e.g. a LayerNorm weight (C,) as [1,C,1,1] for
   * broadcasting) when given.
   */
  take(key: string, shape: number[], onnxDims?: number[]): string {
    this.record(key, shape);
    const t = this.source.get(key);
    if (t?.values && this.graph && sameShape(t.shape, shape)) {
      const dims = onnxDims ?? shape;
      this.graph.initializer(key, { type: 'float32', dims, values: t.values });
    }
    return key;
  }

  /**
   * Uses the parameter `key` like take(), but hands its values to the caller, who folds them into
   * another tensor (e.g. a norm's affine into the next 1×1 conv). Undefined when the checkpoint
   * lacks the tensor or its shape differs (a problem is recorded) or only the listing is known.
   */
  values(key: string, shape: number[]): Float32Array | undefined {
    this.record(key, shape);
    const t = this.source.get(key);
    return t && sameShape(t.shape, shape) ? t.values : undefined;
  }

  /** A tensor the model holds but its inference does not read (BatchNorm's num_batches_tracked). */
  skip(key: string, shape: number[]): void {
    this.record(key, shape);
  }

  /** Keys of the checkpoint that no part of the architecture took. */
  unexpected(): StateDictProblem[] {
    return [...this.source.entries()]
      .filter(([k]) => !this.expected.has(k))
      .map(([k, t]) => ({ kind: 'unexpected', tensor: k, actual: t.shape }));
  }

  /** All problems: missing and mismatching tensors in build order, then the unexpected ones. */
  allProblems(): StateDictProblem[] {
    return [...this.problems, ...this.unexpected()];
  }

  private record(key: string, shape: number[]): void {
    if (this.expected.has(key))
      throw new Error(`internal: the architecture takes state_dict tensor ${key} twice`);
    this.expected.set(key, shape);
    const t = this.source.get(key);
    if (!t) {
      if (this.reportMissing) this.problems.push({ kind: 'missing', tensor: key, expected: shape });
    } else if (!sameShape(t.shape, shape))
      this.problems.push({ kind: 'shape', tensor: key, expected: shape, actual: t.shape });
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const formatShape = (s: number[]): string => `(${s.join(',')})`;

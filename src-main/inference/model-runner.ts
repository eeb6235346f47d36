/**
 * The pure side's view of a loaded model. Everything in `src-main/inference/` talks to a model only
 * through `ModelRunner`; the onnxruntime-node session host (`src-main/workers/ort/`) implements it.
 * Tensors are plain typed arrays in row-major (C) order with explicit dims, e.g. NCHW for images.
 */

/** One input or output of a model, as declared by the model file. */
export interface TensorSpec {
  name: string;
  /** False for ONNX-ML non-tensor values (sequences, maps — e.g. a ZipMap output). */
  isTensor: boolean;
  /** ONNX element type ('float32', 'float16', 'int64', ...); '' for non-tensors. */
  type: string;
  /** Declared dims: a number when fixed, a string (symbolic name) or -1 when free; [] when unknown. */
  shape: ReadonlyArray<number | string>;
}

/**
 * An input tensor in C order: float32, or float64 for a model that computes in float64 (a
 * scikit-learn runner declares its input 'float64'). The host converts to the model's element type.
 */
export interface FeedTensor {
  data: Float32Array | Float64Array;
  dims: readonly number[];
}

export type OutputData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** An output tensor. float16 outputs arrive converted to Float32Array; `type` keeps the model's type. */
export interface OutputTensor {
  data: OutputData;
  dims: readonly number[];
  type: string;
}

export interface ModelRunner {
  /** Name used in error messages: the collection model key or the file name. */
  readonly key: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Execution provider the session runs on ('cpu', 'cuda', 'dml', 'coreml'). */
  readonly provider: string;
  /** The model file's custom metadata (ONNX metadata_props), e.g. `feature_names`. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * A classifier's class names by label index, when the model file carries them (scikit-learn's
   * `classes_`); absent for ONNX models, whose labels are indices.
   */
  readonly classes?: readonly string[];
  /**
   * How many run() calls this runner works on at the same time (sessions on their own threads);
   * absent or 1: one at a time, so callers gain nothing by keeping more in flight.
   */
  readonly concurrency?: number;
  /**
   * Runs the model once. `outputNames` restricts the fetched outputs (needed for ONNX-ML models whose
   * other outputs are non-tensors); by default all tensor outputs are fetched.
   */
  run(
    feeds: Record<string, FeedTensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, OutputTensor>>;
}

/** Fixed value of a declared dim, or undefined when it is symbolic/free. */
export function fixedDim(spec: TensorSpec, axis: number): number | undefined {
  const d = spec.shape[axis];
  return typeof d === 'number' && d > 0 ? d : undefined;
}

/** Number of elements of a dims list. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** A numeric output as Float32Array (int64 converted), for decoders that only need floats. */
export function outputAsFloat32(t: OutputTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]);
  return out;
}

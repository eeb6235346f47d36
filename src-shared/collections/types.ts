/**
 * Shapes of what the collection commands report (`hitmic collection inspect|verify --json`, and
 * later the Collections view). Pure types; documented in docs/collections-and-config.md.
 */
import type { ModelKey } from './model-keys';

/** Which of the two known layouts a collection uses. */
export type CollectionLayout = 'hitmictools-bundle' | 'per-model-folders';

/** Weights format, recognised from the file extension (and checked against the content). */
export type ModelFormat = 'onnx' | 'pytorch' | 'sklearn' | 'unknown';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** One finding about a collection or one of its models. */
export interface CollectionProblem {
  severity: ProblemSeverity;
  /** Stable machine-readable code, e.g. `missing-file`, `state-dict-mismatch`. */
  code: string;
  message: string;
  /** Path inside the collection the problem is about, when there is one. */
  path?: string;
  /** What to do about it. */
  fix?: string;
}

export interface CollectionFile {
  path: string;
  size: number;
  sha256: string;
}

/** A tensor of an ONNX graph: dims are numbers or symbolic names (`"N"`, `"height"`), `null` when unknown. */
export interface TensorInfo {
  name: string;
  shape: (number | string | null)[] | null;
  /** `float32`, `int64`, …, or a composite such as `seq(map(int64,float32))` for ONNX-ML outputs. */
  type: string;
}

/** A tensor stored in a PyTorch state_dict. */
export interface StateDictTensor {
  name: string;
  dtype: string;
  shape: number[];
}

export interface ModelReport {
  key: ModelKey;
  format: ModelFormat;
  /** `NAFNet`, `MonaiUnet`, … from the metadata `model_type` or the key; `null` when unknown. */
  architecture: string | null;
  /** Weights file path inside the collection. */
  weights: string | null;
  metadataPath: string | null;
  files: CollectionFile[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** ONNX only: opset of the default domain, producer, metadata_props (e.g. `feature_names`). */
  onnx?: { opset: number | null; irVersion: number; producer: string; metadata: Record<string, string> };
  /** PyTorch only: tensors of the state_dict. */
  stateDict?: StateDictTensor[];
  /** PyTorch only, when it converts: the converter that makes the ONNX model it runs as. */
  conversion?: { converter: string; converterVersion: string; warnings: string[] };
  metadata: Record<string, unknown> | null;
  infererArgs: Record<string, unknown> | null;
  modelArgs: Record<string, unknown> | null;
  runnable: boolean;
  /** Why it cannot run, or how to make it runnable (conversion recipe). */
  runnableReason: string;
  problems: CollectionProblem[];
}

export interface TrackingReport {
  path: string;
  /** `nested` (TrackerConfig/MotionModel) or `flat` (motion_model at top level). */
  style: 'nested' | 'flat' | 'unknown';
  name: string | null;
  motionModel: {
    name: string | null;
    accuracy: number | null;
    maxLost: number | null;
    probNotAssign: number | null;
  } | null;
  maxSearchRadius: number | null;
  problems: CollectionProblem[];
}

/** `manifest.json` of collections written by HiTMic Studio (schema_version 1). */
export interface CollectionManifest {
  schema_version: number;
  name: string;
  version: string;
  description?: string;
  created: string;
  app_version?: string;
  files: CollectionFile[];
  /** Per model key: a test input and its expected output (`.npy` paths inside the collection). */
  tests?: Record<
    string,
    {
      input: string;
      output: string;
      /** Which model output the expected tensor is (default: the first). */
      output_name?: string;
      relative_tolerance?: number;
      absolute_tolerance?: number;
      mismatched_elements_per_million?: number;
    }
  >;
}

export interface InspectReport {
  layout: CollectionLayout;
  /** Where it was read from (ZIP path, folder or library id). */
  source: string;
  models: ModelReport[];
  tracking: TrackingReport | null;
  manifest: CollectionManifest | null;
  bundleMetadata: Record<string, unknown> | null;
  problems: CollectionProblem[];
}

export interface VerifyFileResult {
  path: string;
  ok: boolean;
  expected: string;
  actual: string | null;
}

export interface VerifyTestResult {
  key: string;
  /** True when the model is a `.pth` and the test ran through its conversion to ONNX. */
  converted?: boolean;
  ok: boolean;
  max_abs_err: number | null;
  mismatched_ppm: number | null;
  message?: string;
}

export interface VerifyReport {
  ok: boolean;
  files: VerifyFileResult[];
  tests: VerifyTestResult[];
}

/** One collection in the library (`hitmic collection list`). */
export interface LibraryEntry {
  id: string;
  sha256: string;
  name: string;
  sourceName: string;
  size: number;
  importedAt: string;
  layout: CollectionLayout | null;
  path: string;
}

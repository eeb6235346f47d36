import { InferenceError, MissingFeaturesError, ModelInputError, ModelOutputError } from '../errors';
import type { ModelRunner, OutputTensor, TensorSpec } from '../model-runner';

/**
 * PI (propidium iodide) classification (`pi_classification`) as HiTMicTools PIClassifier with an
 * ONNX model or a scikit-learn pickle (`loadSklearnModel`): the feature table's columns named by the
 * model's `feature_names` (comma list, from the model's metadata_props or `feature_names_in_`, or given
 * by the collection metadata) are stacked as [N, F] — float64 when the model declares a float64 input
 * (scikit-learn computes on the DataFrame's float64), else float32 —, the model is run fetching tensor
 * outputs only (ONNX-ML ZipMap outputs are sequences of maps and are skipped), and the label and,
 * when a probability tensor exists, P(piPOS) are kept. Labels are indices: with the model's class
 * names (`runner.classes`, scikit-learn's `classes_`) the index of 'piPOS' says which is positive,
 * else 0 → 'piNEG', 1 → 'piPOS'.
 *
 * Improvement over HiTMicTools: a model without feature names is an error here (HiTMicTools then
 * selects zero columns and fails later), and missing columns are named.
 */
export interface PiClassification {
  piClass: ('piNEG' | 'piPOS')[];
  /** Label index per row (0 / 1). */
  label: Int32Array;
  /** Probability of piPOS per row; NaN when the model exposes no probability tensor. */
  probability: Float32Array;
  featureNames: string[];
}

export type FeatureTable = Readonly<Record<string, ArrayLike<number>>>;

/** Feature names: explicit list, else the model's `feature_names` metadata. */
export function piFeatureNames(runner: ModelRunner, given?: readonly string[] | string): string[] {
  const raw = given ?? runner.metadata.feature_names;
  const list = (typeof raw === 'string' ? raw.split(',') : (raw ?? []))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) {
    throw new InferenceError('no feature names', {
      modelKey: runner.key,
      where: "metadata 'feature_names'",
      expected: 'a comma-separated list of feature columns in the model or its metadata JSON',
      actual: 'none',
      hint: "Add metadata_props feature_names='col1,col2,...' to the ONNX export, or 'feature_names' to the model's metadata JSON.",
    });
  }
  return list;
}

function isFloatProbs(o: TensorSpec): boolean {
  return o.isTensor && (o.type === 'float32' || o.type === 'float64' || o.type === 'float16');
}

export async function classifyPi(
  table: FeatureTable,
  runner: ModelRunner,
  featureNames?: readonly string[] | string,
): Promise<PiClassification> {
  const names = piFeatureNames(runner, featureNames);
  const missing = names.filter((n) => !(n in table));
  if (missing.length > 0) throw new MissingFeaturesError(runner.key, missing, Object.keys(table));
  const rows = table[names[0]].length;
  for (const n of names) {
    if (table[n].length !== rows) {
      throw new InferenceError('feature columns of different lengths', {
        modelKey: runner.key,
        where: `column '${n}'`,
        expected: `${rows} rows`,
        actual: `${table[n].length} rows`,
        hint: 'Pass one value per object in every column.',
      });
    }
  }
  const out: PiClassification = {
    piClass: [],
    label: new Int32Array(rows),
    probability: new Float32Array(rows).fill(Number.NaN),
    featureNames: names,
  };
  if (rows === 0) return out;
  const input = runner.inputs[0];
  const F = names.length;
  const declaredF =
    input.shape.length === 2 && typeof input.shape[1] === 'number' ? input.shape[1] : undefined;
  if (declaredF !== undefined && declaredF !== F) {
    throw new ModelInputError(
      runner.key,
      input.name,
      `${declaredF} features per row`,
      `${F} feature names (${names.join(', ')})`,
      'Make feature_names match the model input width.',
    );
  }
  const pos = positiveIndex(runner);
  const X = input.type === 'float64' ? new Float64Array(rows * F) : new Float32Array(rows * F);
  for (let j = 0; j < F; j++) {
    const col = table[names[j]];
    for (let i = 0; i < rows; i++) X[i * F + j] = col[i];
  }
  // Numeric tensors only: a string label output (sklearn classes 'piNEG'/'piPOS') is skipped and the
  // probabilities are used instead; sklearn orders classes alphabetically, so column 1 is piPOS.
  const tensors = runner.outputs.filter((o) => o.isTensor && o.type !== 'string');
  const labelSpec = tensors.find((o) => o.type.startsWith('int')) ?? tensors[0];
  if (!labelSpec)
    throw new ModelOutputError(
      runner.key,
      '(any)',
      'a tensor output (label or probabilities)',
      'only non-tensor outputs',
      'Export the classifier without ZipMap (zipmap=False) so the probabilities are a tensor, or with a numeric label output.',
    );
  const probSpec = tensors.find((o) => o !== labelSpec && isFloatProbs(o));
  const fetch = probSpec ? [labelSpec.name, probSpec.name] : [labelSpec.name];
  const res = await runner.run({ [input.name]: { data: X, dims: [rows, F] } }, fetch);
  const labels = res[labelSpec.name];
  fillLabels(runner.key, labelSpec.name, labels, rows, pos, out);
  if (probSpec) {
    const p = res[probSpec.name];
    if (p.dims.length === 2 && p.dims[0] === rows && p.dims[1] === 2) {
      for (let i = 0; i < rows; i++) out.probability[i] = Number(p.data[i * 2 + pos]);
    }
  }
  for (let i = 0; i < rows; i++) out.piClass.push(out.label[i] === 1 ? 'piPOS' : 'piNEG');
  return out;
}

/** The label index of piPOS: from the model's class names when it has them, else 1. */
function positiveIndex(runner: ModelRunner): number {
  const classes = runner.classes;
  if (!classes) return 1;
  const pos = classes.indexOf('piPOS');
  if (classes.length !== 2 || pos < 0 || !classes.includes('piNEG')) {
    throw new InferenceError('not a piNEG/piPOS classifier', {
      modelKey: runner.key,
      where: 'classes',
      expected: "the two classes 'piNEG' and 'piPOS'",
      actual: classes.map((c) => `'${c}'`).join(', ') || '(none)',
      hint: "Train the PI classifier on HiTMicTools' pi_class labels piNEG/piPOS.",
    });
  }
  return pos;
}

function fillLabels(
  key: string,
  name: string,
  t: OutputTensor,
  rows: number,
  pos: number,
  out: PiClassification,
): void {
  const perRow = t.data.length / rows;
  if (!Number.isInteger(perRow) || perRow < 1 || t.dims[0] !== rows) {
    throw new ModelOutputError(
      key,
      name,
      `one label (or a probability row) per input row, ${rows} rows`,
      `[${t.dims.join(', ')}]`,
      'Export the classifier with a per-row label output.',
    );
  }
  const isInt = t.type.startsWith('int') || t.type === 'bool';
  for (let i = 0; i < rows; i++) {
    let v: number;
    if (perRow === 1) {
      v = Number(t.data[i]);
      if (!isInt)
        v = v > 0.5 ? 1 : 0; // a single P(piPOS) column
      else if (v !== 0 && v !== 1)
        throw new ModelOutputError(
          key,
          name,
          'labels 0 (piNEG) or 1 (piPOS)',
          String(v),
          'Use a binary PI classifier.',
        );
      else v = v === pos ? 1 : 0;
    } else {
      // Probabilities/scores per class: argmax (first maximum).
      let best = 0;
      for (let c = 1; c < perRow; c++)
        if (Number(t.data[i * perRow + c]) > Number(t.data[i * perRow + best])) best = c;
      v = best === pos ? 1 : 0;
      if (perRow === 2) out.probability[i] = Number(t.data[i * perRow + pos]);
    }
    out.label[i] = v;
  }
}

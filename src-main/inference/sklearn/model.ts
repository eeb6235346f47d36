/**
 * A scikit-learn classifier file (`.pkl`/`.joblib`, as HiTMicTools' PIClassifier loads with
 * `joblib.load`) as a ModelRunner, evaluated in TypeScript: no Python, no pickle code ever run.
 *
 * The runner has one input, `X` (float64 [N, F], the columns of `feature_names_in_` in that order;
 * float32 data is accepted and widened), and the outputs scikit-learn's classifier has: `label`
 * (int32 [N], the index into `classes` of `predict`) and, when it has predict_proba,
 * `probabilities` (float64 [N, classes]). `metadata.feature_names` is `feature_names_in_` joined by
 * commas, so the PI adapter selects and orders the table's columns by it, as HiTMicTools does.
 */
import { PickleError, readJoblib } from '../../io';
import { ModelInputError } from '../errors';
import type { FeedTensor, ModelRunner, OutputTensor, TensorSpec } from '../model-runner';
import type { CompiledClassifier, InputPolicy } from './compiled';
import { SklearnModelError } from './errors';
import { compileClassifier, featureNamesOf, SKLEARN_GLOBALS, SUPPORTED_ESTIMATORS } from './estimators';
import { Pickled } from './state';

export interface SklearnModel extends ModelRunner {
  /** Class paths, outermost first, joined by ' > ' (e.g. 'sklearn.pipeline.Pipeline > …'). */
  readonly estimator: string;
  /** `classes_`, as strings, in scikit-learn's order (the label indices and probability columns). */
  readonly classes: string[];
  /** `feature_names_in_` (a Pipeline's first step's), or null when fitted without column names. */
  readonly featureNames: string[] | null;
  /** `_sklearn_version` of the pickled estimator, when present. */
  readonly sklearnVersion: string | null;
}

export const SKLEARN_INPUT = 'X';
export const SKLEARN_LABEL = 'label';
export const SKLEARN_PROBABILITIES = 'probabilities';

const NOT_PICKLE =
  'Point the PI classifier at the .pkl/.joblib file written by joblib.dump(model, path) or pickle.dump, or at an ONNX export.';

function fromPickleError(err: PickleError, file: string): SklearnModelError {
  const g = err.global;
  if (g?.startsWith('sklearn.'))
    return new SklearnModelError({
      file,
      estimator: g,
      global: g,
      reason: `${g} is not supported; supported: ${SUPPORTED_ESTIMATORS.map((c) => c.split('.').pop()).join(', ')}`,
      fix: 'Use one of these estimators (in a Pipeline after a scaler if needed), or export the model to ONNX.',
    });
  if (g)
    return new SklearnModelError({
      file,
      global: g,
      reason: `the pickle names the Python global ${g}, which is refused: HiTMic Studio never imports or runs code from a pickle, and only numpy arrays, joblib's array wrapper and the supported scikit-learn classes may appear`,
      fix: 'Do not use this file unless you know who made it and why; a PI classifier saved with joblib.dump names no such global.',
    });
  return new SklearnModelError({ file, reason: err.message, fix: err.fix ?? NOT_PICKLE });
}

/** Reads a scikit-learn classifier from the bytes of `file`. Throws SklearnModelError. */
export function loadSklearnModel(bytes: Uint8Array, file: string): SklearnModel {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4)
    throw new SklearnModelError({
      file,
      reason: 'the file is a ZIP archive (a PyTorch checkpoint or a collection), not a joblib/pickle file',
      fix: NOT_PICKLE,
    });
  let root: unknown;
  try {
    root = readJoblib(bytes, { allow: SKLEARN_GLOBALS });
  } catch (err) {
    if (err instanceof PickleError) throw fromPickleError(err, file);
    throw err;
  }
  const top = Pickled.of(root, { file }, 'the pickled object');
  const clf = compileClassifier(top);
  const featureNames = featureNamesOf(top);
  if (featureNames && featureNames.length !== clf.nFeatures)
    top.fail(`feature_names_in_ lists ${featureNames.length} names for ${clf.nFeatures} features`);
  const version = top.has('_sklearn_version') ? String(top.raw('_sklearn_version')) : null;
  return sklearnRunner(file, clf, featureNames, version);
}

function sklearnRunner(
  file: string,
  clf: CompiledClassifier,
  featureNames: string[] | null,
  sklearnVersion: string | null,
): SklearnModel {
  const F = clf.nFeatures;
  const K = clf.classes.length;
  const inputs: TensorSpec[] = [{ name: SKLEARN_INPUT, isTensor: true, type: 'float64', shape: ['N', F] }];
  const outputs: TensorSpec[] = [{ name: SKLEARN_LABEL, isTensor: true, type: 'int32', shape: ['N'] }];
  if (clf.hasProba)
    outputs.push({ name: SKLEARN_PROBABILITIES, isTensor: true, type: 'float64', shape: ['N', K] });
  const estimator = clf.path.join(' > ');
  const metadata: Record<string, string> = { estimator, classes: clf.classes.join(',') };
  if (featureNames) metadata.feature_names = featureNames.join(',');
  if (sklearnVersion) metadata.sklearn_version = sklearnVersion;
  return {
    key: file,
    inputs,
    outputs,
    provider: 'cpu',
    metadata,
    estimator,
    classes: [...clf.classes],
    featureNames,
    sklearnVersion,
    async run(feeds, outputNames) {
      const { X, n } = inputMatrix(file, feeds[SKLEARN_INPUT], F, featureNames, clf.policy);
      const wanted = outputNames && outputNames.length > 0 ? outputNames : outputs.map((o) => o.name);
      for (const name of wanted)
        if (!outputs.some((o) => o.name === name))
          throw new ModelInputError(
            file,
            name,
            `one of the outputs ${outputs.map((o) => o.name).join(', ')}`,
            `'${name}'`,
            clf.hasProba
              ? 'Request label or probabilities.'
              : `${estimator} has no predict_proba; request label.`,
          );
      const { label, proba } = clf.evaluate(X, n, wanted.includes(SKLEARN_PROBABILITIES));
      const out: Record<string, OutputTensor> = {};
      if (wanted.includes(SKLEARN_LABEL)) out[SKLEARN_LABEL] = { data: label, dims: [n], type: 'int32' };
      if (proba) out[SKLEARN_PROBABILITIES] = { data: proba, dims: [n, K], type: 'float64' };
      return out;
    },
  };
}

const REFUSES: Record<InputPolicy, string> = {
  finite: 'missing (NaN) or infinite values',
  'allow-nan': 'infinite values',
  any: '',
};

function inputMatrix(
  file: string,
  feed: FeedTensor | undefined,
  F: number,
  names: string[] | null,
  policy: InputPolicy,
): { X: Float64Array; n: number } {
  if (!feed)
    throw new ModelInputError(
      file,
      SKLEARN_INPUT,
      `a [N, ${F}] feature matrix`,
      'no input',
      `Feed input '${SKLEARN_INPUT}'.`,
    );
  const [n, f] = feed.dims;
  if (feed.dims.length !== 2 || f !== F || feed.data.length !== n * F)
    throw new ModelInputError(
      file,
      SKLEARN_INPUT,
      `[N, ${F}] (${names ? names.join(', ') : `${F} features`})`,
      `[${feed.dims.join(', ')}] with ${feed.data.length} values`,
      'Pass one row per object with the model’s features in feature_names_in_ order.',
    );
  const X = feed.data instanceof Float64Array ? feed.data : Float64Array.from(feed.data);
  if (policy !== 'any')
    for (let i = 0; i < X.length; i++) {
      const v = X[i];
      if (v === Infinity || v === -Infinity || (policy === 'finite' && v !== v)) {
        const col = names ? `'${names[i % F]}'` : `${i % F}`;
        throw new ModelInputError(
          file,
          SKLEARN_INPUT,
          `no ${REFUSES[policy]} (scikit-learn refuses them for this estimator)`,
          `${v} in row ${Math.floor(i / F)}, feature ${col}`,
          'Fill or drop the objects with missing measurements before PI classification, or use a HistGradientBoostingClassifier, which accepts NaN.',
        );
      }
    }
  return { X, n };
}

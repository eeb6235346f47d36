/**
 * HistGradientBoostingClassifier on raw (unbinned) features, as `_predict_from_raw_data` does:
 * raw = _baseline_prediction + Σ_iterations predictor value, in float64; each predictor's node
 * records (value, feature_idx, num_threshold, missing_go_to_left, left, right, is_leaf,
 * is_categorical …) are walked with `x <= num_threshold`, a NaN going where missing_go_to_left says.
 * Leaf values already include the learning rate. Probabilities: expit(raw) for two classes
 * (p₀ = 1 − p₁), softmax otherwise; the label is the argmax of the probabilities.
 * Categorical splits (bitsets) are refused: PI features are numbers.
 */
import { npField, type NpArray } from '../../io';
import { argmaxRows, binaryProba, expit, softmaxRows, type CompiledClassifier } from './compiled';
import { Pickled } from './state';

interface Predictor {
  value: Float64Array;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  isLeaf: Uint8Array;
}

export const HGB_LOSS_CLASSES = [
  'sklearn._loss.loss.HalfBinomialLoss',
  'sklearn._loss.loss.HalfMultinomialLoss',
];

function readPredictor(owner: Pickled, rec: unknown, where: string, F: number): Predictor {
  const pr = Pickled.of(rec, owner.ctx, where);
  if (pr.cls !== 'sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor')
    owner.fail(`${where} is ${pr.cls}, expected a TreePredictor`);
  const nodes: NpArray = pr.array('nodes');
  const field = (name: string): Float64Array =>
    npField(nodes, name) ?? owner.fail(`${where}.nodes has no field '${name}'`);
  const p: Predictor = {
    value: field('value'),
    feature: Int32Array.from(field('feature_idx')),
    threshold: field('num_threshold'),
    missingLeft: Uint8Array.from(field('missing_go_to_left')),
    left: Int32Array.from(field('left')),
    right: Int32Array.from(field('right')),
    isLeaf: Uint8Array.from(field('is_leaf')),
  };
  const categorical = field('is_categorical');
  const n = p.value.length;
  for (let i = 0; i < n; i++) {
    if (p.isLeaf[i]) continue;
    if (categorical[i])
      owner.fail(
        `${where} node ${i} splits a categorical feature`,
        'Re-fit without categorical_features (PI features are numeric).',
      );
    // Children are appended after their parent by the grower: larger indices prove the walk ends.
    const ok = p.left[i] > i && p.right[i] > i && p.left[i] < n && p.right[i] < n && p.feature[i] < F;
    if (!ok)
      owner.fail(`${where} node ${i} points to children ${p.left[i]}/${p.right[i]}, feature ${p.feature[i]}`);
  }
  return p;
}

function predictorValue(p: Predictor, X: Float64Array, row: number, F: number): number {
  let i = 0;
  while (!p.isLeaf[i]) {
    const x = X[row * F + p.feature[i]];
    if (x !== x) i = p.missingLeft[i] ? p.left[i] : p.right[i];
    else i = x <= p.threshold[i] ? p.left[i] : p.right[i];
  }
  return p.value[i];
}

export function histGradientBoostingClassifier(p: Pickled): CompiledClassifier {
  const classes = p.strings('classes_');
  const k = classes.length;
  const F = p.int('n_features_in_');
  const K = p.int('n_trees_per_iteration_');
  if (K !== (k > 2 ? k : 1)) p.fail(`n_trees_per_iteration_ is ${K} for ${k} classes`);
  const loss = p.child('_loss').cls;
  if (!HGB_LOSS_CLASSES.includes(loss))
    p.fail(`loss ${loss} is not supported`, "Re-fit with loss='log_loss'.");
  const categorical = p.opt('is_categorical_', (key) => p.raw(key), null);
  if (categorical !== null && p.numbers('is_categorical_').some((v) => v !== 0))
    p.fail(
      'the model has categorical features',
      'Re-fit without categorical_features (PI features are numeric).',
    );
  if (p.opt('_preprocessor', (key) => p.raw(key), null) !== null)
    p.fail('the model has a categorical preprocessor', 'Re-fit without categorical_features.');
  const baseline = p.numbers('_baseline_prediction');
  if (baseline.length !== K) p.fail(`_baseline_prediction has ${baseline.length} values, expected ${K}`);
  const iterations = p.list('_predictors').map((it, i) => {
    const list = Array.isArray(it) ? it : p.fail(`_predictors[${i}] is not a list`);
    if (list.length !== K) p.fail(`_predictors[${i}] has ${list.length} predictors, expected ${K}`);
    return list.map((rec, c) => readPredictor(p, rec, `_predictors[${i}][${c}]`, F));
  });

  const proba = (X: Float64Array, n: number): Float64Array => {
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) raw.set(baseline, i * K);
    for (const it of iterations)
      for (let c = 0; c < K; c++)
        for (let i = 0; i < n; i++) raw[i * K + c] += predictorValue(it[c], X, i, F);
    return K === 1 ? binaryProba(raw.map(expit)) : softmaxRows(raw, n, K);
  };
  return {
    path: [p.cls],
    classes,
    nFeatures: F,
    policy: 'any',
    hasProba: true,
    evaluate(X, n, withProba) {
      const p = proba(X, n);
      return { label: argmaxRows(p, n, k), proba: withProba ? p : null };
    },
  };
}

/**
 * GradientBoostingClassifier: raw = init + Σ_stages learning_rate · tree value (trees descend on
 * float32 features, values and sums in float64, added stage by stage as `predict_stages` does).
 *
 * The init estimator is a DummyClassifier (strategy 'prior', 'most_frequent' or 'uniform') or
 * 'zero'. Its probabilities are clipped to [eps, 1 − eps] (eps = float32 epsilon) and linked:
 * log(p/(1 − p)) for the binomial deviance, ½ of that for the exponential loss, log p per class
 * for the multinomial deviance of scikit-learn < 1.3 (`sklearn.ensemble._gb_losses`) and
 * log(p / geometric mean p) for its ≥ 1.3 losses (`sklearn._loss.loss`).
 *
 * Probabilities and labels follow the loss's own version: < 1.3 binomial p₁ = expit(raw) and label
 * argmax(1 − p₁, p₁); multinomial exp(raw − logsumexp(raw)) and argmax; exponential p₁ = expit(2 raw)
 * and label raw ≥ 0. ≥ 1.3: two classes label raw ≥ 0, more argmax(raw); p from the loss's link
 * (expit, softmax, expit(2 raw)).
 */
import { NpArray, npObjects } from '../../io';
import { argmaxRows, binaryProba, expit, softmaxRows, type CompiledClassifier } from './compiled';
import { Pickled } from './state';
import { readTree, treeLeaf, treePolicy, type TreeArrays } from './tree';

type Link = 'logit' | 'half-logit' | 'log' | 'multinomial-logit';

interface LossRule {
  link: Link;
  /** scikit-learn ≥ 1.3 labels (raw ≥ 0 / argmax raw) instead of argmax of the probabilities. */
  modern: boolean;
  multiclass: boolean;
}

const LOSSES: Record<string, LossRule> = {
  'sklearn.ensemble._gb_losses.BinomialDeviance': { link: 'logit', modern: false, multiclass: false },
  'sklearn.ensemble._gb_losses.MultinomialDeviance': { link: 'log', modern: false, multiclass: true },
  'sklearn.ensemble._gb_losses.ExponentialLoss': { link: 'half-logit', modern: false, multiclass: false },
  'sklearn._loss.loss.HalfBinomialLoss': { link: 'logit', modern: true, multiclass: false },
  'sklearn._loss.loss.HalfMultinomialLoss': { link: 'multinomial-logit', modern: true, multiclass: true },
  'sklearn._loss.loss.ExponentialLoss': { link: 'half-logit', modern: true, multiclass: false },
};

export const GB_LOSS_CLASSES = Object.keys(LOSSES);

const EPS32 = 2 ** -23;

/** The init estimator's clipped probabilities, one row (they do not depend on X). */
function initProba(p: Pickled, k: number): Float64Array {
  const init = p.child('init_');
  if (init.cls !== 'sklearn.dummy.DummyClassifier')
    p.fail(`init_ is ${init.cls}`, "Re-fit with init=None (a DummyClassifier) or init='zero'.");
  const strategy = init.has('_strategy') ? init.string('_strategy') : init.string('strategy');
  const prior = init.numbers('class_prior_', [k]);
  let proba: Float64Array;
  if (strategy === 'prior') proba = Float64Array.from(prior);
  else if (strategy === 'uniform') proba = new Float64Array(k).fill(1 / k);
  else if (strategy === 'most_frequent') {
    proba = new Float64Array(k);
    proba[argmaxRows(prior, 1, k)[0]] = 1;
  } else return init.fail(`strategy '${strategy}' is not supported for an init estimator`);
  return proba.map((v) => (v < EPS32 ? EPS32 : v > 1 - EPS32 ? 1 - EPS32 : v));
}

function initRaw(p: Pickled, rule: LossRule, k: number, K: number): Float64Array {
  if (p.raw('init_') === 'zero') return new Float64Array(K);
  const proba = initProba(p, k);
  if (!rule.multiclass) {
    const q = proba[1];
    const logit = Math.log(q / (1 - q));
    return Float64Array.of(rule.link === 'half-logit' ? 0.5 * logit : logit);
  }
  const logs = proba.map(Math.log);
  if (rule.link === 'log') return logs;
  let mean = 0;
  for (const v of logs) mean += v;
  const gmean = Math.exp(mean / k);
  return proba.map((v) => Math.log(v / gmean));
}

export function gradientBoostingClassifier(p: Pickled): CompiledClassifier {
  const classes = p.strings('classes_');
  const k = classes.length;
  const F = p.int('n_features_in_');
  const lossName = p.child('_loss').cls;
  const rule =
    LOSSES[lossName] ?? p.fail(`loss ${lossName} is not supported`, "Re-fit with loss='log_loss'.");
  const K = rule.multiclass ? k : 1;
  if (rule.multiclass !== k > 2) p.fail(`loss ${lossName} with ${k} classes`);
  const stages = p.array('estimators_');
  if (!(stages instanceof NpArray) || stages.shape.length !== 2 || stages.shape[1] !== K)
    p.fail(`estimators_ has shape [${stages.shape.join(', ')}], expected [stages, ${K}]`);
  const trees: TreeArrays[] = npObjects(stages).map((e, i) =>
    readTree(Pickled.of(e, p.ctx, `estimators_ entry ${i} of ${p.cls}`), F),
  );
  const learningRate = p.number('learning_rate');
  const init = initRaw(p, rule, k, K);

  const raw = (X: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) out.set(init, i * K);
    for (let s = 0; s < trees.length; s++) {
      const t = trees[s];
      const c = s % K;
      for (let i = 0; i < n; i++) out[i * K + c] += learningRate * t.value[treeLeaf(t, X, i, F)];
    }
    return out;
  };
  const proba = (r: Float64Array, n: number): Float64Array => {
    if (!rule.multiclass) return binaryProba(r.map((v) => expit(rule.link === 'half-logit' ? 2 * v : v)));
    if (rule.modern) return softmaxRows(r, n, k);
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (r[o + c] > max) max = r[o + c];
      if (!Number.isFinite(max)) max = 0;
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(r[o + c] - max);
      const lse = Math.log(s) + max;
      for (let c = 0; c < k; c++) r[o + c] = Math.exp(r[o + c] - lse);
    }
    return r;
  };
  return {
    path: [p.cls],
    classes,
    nFeatures: F,
    policy: trees.every((t) => treePolicy(t) === 'allow-nan') ? 'allow-nan' : 'finite',
    hasProba: true,
    evaluate(X, n, withProba) {
      const r = raw(X, n);
      if (rule.modern || rule.link === 'half-logit') {
        const label = K > 1 ? argmaxRows(r, n, K) : Int32Array.from(r, (v) => (v >= 0 ? 1 : 0));
        return { label, proba: withProba ? proba(r, n) : null };
      }
      const p = proba(r, n);
      return { label: argmaxRows(p, n, k), proba: withProba ? p : null };
    },
  };
}

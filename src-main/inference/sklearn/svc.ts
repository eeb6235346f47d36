/**
 * SVC as scikit-learn's bundled libsvm predicts (svm.cpp `svm_predict_values`,
 * `svm_predict_probability`, `multiclass_probability`; libsvm_helper.c `set_model`):
 *
 * - kernels: linear x·y, rbf exp(−γ‖x−y‖²), poly (γ x·y + coef0)^degree, sigmoid tanh(γ x·y + coef0);
 * - for each class pair (i < j): dec = Σ coef[j−1][sv of i]·k + Σ coef[i][sv of j]·k − ρ with
 *   ρ = −_intercept_; a vote for i when dec > 0, else for j; predict = the first class with most votes;
 * - predict_proba (probability=True): pairwise Platt sigmoid of dec with _probA/_probB, clipped to
 *   [1e-7, 1 − 1e-7], coupled by Wu–Lin–Weng's iterative method — for two classes too, as
 *   scikit-learn's libsvm does (it has no two-class shortcut), so the result is that iteration's.
 *
 * `_dual_coef_` and `_intercept_` are libsvm's own signs (scikit-learn flips only the public
 * `dual_coef_`/`intercept_` of two-class models). Arithmetic in float64.
 */
import type { CompiledClassifier } from './compiled';
import type { Pickled } from './state';

type Kernel = (x: Float64Array, xo: number, sv: Float64Array, so: number, F: number) => number;

function kernelOf(p: Pickled): Kernel {
  const kind = p.string('kernel');
  const gamma = p.number('_gamma');
  const dot: Kernel = (x, xo, sv, so, F) => {
    let s = 0;
    for (let j = 0; j < F; j++) s += x[xo + j] * sv[so + j];
    return s;
  };
  if (kind === 'linear') return dot;
  if (kind === 'rbf')
    return (x, xo, sv, so, F) => {
      let s = 0;
      for (let j = 0; j < F; j++) {
        const d = x[xo + j] - sv[so + j];
        s += d * d;
      }
      return Math.exp(-gamma * s);
    };
  const coef0 = p.number('coef0');
  if (kind === 'poly') {
    const degree = p.int('degree');
    return (x, xo, sv, so, F) => powi(gamma * dot(x, xo, sv, so, F) + coef0, degree);
  }
  if (kind === 'sigmoid') return (x, xo, sv, so, F) => Math.tanh(gamma * dot(x, xo, sv, so, F) + coef0);
  return p.fail(
    `kernel '${kind}' is not supported`,
    "Use kernel 'linear', 'rbf', 'poly' or 'sigmoid' (a precomputed kernel needs the training data).",
  );
}

/** libsvm's powi: exponentiation by squaring. */
function powi(base: number, times: number): number {
  let tmp = base;
  let ret = 1;
  for (let t = times; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}

function sigmoidPredict(dec: number, A: number, B: number): number {
  const fApB = dec * A + B;
  return fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
}

/** Wu, Lin and Weng's method 2, as libsvm codes it. `r` is k×k, `Q` and `Qp` are scratch. */
function multiclassProbability(
  k: number,
  r: Float64Array,
  p: Float64Array,
  o: number,
  Q: Float64Array,
  Qp: Float64Array,
): void {
  const maxIter = Math.max(100, k);
  const eps = 0.005 / k;
  for (let t = 0; t < k; t++) {
    p[o + t] = 1 / k;
    Q[t * k + t] = 0;
    for (let j = 0; j < t; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = Q[j * k + t];
    }
    for (let j = t + 1; j < k; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = -r[j * k + t] * r[t * k + j];
    }
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t * k + j] * p[o + j];
      pQp += p[o + t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) {
      const error = Math.abs(Qp[t] - pQp);
      if (error > maxError) maxError = error;
    }
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t * k + t];
      p[o + t] += diff;
      pQp = (pQp + diff * (diff * Q[t * k + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t * k + j]) / (1 + diff);
        p[o + j] /= 1 + diff;
      }
    }
  }
}

export function svc(p: Pickled): CompiledClassifier {
  const classes = p.strings('classes_');
  const k = classes.length;
  const pairs = (k * (k - 1)) / 2;
  const svShape = p.array('support_vectors_').shape;
  if (svShape.length !== 2)
    p.fail(`support_vectors_ has shape [${svShape.join(', ')}], expected 2 dimensions`);
  const [l, F] = svShape;
  const sv = p.numbers('support_vectors_');
  const nSV = p.numbers(p.has('_n_support') ? '_n_support' : 'n_support_', [k]);
  const coef = p.numbers('_dual_coef_', [k - 1, l]);
  const intercept = p.numbers('_intercept_', [pairs]);
  if (!nSV.every((c) => Number.isSafeInteger(c) && c >= 0) || nSV.reduce((a, b) => a + b, 0) !== l)
    p.fail(`support vector counts ${nSV.join(', ')} do not add up to the ${l} support vectors`);
  if (p.has('n_features_in_') && p.int('n_features_in_') !== F)
    p.fail(`support_vectors_ have ${F} features, n_features_in_ is ${p.int('n_features_in_')}`);
  if (p.opt('break_ties', (key) => p.bool(key), false) && k > 2)
    p.fail('break_ties=True is not supported', 'Re-fit with break_ties=False (the default).');
  const kernel = kernelOf(p);
  const start = new Int32Array(k);
  for (let i = 1; i < k; i++) start[i] = start[i - 1] + nSV[i - 1];
  const probability = p.opt('probability', (key) => p.bool(key), false);
  const probA = probability ? p.numbers(p.has('_probA') ? '_probA' : 'probA_', [pairs]) : null;
  const probB = probability ? p.numbers(p.has('_probB') ? '_probB' : 'probB_', [pairs]) : null;

  /** dec values of row `i` into `dec` (pairs), using `kv` (l) as scratch. */
  const decisionValues = (X: Float64Array, i: number, kv: Float64Array, dec: Float64Array): void => {
    for (let s = 0; s < l; s++) kv[s] = kernel(X, i * F, sv, s * F, F);
    let q = 0;
    for (let a = 0; a < k; a++)
      for (let b = a + 1; b < k; b++) {
        let sum = 0;
        const sa = start[a];
        const sb = start[b];
        for (let t = 0; t < nSV[a]; t++) sum += coef[(b - 1) * l + sa + t] * kv[sa + t];
        for (let t = 0; t < nSV[b]; t++) sum += coef[a * l + sb + t] * kv[sb + t];
        sum -= -intercept[q];
        dec[q++] = sum;
      }
  };

  return {
    path: [p.cls],
    classes,
    nFeatures: F,
    policy: 'finite',
    hasProba: probability,
    evaluate(X, n, withProba) {
      const label = new Int32Array(n);
      const proba = withProba ? new Float64Array(n * k) : null;
      if (proba && (!probA || !probB))
        return p.fail('predict_proba needs probability=True', 'Re-fit the SVC with probability=True.');
      const kv = new Float64Array(l);
      const dec = new Float64Array(pairs);
      const vote = new Int32Array(k);
      const r = new Float64Array(k * k);
      const Q = new Float64Array(k * k);
      const Qp = new Float64Array(k);
      const minProb = 1e-7;
      for (let i = 0; i < n; i++) {
        decisionValues(X, i, kv, dec);
        vote.fill(0);
        let q = 0;
        for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) vote[dec[q++] > 0 ? a : b]++;
        let best = 0;
        for (let c = 1; c < k; c++) if (vote[c] > vote[best]) best = c;
        label[i] = best;
        if (!proba || !probA || !probB) continue;
        q = 0;
        for (let a = 0; a < k; a++)
          for (let b = a + 1; b < k; b++) {
            const s = Math.min(Math.max(sigmoidPredict(dec[q], probA[q], probB[q]), minProb), 1 - minProb);
            r[a * k + b] = s;
            r[b * k + a] = 1 - s;
            q++;
          }
        multiclassProbability(k, r, proba, i * k, Q, Qp);
      }
      return { label, proba };
    },
  };
}

/**
 * Linear classifiers (scikit-learn's LinearClassifierMixin): LogisticRegression and LinearSVC.
 * decision = X·coefᵀ + intercept in float64; predict: one column → (decision > 0), else argmax.
 * LogisticRegression.predict_proba: one-vs-rest (expit per column, rows normalised when more than
 * one column; two classes give (1 − p, p)) or multinomial (softmax; two classes give
 * softmax(−d, d)), chosen as the pickle's scikit-learn version chose: `multi_class` 'ovr', or
 * 'auto'/'deprecated' with two classes or solver 'liblinear', is one-vs-rest; scikit-learn ≥ 1.8
 * (no `multi_class`) is one-vs-rest for two classes and multinomial otherwise.
 */
import { argmaxRows, binaryProba, expit, softmaxRows, type CompiledClassifier } from './compiled';
import type { Pickled } from './state';

interface Linear {
  coef: Float64Array;
  intercept: Float64Array;
  /** Columns of the decision function: 1 for two classes, else one per class. */
  k: number;
  nFeatures: number;
  classes: string[];
}

function readLinear(p: Pickled): Linear {
  const classes = p.strings('classes_');
  const coefShape = p.array('coef_').shape;
  if (coefShape.length !== 2) p.fail(`coef_ has shape [${coefShape.join(', ')}], expected 2 dimensions`);
  const [k, nFeatures] = coefShape;
  const expectK = classes.length === 2 ? 1 : classes.length;
  if (k !== expectK) p.fail(`coef_ has ${k} rows for ${classes.length} classes, expected ${expectK}`);
  const coef = p.numbers('coef_');
  const raw = p.raw('intercept_');
  const intercept = typeof raw === 'number' ? new Float64Array(k).fill(raw) : p.numbers('intercept_', [k]);
  return { coef, intercept, k, nFeatures, classes };
}

/** X·coefᵀ + intercept, n × k. */
function decision(m: Linear, X: Float64Array, n: number): Float64Array {
  const { coef, intercept, k, nFeatures: F } = m;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < F; j++) s += X[i * F + j] * coef[c * F + j];
      out[i * k + c] = s + intercept[c];
    }
  }
  return out;
}

function labelsOf(m: Linear, d: Float64Array, n: number): Int32Array {
  if (m.k > 1) return argmaxRows(d, n, m.k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = d[i] > 0 ? 1 : 0;
  return out;
}

function isOneVsRest(p: Pickled, nClasses: number): boolean {
  if (!p.has('multi_class')) return nClasses <= 2;
  const mc = p.string('multi_class');
  if (mc === 'ovr' || mc === 'warn') return true;
  if (mc === 'multinomial') return false;
  if (mc === 'auto' || mc === 'deprecated') return nClasses <= 2 || p.string('solver') === 'liblinear';
  return p.fail(`multi_class '${mc}' is not known`);
}

export function logisticRegression(p: Pickled): CompiledClassifier {
  const m = readLinear(p);
  const ovr = isOneVsRest(p, m.classes.length);
  return {
    path: [p.cls],
    classes: m.classes,
    nFeatures: m.nFeatures,
    policy: 'finite',
    hasProba: true,
    evaluate(X, n, withProba) {
      const d = decision(m, X, n);
      const label = labelsOf(m, d, n);
      return { label, proba: withProba ? logisticProba(m, ovr, d, n) : null };
    },
  };
}

/** predict_proba from the decision values (overwritten). */
function logisticProba(m: Linear, ovr: boolean, d: Float64Array, n: number): Float64Array {
  if (m.k === 1 && ovr) return binaryProba(d.map(expit));
  if (m.k === 1) {
    // multinomial with two classes: softmax over (−d, d).
    const two = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      two[2 * i] = -d[i];
      two[2 * i + 1] = d[i];
    }
    return softmaxRows(two, n, 2);
  }
  if (!ovr) return softmaxRows(d, n, m.k);
  for (let i = 0; i < n; i++) {
    const o = i * m.k;
    let sum = 0;
    for (let c = 0; c < m.k; c++) {
      d[o + c] = expit(d[o + c]);
      sum += d[o + c];
    }
    for (let c = 0; c < m.k; c++) d[o + c] /= sum;
  }
  return d;
}

export function linearSvc(p: Pickled): CompiledClassifier {
  const m = readLinear(p);
  return {
    path: [p.cls],
    classes: m.classes,
    nFeatures: m.nFeatures,
    policy: 'finite',
    hasProba: false,
    evaluate: (X, n) => ({ label: labelsOf(m, decision(m, X, n), n), proba: null }),
  };
}

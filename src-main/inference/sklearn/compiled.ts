/**
 * What an estimator becomes once read: a classifier or a transform working on row-major float64
 * feature matrices (n rows × nFeatures), plus the arithmetic scikit-learn shares between them
 * (argmax, softmax, expit) written the way numpy/scipy evaluate it.
 */

/**
 * What the estimator accepts in its input, as scikit-learn's input check does: 'finite' refuses NaN
 * and ±inf (most estimators), 'allow-nan' refuses only ±inf (scalers, trees of scikit-learn ≥ 1.3
 * with missing-value support), 'any' accepts both (HistGradientBoosting).
 */
export type InputPolicy = 'finite' | 'allow-nan' | 'any';

export interface CompiledTransform {
  /** Class paths, outermost first (one entry unless a Pipeline). */
  readonly path: readonly string[];
  readonly nFeatures: number;
  readonly policy: InputPolicy;
  /** A new matrix n × nFeatures (scalers keep the width). */
  transform(X: Float64Array, n: number): Float64Array;
}

export interface CompiledClassifier {
  readonly path: readonly string[];
  readonly classes: readonly string[];
  readonly nFeatures: number;
  readonly policy: InputPolicy;
  /** False when scikit-learn has no predict_proba for it (LinearSVC, SVC(probability=False)). */
  readonly hasProba: boolean;
  /**
   * One pass over X: the index into `classes` of each row's `predict`, and, when `withProba` (and
   * hasProba), `predict_proba` as n × classes.length, row-major, columns in `classes` order.
   */
  evaluate(X: Float64Array, n: number, withProba: boolean): Prediction;
}

export interface Prediction {
  label: Int32Array;
  proba: Float64Array | null;
}

/** The stricter of two input policies. */
export function stricter(a: InputPolicy, b: InputPolicy): InputPolicy {
  const order: InputPolicy[] = ['finite', 'allow-nan', 'any'];
  return order[Math.min(order.indexOf(a), order.indexOf(b))];
}

/** numpy's argmax along rows: the first maximum (a NaN wins, as in numpy). */
export function argmaxRows(M: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = 0;
    for (let j = 1; j < k; j++) {
      const v = M[o + j];
      if (Number.isNaN(M[o + best])) break;
      if (v > M[o + best] || Number.isNaN(v)) best = j;
    }
    out[i] = best;
  }
  return out;
}

/** scipy.special.expit. */
export function expit(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** sklearn.utils.extmath.softmax in place: subtract the row maximum, exp, divide by the row sum. */
export function softmaxRows(M: Float64Array, n: number, k: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = M[o];
    for (let j = 1; j < k; j++) if (M[o + j] > max) max = M[o + j];
    let sum = 0;
    for (let j = 0; j < k; j++) {
      M[o + j] = Math.exp(M[o + j] - max);
      sum += M[o + j];
    }
    for (let j = 0; j < k; j++) M[o + j] /= sum;
  }
  return M;
}

/** Two columns (1 − p, p) from one column of P(second class). */
export function binaryProba(p1: Float64Array): Float64Array {
  const out = new Float64Array(p1.length * 2);
  for (let i = 0; i < p1.length; i++) {
    out[2 * i] = 1 - p1[i];
    out[2 * i + 1] = p1[i];
  }
  return out;
}

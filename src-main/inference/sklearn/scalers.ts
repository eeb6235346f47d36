/**
 * Scalers in float64, as scikit-learn's transform() does: StandardScaler (X − mean_) / scale_,
 * MinMaxScaler X·scale_ + min_ (then clipped to feature_range when clip=True), RobustScaler
 * (X − center_) / scale_. Each step is skipped when its flag is off, exactly like scikit-learn.
 * NaN passes through (scikit-learn's scalers accept it); ±inf is refused upstream.
 */
import type { CompiledTransform } from './compiled';
import type { Pickled } from './state';

type Op = (v: number, j: number) => number;

function scaler(p: Pickled, nFeatures: number, ops: Op[]): CompiledTransform {
  return {
    path: [p.cls],
    nFeatures,
    policy: 'allow-nan',
    transform(X, n) {
      const out = Float64Array.from(X);
      for (const op of ops) for (let i = 0; i < n * nFeatures; i++) out[i] = op(out[i], i % nFeatures);
      return out;
    },
  };
}

export function standardScaler(p: Pickled): CompiledTransform {
  const F = p.int('n_features_in_');
  const ops: Op[] = [];
  if (p.bool('with_mean')) {
    const mean = p.numbers('mean_', [F]);
    ops.push((v, j) => v - mean[j]);
  }
  if (p.bool('with_std')) {
    const scale = p.numbers('scale_', [F]);
    ops.push((v, j) => v / scale[j]);
  }
  return scaler(p, F, ops);
}

export function minMaxScaler(p: Pickled): CompiledTransform {
  const F = p.int('n_features_in_');
  const scale = p.numbers('scale_', [F]);
  const min = p.numbers('min_', [F]);
  const ops: Op[] = [(v, j) => v * scale[j], (v, j) => v + min[j]];
  if (p.opt('clip', (k) => p.bool(k), false)) {
    const range = p.list('feature_range').map(Number);
    const [lo, hi] = range;
    // np.clip: NaN stays NaN.
    ops.push((v) => (v < lo ? lo : v > hi ? hi : v));
  }
  return scaler(p, F, ops);
}

export function robustScaler(p: Pickled): CompiledTransform {
  const F = p.int('n_features_in_');
  const ops: Op[] = [];
  if (p.bool('with_centering')) {
    const center = p.numbers('center_', [F]);
    ops.push((v, j) => v - center[j]);
  }
  if (p.bool('with_scaling')) {
    const scale = p.numbers('scale_', [F]);
    ops.push((v, j) => v / scale[j]);
  }
  return scaler(p, F, ops);
}

/**
 * A linear Kalman filter over the matrices of a btrack motion model (row-major Float64Array,
 * s states, m measurements): predict x ← A·x, P ← A·P·Aᵀ + Q; update with measurement z:
 * innovation y = z − H·x, S = H·P·Hᵀ + R, K = P·Hᵀ·S⁻¹, x ← x + K·y, P ← (I − K·H)·P.
 */
import type { BtrackMotionModel } from './types';

/** C = A (r×k) · B (k×c). */
export function matMul(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < k; t++) {
      const x = a[i * k + t];
      if (x === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += x * b[t * c + j];
    }
  }
  return out;
}

/** out = A (r×k) · B (k×c), into a buffer of r·c entries (not aliasing A or B). */
export function mulInto(
  a: Float64Array,
  b: Float64Array,
  r: number,
  k: number,
  c: number,
  out: Float64Array,
): Float64Array {
  out.fill(0, 0, r * c);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < k; t++) {
      const x = a[i * k + t];
      if (x === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += x * b[t * c + j];
    }
  }
  return out;
}

export function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

/** Inverse of a small n×n matrix by Gauss–Jordan with partial pivoting; null when singular. */
export function invert(a: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) piv = r;
    const p = m[piv * n + col];
    if (Math.abs(p) < 1e-300) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        [m[col * n + j], m[piv * n + j]] = [m[piv * n + j], m[col * n + j]];
        [inv[col * n + j], inv[piv * n + j]] = [inv[piv * n + j], inv[col * n + j]];
      }
    }
    for (let j = 0; j < n; j++) {
      m[col * n + j] /= p;
      inv[col * n + j] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[col * n + j];
        inv[r * n + j] -= f * inv[col * n + j];
      }
    }
  }
  return inv;
}

/** Filter state of one track. */
export interface KalmanState {
  x: Float64Array;
  P: Float64Array;
}

/** Precomputed model matrices. */
export class KalmanModel {
  readonly s: number;
  readonly m: number;
  private readonly At: Float64Array;
  private readonly Ht: Float64Array;
  // Scratch for the per-frame hot path (predict, positionCovariance): no allocation per track.
  private readonly AP: Float64Array;
  private readonly Ax: Float64Array;
  private readonly HP: Float64Array;
  private readonly HPHt: Float64Array;

  constructor(readonly model: BtrackMotionModel) {
    this.s = model.states;
    this.m = model.measurements;
    this.At = transpose(model.A.values, this.s, this.s);
    this.Ht = transpose(model.H.values, this.m, this.s);
    this.AP = new Float64Array(this.s * this.s);
    this.Ax = new Float64Array(this.s);
    this.HP = new Float64Array(this.m * this.s);
    this.HPHt = new Float64Array(this.m * this.m);
  }

  /** New track at measurement z: x = Hᵀ·z (z placed in the observed states), P = the model's P. */
  init(z: Float64Array): KalmanState {
    return { x: matMul(this.Ht, z, this.s, this.m, 1), P: Float64Array.from(this.model.P.values) };
  }

  /** Time update in place: x ← A·x, P ← A·P·Aᵀ + Q. */
  predict(st: KalmanState): void {
    const { s, AP, Ax } = this;
    const A = this.model.A.values;
    const Q = this.model.Q.values;
    mulInto(A, st.x, s, s, 1, Ax);
    st.x.set(Ax);
    mulInto(A, st.P, s, s, s, AP);
    mulInto(AP, this.At, s, s, s, st.P);
    for (let i = 0; i < s * s; i++) st.P[i] += Q[i];
  }

  /** Predicted measurement H·x. */
  measurement(st: KalmanState): Float64Array {
    return matMul(this.model.H.values, st.x, this.m, this.s, 1);
  }

  /**
   * Covariance of the measured quantities under the state's uncertainty, H·P·Hᵀ (m×m), in a
   * buffer the next call overwrites.
   */
  positionCovariance(st: KalmanState): Float64Array {
    const { s, m } = this;
    mulInto(this.model.H.values, st.P, m, s, s, this.HP);
    return mulInto(this.HP, this.Ht, m, s, m, this.HPHt);
  }

  /** Innovation covariance S = H·P·Hᵀ + R (m×m). */
  innovation(st: KalmanState): Float64Array {
    const { s, m } = this;
    const S = matMul(matMul(this.model.H.values, st.P, m, s, s), this.Ht, m, s, m);
    const R = this.model.R.values;
    for (let i = 0; i < m * m; i++) S[i] += R[i];
    return S;
  }

  /** Inverse innovation covariance S⁻¹ = (H·P·Hᵀ + R)⁻¹ (null when singular). */
  innovationInverse(st: KalmanState): Float64Array | null {
    return invert(this.innovation(st), this.m);
  }

  update(st: KalmanState, z: Float64Array): void {
    const { s, m } = this;
    const Sinv = this.innovationInverse(st);
    if (!Sinv) {
      st.x = this.init(z).x; // degenerate covariance: restart at the measurement
      return;
    }
    const hx = this.measurement(st);
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) y[i] = z[i] - hx[i];
    const K = matMul(matMul(st.P, this.Ht, s, s, m), Sinv, s, m, m);
    const dx = matMul(K, y, s, m, 1);
    for (let i = 0; i < s; i++) st.x[i] += dx[i];
    const KH = matMul(K, this.model.H.values, s, m, s);
    for (let i = 0; i < s * s; i++) KH[i] = (i % (s + 1) === 0 ? 1 : 0) - KH[i];
    st.P = matMul(KH, st.P, s, s, s);
  }
}

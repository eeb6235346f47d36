import { AnalysisError, AnalysisOptionError } from '../errors';
import { Dct2d } from './dct';

/**
 * BaSiC flat-field and baseline estimation as HiTMicTools runs it on a fluorescence channel:
 * BaSiCPy 1.2 (`peng-lab/BaSiCPy` v1.2.0, `basicpy.py` and `_jax_routines.py`; HiTMicTools' README
 * asks for 1.2.0b0) with `BaSiC(smoothness_flatfield=5, smoothness_darkfield=5, get_darkfield=False,
 * sort_intensity=False, fitting_mode="approximate")`, `fit` on the channel's T×Y×X stack, then
 * `transform(stack, timelapse=True)` = frame ÷ flat field − baseline[t].
 *
 * Model: frame_t ≈ B_t · S + I_R_t, S a smooth flat field (sparse in the 2-D DCT), B_t a per-frame
 * baseline, I_R_t a sparse residual (the cells). All work happens at the working size (128×128):
 * frames are shrunk as `jax.image.resize(..., 'linear')` does as they are read (BasicStack), the
 * fitted S (mean 1) is grown back to the frame size as `skimage.transform.resize` does
 * (basicFlatfieldAtSize), and each frame is corrected at full size (correctBasicTimelapse) — all
 * three in basic-frames.ts, the resampling rules in basic-resize.ts. The darkfield is 0.
 *
 * Not followed: BaSiCPy 2.x (PyTorch backend, `is_timelapse`) refits the baseline inside
 * `transform` and no longer scales smoothness by the data; HiTMicTools' pinned fork
 * (phisanti/BaSiCPy_scm) could not be read.
 *
 * Memory: the fit keeps four float32 arrays of T × 128² (images, weights, residual, multipliers),
 * 256 KB per frame whatever the frame size — every frame is used, as in HiTMicTools, because each
 * frame's baseline comes out of the fit. float64 is used for sums, means, the DCT and the flat field
 * while it is estimated; BaSiCPy (JAX) works in float32 throughout.
 */
export const BASIC_DEFAULTS = {
  /** BaSiCPy `working_size`. */
  workingSize: 128,
  /** HiTMicTools passes 5 (BaSiCPy's default is 1); scaled by the data in the approximate mode. */
  smoothnessFlatfield: 5,
  /** Weight regularisation in the reweighting. */
  epsilon: 0.1,
  /** Per single optimisation. */
  maxIterations: 500,
  maxReweightIterations: 10,
  /** mu grows by rho per iteration, from muCoef / spectral norm up to maxMuCoef times that. */
  rho: 1.5,
  muCoef: 12.5,
  maxMuCoef: 1e7,
  /** Stop when ‖residual‖₂ / ‖images‖₂ ≤ this (the approximate mode never uses optimization_tol_diff). */
  optimizationTol: 1e-3,
  /** Stop reweighting when Σ|S − S_previous| / Σ|S_previous| ≤ this. */
  reweightingTol: 1e-2,
} as const;

export type BasicSettings = { [K in keyof typeof BASIC_DEFAULTS]: number };

/** BaSiC could not be fitted (an empty stack, or a flat field that came out zero). */
export class BasicFitError extends AnalysisError {
  constructor(what: string, expected: string, actual: string, hint: string) {
    super(what, { where: 'BaSiC flat-field fit', expected, actual, hint });
  }
}

/** Frames at the working size, one after the other (BasicStack of basic-frames.ts collects them). */
export interface WorkingStack {
  /** Working size: frames are n×n. */
  readonly n: number;
  readonly frames: number;
  /** frames × n × n values. */
  readonly images: Float32Array;
}

export interface BasicFit {
  workingSize: number;
  /** Flat field at the working size (n×n, mean 1): S of frame = B·S + residual. */
  flatfield: Float32Array;
  /** Baseline of every frame given (float32, as BaSiCPy keeps it). */
  baseline: Float32Array;
  /** The flat-field sparsity weight the approximate mode derived from the data (BaSiCPy `_smoothness_flatfield`). */
  smoothness: number;
  /** Iterations of each single optimisation, one per reweighting. */
  iterations: number[];
  /** The last single optimisation reached optimizationTol before maxIterations. */
  converged: boolean;
  /** The reweighting reached reweightingTol before maxReweightIterations. */
  reweightConverged: boolean;
}

/**
 * BaSiCPy 1.2 `BaSiC.fit` in the approximate mode, without darkfield, sorting or segmentation.
 * One frame is fitted as HiTMicTools does it (the frame twice, the first baseline kept).
 */
export function fitBasic(stack: WorkingStack, settings: Partial<BasicSettings> = {}): BasicFit {
  const o: BasicSettings = { ...BASIC_DEFAULTS, ...settings };
  if (o.workingSize !== stack.n)
    throw new AnalysisOptionError(
      'workingSize',
      `the stack's working size ${stack.n}`,
      String(o.workingSize),
    );
  const frames = stack.frames;
  if (frames === 0)
    throw new BasicFitError(
      'no frames to fit',
      'at least one frame',
      '0 frames',
      "Add the channel's frames before fitting.",
    );
  const n = stack.n;
  const N = n * n;
  let images = stack.images;
  if (frames === 1) {
    images = new Float32Array(2 * N);
    images.set(stack.images);
    images.set(stack.images, N);
  }
  const T = images.length / N;
  let sumSq = 0;
  for (let i = 0; i < images.length; i++) sumSq += images[i] * images[i];
  if (!(sumSq > 0) || !Number.isFinite(sumSq))
    throw new BasicFitError(
      'the channel has nothing to fit',
      'frames with finite intensities, not all zero',
      sumSq === 0 ? `${frames} all-zero frame(s)` : 'NaN or infinite pixels',
      'Check that pi_channel names the fluorescence channel, or use method: standard.',
    );
  const dct = new Dct2d(n, n);
  const smoothness = flatfieldSmoothness(images, T, N, dct) * o.smoothnessFlatfield;
  const initMu = o.muCoef / largestSingularValue(images, T, N);
  const state: FitState = {
    images,
    T,
    N,
    dct,
    weight: new Float32Array(T * N).fill(1),
    residual: new Float32Array(T * N),
    multiplier: new Float32Array(T * N),
    S: new Float64Array(N),
    Shat: new Float64Array(N),
    temp: new Float64Array(N),
    B: new Float64Array(T),
    smoothness,
    initMu,
    maxMu: initMu * o.maxMuCoef,
    imageNorm: Math.sqrt(sumSq),
    o,
  };
  const iterations: number[] = [];
  let converged = false;
  let reweightConverged = false;
  let last: Float64Array | null = null;
  for (let r = 0; r < o.maxReweightIterations; r++) {
    const k = optimise(state);
    iterations.push(k);
    converged = k < o.maxIterations;
    const { S, B } = state;
    let maxS = -Infinity;
    let meanS = 0;
    for (let i = 0; i < N; i++) {
      maxS = Math.max(maxS, S[i]);
      meanS += S[i] / N;
    }
    if (maxS === 0)
      throw new BasicFitError(
        'the estimated flat field is zero',
        'a fluorescence channel with signal',
        `${frames} frame(s) whose flat field came out 0`,
        'Check that pi_channel names the fluorescence channel, or use method: standard.',
      );
    for (let i = 0; i < N; i++) S[i] /= meanS;
    for (let t = 0; t < T; t++) B[t] *= meanS;
    reweigh(state);
    if (last) {
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < N; i++) {
        diff += Math.abs(S[i] - last[i]);
        norm += Math.abs(last[i]);
      }
      if (diff / norm <= o.reweightingTol) {
        reweightConverged = true;
        break;
      }
    }
    last = S.slice();
  }
  return {
    workingSize: n,
    flatfield: Float32Array.from(state.S),
    baseline: Float32Array.from(state.B.subarray(0, frames)),
    smoothness,
    iterations,
    converged,
    reweightConverged,
  };
}

interface FitState {
  images: Float32Array;
  T: number;
  N: number;
  dct: Dct2d;
  weight: Float32Array;
  residual: Float32Array;
  multiplier: Float32Array;
  S: Float64Array;
  Shat: Float64Array;
  temp: Float64Array;
  B: Float64Array;
  smoothness: number;
  initMu: number;
  maxMu: number;
  imageNorm: number;
  o: BasicSettings;
}

/** Σ|DCT(mean image ÷ its mean)| / 800: BaSiCPy's data-derived scale of smoothness_flatfield. */
function flatfieldSmoothness(images: Float32Array, T: number, N: number, dct: Dct2d): number {
  const mean = new Float64Array(N);
  let total = 0;
  for (let t = 0; t < T; t++) {
    const off = t * N;
    for (let i = 0; i < N; i++) mean[i] += images[off + i];
  }
  for (let i = 0; i < N; i++) total += mean[i];
  const scale = N / total; // (Σ_t x / T) ÷ (Σ x / (T·N))
  for (let i = 0; i < N; i++) mean[i] *= scale;
  const coeffs = dct.forward(mean);
  let s = 0;
  for (let i = 0; i < N; i++) s += Math.abs(coeffs[i]);
  return s / 800;
}

/**
 * Largest singular value of the T×N matrix of frames (BaSiCPy takes it from an SVD): power
 * iteration on A·Aᵀ. Frames of one channel are alike, so the first singular value dominates and
 * this converges in a few steps; the cap only guards degenerate stacks.
 */
function largestSingularValue(a: Float32Array, T: number, N: number): number {
  let v = new Float64Array(T).fill(1 / Math.sqrt(T));
  let w = new Float64Array(T);
  const u = new Float64Array(N);
  let lambda = 0;
  for (let it = 0; it < 1000; it++) {
    u.fill(0);
    for (let t = 0; t < T; t++) {
      const vt = v[t];
      const off = t * N;
      for (let i = 0; i < N; i++) u[i] += a[off + i] * vt;
    }
    let norm = 0;
    for (let t = 0; t < T; t++) {
      let s = 0;
      const off = t * N;
      for (let i = 0; i < N; i++) s += a[off + i] * u[i];
      w[t] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    for (let t = 0; t < T; t++) w[t] /= norm;
    [v, w] = [w, v];
    const done = Math.abs(norm - lambda) <= 1e-14 * norm;
    lambda = norm;
    if (done) break;
  }
  return Math.sqrt(lambda);
}

/** sign(x)·max(|x| − threshold, 0). */
function shrink(x: number, threshold: number): number {
  return x > threshold ? x - threshold : x < -threshold ? x + threshold : 0;
}

/**
 * One single optimisation of the approximate mode (`ApproximateFit._step` until ‖residual‖ /
 * ‖images‖ ≤ optimizationTol or maxIterations), from S = 0, B = 1, residual = 0, multipliers = 0.
 * Per iteration: S ← IDCT(shrink(DCT(S) + DCT(mean_t(I − S·B_t − I_R + Y/μ)), λ/μ));
 * I_R ← shrink(I − S·B_t + Y/μ, W/μ); R = I − I_R; B_t ← max(mean(R_t) / mean(R), 0);
 * Y ← Y + μ·(R − S·B_t) with the B of before this step; μ ← min(1.5μ, μ_max).
 * DCT(S) is kept from the previous step's shrunken coefficients (equal in exact arithmetic).
 * Returns the number of iterations run.
 */
function optimise(st: FitState): number {
  const { images, weight, residual: IR, multiplier: Y, S, Shat, temp, B, T, N, o } = st;
  S.fill(0);
  Shat.fill(0);
  B.fill(1);
  IR.fill(0);
  Y.fill(0);
  const sumR = new Float64Array(T);
  let mu = st.initMu;
  let residualNorm = Infinity;
  let k = 0;
  while (residualNorm / st.imageNorm > o.optimizationTol && k < o.maxIterations) {
    const invMu = 1 / mu;
    temp.fill(0);
    for (let t = 0; t < T; t++) {
      const b = B[t];
      const off = t * N;
      for (let i = 0; i < N; i++) temp[i] += images[off + i] - S[i] * b - IR[off + i] + Y[off + i] * invMu;
    }
    for (let i = 0; i < N; i++) temp[i] /= T;
    st.dct.forward(temp, temp);
    const threshold = st.smoothness * invMu;
    for (let i = 0; i < N; i++) Shat[i] = shrink(Shat[i] + temp[i], threshold);
    st.dct.inverse(Shat, S);
    let sq = 0;
    let totalR = 0;
    for (let t = 0; t < T; t++) {
      const b = B[t];
      const off = t * N;
      let rowR = 0;
      for (let i = 0; i < N; i++) {
        const im = images[off + i];
        const background = S[i] * b;
        const ir = shrink(im - background + Y[off + i] * invMu, weight[off + i] * invMu);
        IR[off + i] = ir;
        const r = im - ir;
        rowR += r;
        const fit = r - background;
        Y[off + i] += mu * fit;
        sq += fit * fit;
      }
      sumR[t] = rowR;
      totalR += rowR;
    }
    const meanR = totalR / (T * N);
    for (let t = 0; t < T; t++) B[t] = Math.max(sumR[t] / N / meanR, 0);
    mu = Math.min(mu * o.rho, st.maxMu);
    residualNorm = Math.sqrt(sq);
    k++;
  }
  return k;
}

/**
 * `ApproximateFit.calc_weights`: W = 1 / (|I_R / (mean(B_t·S) + 1e-6)| + ε), normalised to mean 1
 * over the whole stack (S and B already normalised so that mean(S) = 1).
 */
function reweigh(st: FitState): void {
  const { weight, residual, S, B, T, N, o } = st;
  let meanS = 0;
  for (let i = 0; i < N; i++) meanS += S[i] / N;
  let total = 0;
  for (let t = 0; t < T; t++) {
    const denom = B[t] * meanS + 1e-6;
    const off = t * N;
    for (let i = 0; i < N; i++) {
      const w = 1 / (Math.abs(residual[off + i] / denom) + o.epsilon);
      weight[off + i] = w;
      total += w;
    }
  }
  const mean = total / (T * N);
  for (let i = 0; i < weight.length; i++) weight[i] /= mean;
}

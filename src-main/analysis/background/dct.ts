import { AnalysisOptionError, checkFrame } from '../errors';
import { fftPlan, type FftPlan } from '../fft';

/**
 * Orthonormal 1-D DCT-II of one length and its inverse (the orthonormal DCT-III), as
 * `scipy.fft.dct(x, type=2, norm='ortho')` / `idct(..., norm='ortho')` (what BaSiCPy's `dct2d` and
 * `idct2d` compute, axis by axis):
 *   X[k] = s_k · Σ_n x[n] · cos(π k (2n + 1) / (2N)),  s_0 = √(1/N), s_k = √(2/N).
 * Powers of two use Makhoul's algorithm (one complex FFT of the even/odd-reordered signal,
 * O(N log N)); other lengths a precomputed cosine table (O(N²)). float64 throughout.
 * Buffers are kept: one instance is not re-entrant.
 */
export class Dct1d {
  readonly n: number;
  private readonly scale: Float64Array;
  /** cos/sin of π k / (2N): Makhoul's post-twiddle. */
  private readonly twCos: Float64Array;
  private readonly twSin: Float64Array;
  /** The N-point FFT (powers of two only). */
  private readonly fft: FftPlan | null;
  /** N×N table cos(π k (2n+1) / (2N)) for lengths that are not powers of two. */
  private readonly table: Float64Array | null;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new AnalysisOptionError('n', 'a positive integer transform length', String(n));
    this.n = n;
    this.scale = new Float64Array(n).map((_, k) => Math.sqrt((k === 0 ? 1 : 2) / n));
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    const pow2 = (n & (n - 1)) === 0;
    this.twCos = new Float64Array(n);
    this.twSin = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      this.twCos[k] = Math.cos((Math.PI * k) / (2 * n));
      this.twSin[k] = Math.sin((Math.PI * k) / (2 * n));
    }
    this.fft = pow2 ? fftPlan(n) : null;
    this.table = pow2 ? null : cosineTable(n);
  }

  /** DCT-II (orthonormal) of `src[offset + i·stride]`, i < N, written to `dst` the same way. */
  forward(src: Float64Array, dst: Float64Array, offset = 0, stride = 1): void {
    const { n, re, im } = this;
    if (this.table) {
      for (let i = 0; i < n; i++) re[i] = src[offset + i * stride];
      for (let k = 0; k < n; k++) {
        let s = 0;
        const row = k * n;
        for (let i = 0; i < n; i++) s += this.table[row + i] * re[i];
        dst[offset + k * stride] = s * this.scale[k];
      }
      return;
    }
    // v[i] = x[2i], v[N−1−i] = x[2i+1]; then C[k] = Re(e^{−iπk/2N} · FFT(v)[k]).
    const half = (n + 1) >> 1;
    for (let i = 0; i < half; i++) re[i] = src[offset + 2 * i * stride];
    for (let i = 0; i < n >> 1; i++) re[n - 1 - i] = src[offset + (2 * i + 1) * stride];
    im.fill(0);
    // Without a table N is a power of two, so the FFT plan exists.
    (this.fft as FftPlan).run(re, im, 0, false);
    for (let k = 0; k < n; k++)
      dst[offset + k * stride] = (re[k] * this.twCos[k] + im[k] * this.twSin[k]) * this.scale[k];
  }

  /** Inverse of `forward` (orthonormal DCT-III), same addressing. */
  inverse(src: Float64Array, dst: Float64Array, offset = 0, stride = 1): void {
    const { n, re, im } = this;
    if (this.table) {
      for (let k = 0; k < n; k++) re[k] = src[offset + k * stride] * this.scale[k];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += this.table[k * n + i] * re[k];
        dst[offset + i * stride] = s;
      }
      return;
    }
    // Undo the scaling to the plain sums C[k]; FFT(v)[k] = e^{iπk/2N} (C[k] − i·C[N−k]), C[N] = 0.
    for (let k = 0; k < n; k++) {
      const c = src[offset + k * stride] / this.scale[k];
      const cm = k === 0 ? 0 : src[offset + (n - k) * stride] / this.scale[n - k];
      re[k] = c * this.twCos[k] + cm * this.twSin[k];
      im[k] = c * this.twSin[k] - cm * this.twCos[k];
    }
    (this.fft as FftPlan).run(re, im, 0, true); // scales by 1/N
    const half = (n + 1) >> 1;
    for (let i = 0; i < half; i++) dst[offset + 2 * i * stride] = re[i];
    for (let i = 0; i < n >> 1; i++) dst[offset + (2 * i + 1) * stride] = re[n - 1 - i];
  }
}

function cosineTable(n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) t[k * n + i] = Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  return t;
}

/**
 * Orthonormal 2-D DCT-II of a row-major height×width float64 image and its inverse:
 * `scipy.fft.dctn(a, norm='ortho')` / `idctn(a, norm='ortho')` (BaSiCPy's `dct2d` / `idct2d`),
 * separable — rows, then columns. `dst` may be `src`. Not re-entrant (buffers are kept).
 */
export class Dct2d {
  private readonly alongRows: Dct1d;
  private readonly alongColumns: Dct1d;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.alongRows = new Dct1d(width);
    this.alongColumns = width === height ? this.alongRows : new Dct1d(height);
  }

  forward(src: Float64Array, dst: Float64Array = new Float64Array(src.length)): Float64Array {
    return this.apply(src, dst, false);
  }

  inverse(src: Float64Array, dst: Float64Array = new Float64Array(src.length)): Float64Array {
    return this.apply(src, dst, true);
  }

  private apply(src: Float64Array, dst: Float64Array, inverse: boolean): Float64Array {
    const { width: w, height: h } = this;
    checkFrame('src', src, w, h);
    checkFrame('dst', dst, w, h);
    for (let y = 0; y < h; y++) {
      if (inverse) this.alongRows.inverse(src, dst, y * w, 1);
      else this.alongRows.forward(src, dst, y * w, 1);
    }
    for (let x = 0; x < w; x++) {
      if (inverse) this.alongColumns.inverse(dst, dst, x, w);
      else this.alongColumns.forward(dst, dst, x, w);
    }
    return dst;
  }
}

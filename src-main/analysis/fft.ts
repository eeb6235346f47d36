/**
 * In-place radix-2 complex FFT on split real/imaginary Float64Arrays, 1-D and 2-D (row-major,
 * both sizes powers of two). Forward: X[k] = Σ x[n]·e^(−2πi·kn/N); inverse includes the 1/N
 * factor. Twiddle and bit-reversal tables are cached per size.
 */
class Plan {
  readonly n: number;
  readonly rev: Uint32Array;
  readonly cos: Float64Array;
  readonly sin: Float64Array;

  constructor(n: number) {
    this.n = n;
    const bits = Math.round(Math.log2(n));
    this.rev = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(n >> 1);
    this.sin = new Float64Array(n >> 1);
    for (let i = 0; i < n >> 1; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = Math.sin((2 * Math.PI * i) / n);
    }
  }

  /** Transforms re/im[off .. off+n) in place; `inverse` uses e^(+2πi…) and scales by 1/n. */
  run(re: Float64Array, im: Float64Array, off: number, inverse: boolean): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const a = off + i;
        const b = off + j;
        let t = re[a];
        re[a] = re[b];
        re[b] = t;
        t = im[a];
        im[a] = im[b];
        im[b] = t;
      }
    }
    const sgn = inverse ? 1 : -1;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = sgn * this.sin[k * step];
          const a = off + start + k;
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    if (inverse) {
      for (let i = 0; i < n; i++) {
        re[off + i] /= n;
        im[off + i] /= n;
      }
    }
  }
}

export type { Plan as FftPlan };

const plans = new Map<number, Plan>();
/** The cached plan of an n-point FFT (n a power of two), shared by alignment and BaSiC's DCT. */
export function fftPlan(n: number): Plan {
  let p = plans.get(n);
  if (!p) {
    p = new Plan(n);
    plans.set(n, p);
  }
  return p;
}

/** Smallest power of two ≥ n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/** 2-D FFT of a width × height row-major complex array, in place (width, height powers of two). */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  inverse: boolean,
): void {
  const pw = fftPlan(width);
  for (let y = 0; y < height; y++) pw.run(re, im, y * width, inverse);
  const ph = fftPlan(height);
  const cr = new Float64Array(height);
  const ci = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      cr[y] = re[y * width + x];
      ci[y] = im[y * width + x];
    }
    ph.run(cr, ci, 0, inverse);
    for (let y = 0; y < height; y++) {
      re[y * width + x] = cr[y];
      im[y * width + x] = ci[y];
    }
  }
}

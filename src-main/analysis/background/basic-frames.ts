import { AnalysisOptionError, checkFrame } from '../errors';
import { BASIC_DEFAULTS, type BasicFit, type WorkingStack } from './basic';
import { jaxLinearResampler, resample2d, skimageResampler, type AxisResampler } from './basic-resize';

/**
 * The frames of one channel at BaSiC's working size, collected one at a time (so a movie is never
 * held in memory): `add` shrinks each frame to workingSize² as `jax.image.resize(linear)` does.
 */
export class BasicStack implements WorkingStack {
  readonly n: number;
  private data: Float32Array;
  private count = 0;
  private readonly alongX: AxisResampler;
  private readonly alongY: AxisResampler;
  private readonly tmp: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    expectedFrames = 16,
    workingSize: number = BASIC_DEFAULTS.workingSize,
  ) {
    checkFrame('BasicStack frame size', { length: width * height }, width, height);
    this.n = workingSize;
    this.alongX = jaxLinearResampler(width, workingSize);
    this.alongY = jaxLinearResampler(height, workingSize);
    this.tmp = new Float64Array(workingSize * height);
    this.data = new Float32Array(Math.max(1, expectedFrames) * workingSize * workingSize);
  }

  /** Adds one width×height frame (row-major). */
  add(frame: ArrayLike<number>): void {
    checkFrame('frame', frame, this.width, this.height);
    const size = this.n * this.n;
    if ((this.count + 1) * size > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    resample2d(
      frame,
      this.alongX,
      this.alongY,
      this.data.subarray(this.count * size, (this.count + 1) * size),
      this.tmp,
    );
    this.count++;
  }

  get frames(): number {
    return this.count;
  }

  /** All frames at the working size, frame after frame (a view, not a copy). */
  get images(): Float32Array {
    return this.data.subarray(0, this.count * this.n * this.n);
  }
}

/**
 * The fitted flat field at the frame size, as BaSiCPy does it (`skimage.transform.resize(S,
 * frame shape)`: linear, mirrored borders, a Gaussian first on axes that shrink, clipped to S's
 * range). float32, as skimage returns it for BaSiCPy's float32 S.
 */
export function basicFlatfieldAtSize(fit: BasicFit, width: number, height: number): Float32Array {
  const n = fit.workingSize;
  checkFrame('flatfield', fit.flatfield, n, n);
  const antiAlias = width < n || height < n;
  const out = new Float32Array(width * height);
  resample2d(
    fit.flatfield,
    skimageResampler(n, width, antiAlias),
    skimageResampler(n, height, antiAlias),
    out,
  );
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of fit.flatfield) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(hi, Math.max(lo, out[i]));
  return out;
}

/**
 * BaSiCPy 1.2 `transform(timelapse=True)` of one frame: (frame − darkfield) / flatfield −
 * baseline, darkfield 0, in float32 arithmetic as numpy does it on float32 arrays. Background ends
 * near 0 and can be negative. `out` may be `frame`.
 */
export function correctBasicTimelapse(
  frame: Float32Array,
  flatfield: Float32Array,
  baseline: number,
  out: Float32Array = new Float32Array(frame.length),
): Float32Array {
  if (flatfield.length !== frame.length || out.length !== frame.length)
    throw new AnalysisOptionError(
      'flatfield',
      `a flat field and output of the frame's ${frame.length} pixels`,
      `${flatfield.length} and ${out.length}`,
      'Grow the fitted flat field to this frame size with basicFlatfieldAtSize.',
    );
  const b = Math.fround(baseline);
  for (let i = 0; i < frame.length; i++) out[i] = Math.fround(frame[i] / flatfield[i]) - b;
  return out;
}

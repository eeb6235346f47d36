import {
  AnalysisOptionError,
  applyShift,
  basicFlatfieldAtSize,
  BasicStack,
  commonCrop,
  correctBackgroundStandard,
  correctBasicTimelapse,
  cropFrame,
  DriftEstimator,
  fitBasic,
  GaussianBlur,
  backgroundKernelSize,
  type BackgroundPlan,
  type BasicFit,
  type ChannelCorrection,
  type CropBox,
  type Shift,
} from '../analysis';
import type { Movie, PixelArray } from '../io';

/** A plane as float32 (a copy; the movie's LRU keeps its own). */
export function toFloat32(data: PixelArray): Float32Array {
  return data instanceof Float32Array ? new Float32Array(data) : Float32Array.from(data as ArrayLike<number>);
}

/**
 * Drift of every frame against the first, from the reference channel (HiTMicTools aligns on
 * channel 0; we use the configured reference channel), and the crop valid in all frames.
 */
export async function estimateMovieDrift(
  movie: Movie,
  channel: number,
  frames: number[],
  signal: AbortSignal,
): Promise<{ shifts: Shift[]; crop: CropBox }> {
  const { x: W, y: H } = movie.info.shape;
  const est = new DriftEstimator(W, H);
  const shifts: Shift[] = [];
  for (const t of frames) {
    signal.throwIfAborted();
    const plane = await movie.readPlane({ t, c: channel }, signal);
    shifts.push(est.next(toFloat32(plane.data)));
  }
  return { shifts, crop: commonCrop(shifts, W, H) };
}

/** The two channels a movie pipeline prepares. */
export type ChannelKind = 'brightfield' | 'fluorescence';

/** A BaSiC model fitted on one channel of this movie, at the prepared (aligned, cropped) frame size. */
interface FittedBasic {
  fit: BasicFit;
  flatfield: Float32Array;
}

/**
 * Prepares one channel of one frame as HiTMicTools does before its models run: alignment shift
 * and crop, then the background correction the plan gives that channel (planBackgroundCorrection):
 * - `standard` (bright field): divide by a 20 µm Gaussian blur, a ratio around 1;
 * - `basic`: BaSiC's flat field and this frame's baseline, fitted beforehand over the movie's
 *   aligned frames (`fitBasic` of this class, as HiTMicTools fits after alignment): frame ÷ flat
 *   field − baseline, background near 0;
 * - `none` (fluorescence under `method: standard`): counts, uncorrected.
 */
export class FramePrep {
  private readonly blur: GaussianBlur;
  private readonly shifted: Float32Array;
  private readonly basic = new Map<ChannelKind, FittedBasic>();

  constructor(
    readonly width: number,
    readonly height: number,
    readonly pixelSizeUm: number,
    private readonly shifts: Shift[] | null,
    readonly crop: CropBox | null,
    readonly plan: BackgroundPlan,
  ) {
    this.blur = new GaussianBlur(backgroundKernelSize(pixelSizeUm));
    this.shifted = new Float32Array(width * height);
  }

  get outWidth(): number {
    return this.crop?.width ?? this.width;
  }

  get outHeight(): number {
    return this.crop?.height ?? this.height;
  }

  /** The correction the plan gives a channel. */
  correction(kind: ChannelKind): ChannelCorrection {
    return kind === 'brightfield' ? this.plan.reference : this.plan.fluorescence;
  }

  /** Alignment shift and crop of frame `frameIndex` (the raw frame itself when not aligning). */
  align(raw: Float32Array, frameIndex: number): Float32Array {
    if (!this.shifts || !this.crop) return raw;
    const s = this.shifts[frameIndex];
    return cropFrame(
      applyShift(raw, this.width, this.height, s.dx, s.dy, this.shifted),
      this.width,
      this.crop,
    );
  }

  /**
   * Fits BaSiC for a channel on its aligned frames, read one at a time (`read(k)` gives the raw
   * frame k of the frames analysed); only their 128×128 versions are kept. Returns the fit.
   */
  async fitBasic(
    kind: ChannelKind,
    frames: number,
    read: (k: number) => Promise<Float32Array>,
  ): Promise<BasicFit> {
    const stack = new BasicStack(this.outWidth, this.outHeight, frames);
    for (let k = 0; k < frames; k++) stack.add(this.align(await read(k), k));
    const fit = fitBasic(stack);
    this.basic.set(kind, { fit, flatfield: basicFlatfieldAtSize(fit, this.outWidth, this.outHeight) });
    return fit;
  }

  prepare(raw: Float32Array, frameIndex: number, kind: ChannelKind, background: boolean): Float32Array {
    const img = this.align(raw, frameIndex);
    if (!background) return img;
    const how = this.correction(kind);
    if (how === 'none') return img;
    if (how === 'standard')
      return correctBackgroundStandard(
        img,
        this.outWidth,
        this.outHeight,
        this.pixelSizeUm,
        undefined,
        this.blur,
      );
    const basic = this.basic.get(kind);
    if (!basic)
      throw new AnalysisOptionError(
        'background',
        `a BaSiC fit of the ${kind} channel before its frames are prepared`,
        'none',
        'Call FramePrep.fitBasic for this channel first.',
      );
    return correctBasicTimelapse(
      img,
      basic.flatfield,
      basic.fit.baseline[frameIndex],
      img === raw ? undefined : img,
    );
  }
}

import {
  applyShift,
  commonCrop,
  correctBackgroundStandard,
  cropFrame,
  DriftEstimator,
  GaussianBlur,
  backgroundKernelSize,
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

/**
 * Prepares one channel of one frame: alignment shift and crop, then background correction.
 * Bright field: HiTMicTools' 'standard' flat-field (divide by a 20 µm blur; a ratio around 1).
 * Fluorescence keeps its counts, uncorrected: HiTMicTools flat-fields it with BaSiC (fitted over
 * the whole movie), which HiTMic Studio does not have yet, and a per-frame 20 µm blur is no
 * substitute there — PI-positive cells are about that size, so dividing by it erases them
 * (measured on the demo movie: the 99.9th percentile fell from 2092 to 623 counts). The FL
 * restorer's fixed_range scaling and the PI features need counts. (HiTMicTools' own 'standard'
 * path crashes on the PI channel.)
 */
export class FramePrep {
  private readonly blur: GaussianBlur;
  private readonly shifted: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly pixelSizeUm: number,
    private readonly shifts: Shift[] | null,
    readonly crop: CropBox | null,
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

  prepare(
    raw: Float32Array,
    frameIndex: number,
    kind: 'brightfield' | 'fluorescence',
    background: boolean,
  ): Float32Array {
    let img = raw;
    if (this.shifts && this.crop) {
      const s = this.shifts[frameIndex];
      img = cropFrame(
        applyShift(raw, this.width, this.height, s.dx, s.dy, this.shifted),
        this.width,
        this.crop,
      );
    }
    if (!background) return img;
    const W = this.outWidth;
    const H = this.outHeight;
    if (kind === 'fluorescence') return img;
    return correctBackgroundStandard(img, W, H, this.pixelSizeUm, undefined, this.blur);
  }
}

import { FrameError } from './errors';

/**
 * A 2-D single-channel image: float32, row-major (index = y·width + x), H×W.
 * A `ChannelStack` is the multi-channel form, C×H×W (channel-major, then rows).
 */
export interface Frame {
  data: Float32Array;
  height: number;
  width: number;
}

export interface ChannelStack {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/**
 * Checks a frame before inference: positive integer size, data length H·W and every pixel finite.
 * Throws FrameError naming the first bad pixel (y, x) so a corrupt frame is found quickly.
 */
export function assertFrame(frame: Frame, where = 'frame', modelKey = ''): void {
  const { height: h, width: w, data } = frame;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new FrameError(
      where,
      'a size of at least 1×1 pixels',
      `${h}×${w}`,
      'Skip empty frames before inference.',
      modelKey,
    );
  }
  if (data.length !== h * w) {
    throw new FrameError(
      where,
      `${h * w} values (${h}×${w})`,
      `${data.length} values`,
      'Pass height and width matching the data.',
      modelKey,
    );
  }
  const i = firstNonFinite(data);
  if (i >= 0) {
    throw new FrameError(
      where,
      'finite pixel values',
      `${data[i]} at y=${Math.floor(i / w)}, x=${i % w}`,
      'Replace NaN/Inf pixels (e.g. from a failed background correction) before inference.',
      modelKey,
    );
  }
}

/**
 * Index of the first NaN or ±Inf, or −1. Sums blocks of 64 values in float64 (no float32 value can
 * overflow such a sum, and NaN/Inf survive it), so the per-pixel work is one addition; only a
 * non-finite block is searched pixel by pixel.
 */
function firstNonFinite(data: Float32Array): number {
  const n = data.length;
  for (let b = 0; b < n; b += 64) {
    const e = Math.min(n, b + 64);
    let sum = 0;
    for (let i = b; i < e; i++) sum += data[i];
    if (sum - sum !== 0) {
      for (let i = b; i < e; i++) if (data[i] - data[i] !== 0) return i;
    }
  }
  return -1;
}

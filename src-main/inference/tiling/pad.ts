/**
 * Padding of images smaller than the roi, as MONAI's sliding_window_inference does it: per spatial
 * dim, diff = max(roi − size, 0), floor(diff/2) before and the rest after, then the output is cropped
 * back. Pixel values come from `sourceIndex`, which maps a padded coordinate to a source coordinate.
 *
 * 'reflect' is numpy/torch reflect (the edge pixel is not repeated: … 2 1 | 0 1 2 … n−1 | n−2 …).
 * torch.nn.functional.pad(mode='reflect') — what MONAI calls — raises an error when a pad is ≥ the
 * dim size (images smaller than about half the roi), so HiTMicTools crashes there. We instead apply
 * the reflection repeatedly (numpy.pad 'reflect' semantics: the periodic mirror with period 2(n−1)),
 * which agrees with torch wherever torch works; a dim of size 1 repeats its only pixel (as numpy).
 * 'constant' uses cval; 'replicate' repeats the edge pixel.
 */
export type PadMode = 'reflect' | 'constant' | 'replicate';

/** Source coordinate for padded coordinate `p` (may be < 0 or ≥ n); −1 means "use cval". */
export function sourceIndex(p: number, n: number, mode: PadMode): number {
  if (p >= 0 && p < n) return p;
  if (mode === 'constant') return -1;
  if (mode === 'replicate' || n === 1) return p < 0 ? 0 : n - 1;
  const period = 2 * (n - 1);
  const m = ((p % period) + period) % period;
  return m < n ? m : period - m;
}

/** Pad before/after for one dim (MONAI: floor(diff/2) before). */
export function padAmounts(size: number, roi: number): [number, number] {
  const diff = Math.max(roi - size, 0);
  const half = Math.floor(diff / 2);
  return [half, diff - half];
}

/**
 * Pads a C×H×W float32 stack to C×(H+pt+pb)×(W+pl+pr). Returns the input itself when no pad is needed.
 */
export function padStack(
  data: Float32Array,
  channels: number,
  height: number,
  width: number,
  pad: { top: number; bottom: number; left: number; right: number },
  mode: PadMode,
  cval = 0,
): { data: Float32Array; height: number; width: number } {
  if (pad.top === 0 && pad.bottom === 0 && pad.left === 0 && pad.right === 0) return { data, height, width };
  const H = height + pad.top + pad.bottom;
  const W = width + pad.left + pad.right;
  const out = new Float32Array(channels * H * W);
  const colMap = new Int32Array(W);
  for (let x = 0; x < W; x++) colMap[x] = sourceIndex(x - pad.left, width, mode);
  for (let c = 0; c < channels; c++) {
    const src = c * height * width;
    const dst = c * H * W;
    for (let y = 0; y < H; y++) {
      const sy = sourceIndex(y - pad.top, height, mode);
      const o = dst + y * W;
      if (sy < 0) {
        out.fill(cval, o, o + W);
        continue;
      }
      const row = src + sy * width;
      for (let x = 0; x < W; x++) {
        const sx = colMap[x];
        out[o + x] = sx < 0 ? cval : data[row + sx];
      }
    }
  }
  return { data: out, height: H, width: W };
}

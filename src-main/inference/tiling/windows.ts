import { InferenceOptionError } from '../errors';

/**
 * Window placement exactly as MONAI 1.5 (`inferers/utils.py::_get_scan_interval`,
 * `data/utils.py::dense_patch_slices`), for 2-D images (axes H, W).
 *
 * - The image is first padded up to the roi where it is smaller (see pad.ts), so every `size` here
 *   is ≥ its roi.
 * - Scan interval per axis: `roi` if roi == size, else int(roi·(1 − overlap)), at least 1.
 * - Window count per axis: the smallest d with d·interval + roi ≥ size, plus one.
 * - Starts i·interval, the last clamped to size − roi.
 * - Windows are the row-major product (all x for the first y, then the next y).
 */

export function scanInterval(size: number, roi: number, overlap: number): number {
  if (!(overlap >= 0 && overlap < 1))
    throw new InferenceOptionError('overlap', 'a number in [0, 1)', String(overlap));
  if (roi === size) return roi;
  const interval = Math.trunc(roi * (1 - overlap));
  return interval > 0 ? interval : 1;
}

/** Window starts along one axis of (padded) length `size` ≥ `roi`. */
export function windowStarts(size: number, roi: number, overlap: number): number[] {
  if (!Number.isInteger(roi) || roi < 1)
    throw new InferenceOptionError('roi_size', 'a positive integer', String(roi));
  if (size < roi) throw new InferenceOptionError('roi_size', `at most the padded size ${size}`, String(roi));
  const interval = scanInterval(size, roi, overlap);
  const num = Math.ceil(size / interval);
  let count = 1;
  for (let d = 0; d < num; d++) {
    if (d * interval + roi >= size) {
      count = d + 1;
      break;
    }
  }
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = i * interval;
    starts.push(s - Math.max(s + roi - size, 0));
  }
  return starts;
}

export interface WindowGrid {
  /** Window top-left corners, row-major order. */
  ys: number[];
  xs: number[];
  /** Number of windows = ys.length·xs.length; window k is (ys[floor(k/xs.length)], xs[k % xs.length]). */
  count: number;
}

export function windowGrid(
  height: number,
  width: number,
  roiH: number,
  roiW: number,
  overlap: number,
): WindowGrid {
  const ys = windowStarts(height, roiH, overlap);
  const xs = windowStarts(width, roiW, overlap);
  return { ys, xs, count: ys.length * xs.length };
}

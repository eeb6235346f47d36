import { FrameError } from '../errors';
import { resizeBilinear } from './resize';

/**
 * Per-object crops for the cell classifier, as HiTMicTools CellClassifier.classify_rois +
 * img_ops.dynamic_resize_roi: for each label L present (1..max, in increasing order) the bounding box
 * of L is cut from the source image, pixels whose label is not L are set to 0 (float32); when h or w
 * exceeds S the crop is resized bilinearly (align_corners=False, no antialias) by S/max(h,w) to
 * int()-truncated sizes (min 1), keeping the aspect; then it is zero-padded centred to S×S
 * (top = (S−h')//2, left = (S−w')//2, the rest bottom/right).
 */
export type LabelImage = Uint8Array | Uint16Array | Uint32Array | Int32Array;

export interface ObjectBoxes {
  /** Labels present, increasing. */
  labels: Uint32Array;
  /** Per present label: y0, x0 (inclusive), y1, x1 (exclusive). */
  y0: Int32Array;
  x0: Int32Array;
  y1: Int32Array;
  x1: Int32Array;
}

/** Bounding boxes of all labels (scipy.ndimage.find_objects, absent labels skipped). */
export function objectBoxes(labels: LabelImage, height: number, width: number): ObjectBoxes {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  const minY = new Int32Array(max + 1).fill(height);
  const minX = new Int32Array(max + 1).fill(width);
  const maxY = new Int32Array(max + 1).fill(-1);
  const maxX = new Int32Array(max + 1).fill(-1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = labels[row + x];
      if (l <= 0) continue;
      if (y < minY[l]) minY[l] = y;
      if (y > maxY[l]) maxY[l] = y;
      if (x < minX[l]) minX[l] = x;
      if (x > maxX[l]) maxX[l] = x;
    }
  }
  let n = 0;
  for (let l = 1; l <= max; l++) if (maxY[l] >= 0) n++;
  const out: ObjectBoxes = {
    labels: new Uint32Array(n),
    y0: new Int32Array(n),
    x0: new Int32Array(n),
    y1: new Int32Array(n),
    x1: new Int32Array(n),
  };
  let k = 0;
  for (let l = 1; l <= max; l++) {
    if (maxY[l] < 0) continue;
    out.labels[k] = l;
    out.y0[k] = minY[l];
    out.x0[k] = minX[l];
    out.y1[k] = maxY[l] + 1;
    out.x1[k] = maxX[l] + 1;
    k++;
  }
  return out;
}

/** Output size of dynamic_resize_roi for an h×w crop and target S. */
export function resizedSize(h: number, w: number, size: number): [number, number] {
  if (h <= size && w <= size) return [h, w];
  const scale = size / Math.max(h, w);
  return [Math.max(1, Math.trunc(h * scale)), Math.max(1, Math.trunc(w * scale))];
}

/**
 * Writes the S×S classifier input of object k into `dst` at `dstOffset` (S·S values, zeroed first).
 * `scratch` must hold at least h·w values of the box; it is reused between calls.
 */
export function prepareRoi(
  labels: LabelImage,
  image: Float32Array,
  width: number,
  boxes: ObjectBoxes,
  k: number,
  size: number,
  dst: Float32Array,
  dstOffset: number,
  scratch: Float32Array,
): void {
  const L = boxes.labels[k];
  const y0 = boxes.y0[k];
  const x0 = boxes.x0[k];
  const h = boxes.y1[k] - y0;
  const w = boxes.x1[k] - x0;
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * width + x0;
    for (let x = 0; x < w; x++) scratch[y * w + x] = labels[row + x] === L ? image[row + x] : 0;
  }
  dst.fill(0, dstOffset, dstOffset + size * size);
  const [nh, nw] = resizedSize(h, w, size);
  const top = Math.floor((size - nh) / 2);
  const left = Math.floor((size - nw) / 2);
  const at = dstOffset + top * size + left;
  if (nh === h && nw === w) {
    for (let y = 0; y < h; y++) dst.set(scratch.subarray(y * w, (y + 1) * w), at + y * size);
  } else {
    resizeBilinear(scratch, 0, h, w, nh, nw, dst, at, size);
  }
}

export function checkSameShape(
  labelsLength: number,
  height: number,
  width: number,
  imageLength: number,
  modelKey: string,
): void {
  if (labelsLength !== height * width || imageLength !== height * width) {
    throw new FrameError(
      'classifier input',
      `label image and source image of ${height}×${width} pixels (same shape)`,
      `${labelsLength} label values and ${imageLength} image values`,
      'Pass the label image and the reference channel of the same frame.',
      modelKey,
    );
  }
}

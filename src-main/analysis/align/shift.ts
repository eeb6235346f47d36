import { AnalysisOptionError, checkFrame } from '../errors';

/** A translation in pixels: the image content moves by (+dx columns, +dy rows). */
export interface Shift {
  dx: number;
  dy: number;
}

/** OpenCV warpAffine resolves sub-pixel positions to 1/32 px (INTER_BITS = 5). */
export const SUBPIXEL_STEPS = 32;

/** Rounds a shift component to OpenCV's 1/32-px grid. */
export function quantizeShift(v: number): number {
  return Math.round(v * SUBPIXEL_STEPS) / SUBPIXEL_STEPS;
}

/**
 * Writes the box [x0, x0+bw) × [y0, y0+bh) of `src` translated by (dx, dy) into `out` (bw × bh,
 * row-major): out(x, y) = src(x − dx, y − dy), as OpenCV `warpAffine` with the matrix
 * [[1, 0, dx], [0, 1, dy]], INTER_LINEAR and BORDER_CONSTANT 0 (neighbours outside the frame
 * count as 0). dx, dy are first rounded to 1/32 px like OpenCV; integer shifts copy exactly.
 */
export function sampleShifted(
  src: Float32Array,
  width: number,
  height: number,
  dx: number,
  dy: number,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  out: Float32Array,
): void {
  const qx = quantizeShift(dx);
  const qy = quantizeShift(dy);
  const ix = Math.floor(qx);
  const iy = Math.floor(qy);
  const ax = qx - ix; // src x = x − qx = (x − ix − 1) + (1 − ax)
  const ay = qy - iy;
  // With fx = 1 − ax: value = lerp(src(xs0), src(xs0+1), fx) where xs0 = x − ix − 1 (or x − ix when ax = 0).
  const fx = ax === 0 ? 0 : 1 - ax;
  const fy = ay === 0 ? 0 : 1 - ay;
  const offX = ax === 0 ? ix : ix + 1;
  const offY = ay === 0 ? iy : iy + 1;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : src[y * width + x]);
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const integer = fx === 0 && fy === 0;
  for (let y = 0; y < bh; y++) {
    const sy = y0 + y - offY;
    const rowInside = sy >= 0 && sy + 1 < height;
    for (let x = 0; x < bw; x++) {
      const sx = x0 + x - offX;
      if (rowInside && sx >= 0 && sx + 1 < width) {
        // Interior: all four neighbours exist (zero weights multiply real pixels, never out of range).
        const i = sy * width + sx;
        out[y * bw + x] = integer
          ? src[i]
          : w00 * src[i] + w10 * src[i + 1] + w01 * src[i + width] + w11 * src[i + width + 1];
        continue;
      }
      let v: number;
      if (fx === 0 && fy === 0) v = at(sx, sy);
      else {
        const a = at(sx, sy);
        const b = fx === 0 ? 0 : at(sx + 1, sy);
        const c = fy === 0 ? 0 : at(sx, sy + 1);
        const d = fx === 0 || fy === 0 ? 0 : at(sx + 1, sy + 1);
        v = (1 - fx) * (1 - fy) * a + fx * (1 - fy) * b + (1 - fx) * fy * c + fx * fy * d;
      }
      out[y * bw + x] = v;
    }
  }
}

/** Translates a whole frame (see sampleShifted); `out` must not alias `frame`. */
export function applyShift(
  frame: Float32Array,
  width: number,
  height: number,
  dx: number,
  dy: number,
  out?: Float32Array,
): Float32Array {
  checkFrame('frame', frame, width, height);
  const dst = out ?? new Float32Array(frame.length);
  checkFrame('out', dst, width, height);
  if (dst === frame) throw new AnalysisOptionError('out', 'a buffer other than frame', 'frame itself');
  sampleShifted(frame, width, height, dx, dy, 0, 0, width, height, dst);
  return dst;
}

/** A crop box in pixels: columns [x0, x0 + width), rows [y0, y0 + height). */
export interface CropBox {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * The region where every shifted frame has data: frame i covers columns x with x − dx_i in
 * [0, W − 1] (so no pixel is blended with the zero border) and likewise rows. HiTMicTools crops to
 * the bounding box of the non-zero pixels of the minimum projection of the aligned reference
 * channel; with integer shifts the two agree, with sub-pixel shifts HiTMicTools keeps up to one
 * more column/row on each side whose pixels are partly blended with black. Shifts are rounded to
 * 1/32 px like applyShift. Throws AnalysisOptionError when no pixel is common to all frames.
 */
export function commonCrop(shifts: readonly Shift[], width: number, height: number): CropBox {
  let x0 = 0;
  let y0 = 0;
  let x1 = width - 1;
  let y1 = height - 1;
  for (const s of shifts) {
    const dx = quantizeShift(s.dx);
    const dy = quantizeShift(s.dy);
    x0 = Math.max(x0, Math.ceil(dx));
    y0 = Math.max(y0, Math.ceil(dy));
    x1 = Math.min(x1, Math.floor(width - 1 + dx));
    y1 = Math.min(y1, Math.floor(height - 1 + dy));
  }
  if (x1 < x0 || y1 < y0) {
    throw new AnalysisOptionError(
      'shifts',
      `shifts smaller than the frame (${width}×${height})`,
      'shifts that leave no pixel common to all frames',
      'Check the drift estimate (is the reference channel empty?) or disable align_frames.',
    );
  }
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Copies the crop box of a row-major frame into a new (or given) buffer of box.width × box.height. */
export function cropFrame(
  frame: Float32Array,
  width: number,
  box: CropBox,
  out?: Float32Array,
): Float32Array {
  const dst = out ?? new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const start = (box.y0 + y) * width + box.x0;
    dst.set(frame.subarray(start, start + box.width), y * box.width);
  }
  return dst;
}

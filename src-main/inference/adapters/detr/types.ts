/**
 * One detection of a DETR-style detector, in image (or tile) pixel coordinates.
 * Boxes are xyxy with x2/y2 exclusive edges (floats). The optional binary mask (Uint8Array, 0/1,
 * row-major maskH×maskW) lies with its top-left at (offX, offY) in the same coordinates.
 */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
  mask?: Uint8Array;
  maskW: number;
  maskH: number;
  offX: number;
  offY: number;
  /** Mask pixel count, or the box area when there is no mask or it is empty. */
  area: number;
}

/** A tile cut from a (padded) frame: its top-left and the part of it that lies inside the real frame. */
export interface Tile {
  x: number;
  y: number;
  validW: number;
  validH: number;
}

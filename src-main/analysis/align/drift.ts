import { AnalysisOptionError, checkFrame } from '../errors';
import { downsample2, nccAt, nccMapFft, prepareTemplate, type Plane } from './ncc';
import { quantizeShift, sampleShifted, type Shift } from './shift';

export interface DriftOptions {
  /** Refine the integer peak with a 3-point Gaussian fit per axis (templatematchingpy default: true). */
  subpixel?: boolean;
  /** The coarsest pyramid level is the first whose larger side is ≤ this (default 512 px). */
  coarseSize?: number;
}

/** The estimated translation of one frame plus the TM_CCOEFF_NORMED score of its integer peak. */
export interface DriftShift extends Shift {
  score: number;
}

/** The template box HiTMicTools uses: the central half of the frame. */
export function templateBox(
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } {
  const tw = Math.floor(width / 2);
  const th = Math.floor(height / 2);
  return { x: Math.floor((width - tw) / 2), y: Math.floor((height - th) / 2), width: tw, height: th };
}

/** 3-point peak offset in [−0.5, 0.5]: Gaussian (log-parabola) fit when all values are positive, else parabola. */
function peakOffset(l: number, c: number, r: number): number {
  let off: number;
  if (l > 0 && c > 0 && r > 0) {
    const ll = Math.log(l);
    const lc = Math.log(c);
    const lr = Math.log(r);
    const den = 2 * ll - 4 * lc + 2 * lr;
    off = den < 0 ? (ll - lr) / den : 0;
  } else {
    const den = 2 * (l - 2 * c + r);
    off = den < 0 ? (l - r) / den : 0;
  }
  return Math.max(-0.5, Math.min(0.5, off));
}

/**
 * Translation-only drift estimation as HiTMicTools `align_image` (templatematchingpy
 * `StackAligner`, "dynamic" reference, TM_CCOEFF_NORMED, search over the whole frame):
 * frame 0 is the anchor (shift 0); for every later frame the template is the central half box
 * (x0 = ⌊(W − ⌊W/2⌋)/2⌋, y0 likewise, size ⌊W/2⌋ × ⌊H/2⌋) of the **previous frame after its own
 * alignment** (so each shift is already cumulative, relative to frame 0), matched against the raw
 * frame over every placement, i.e. shifts up to ±W/4, ±H/4. The shift (dx, dy) = box origin −
 * match position is the translation that aligns the frame (content moves by +dx, +dy), rounded to
 * 1/32 px like OpenCV's warp. HiTMicTools divides each reference frame by its mean first; that
 * does not change normalised correlation, but it is done here too for numerical range.
 *
 * Speed: a coarse-to-fine pyramid (2×2 box averages) — exact FFT correlation over all placements
 * at the coarsest level, then exact direct correlation in a ±2 px window at each finer level and a
 * hill-climb at full resolution until the peak is a local maximum. This finds the global maximum
 * whenever the peak survives downsampling (true for microscopy textures; a pattern finer than
 * the coarsest pixel can be missed — lower `coarseSize` less, or set it ≥ the frame size for a
 * full-resolution FFT search).
 *
 * Streaming: feed frames in order with `next`; only the previous frame is kept.
 */
export class DriftEstimator {
  readonly width: number;
  readonly height: number;
  private readonly subpixel: boolean;
  private readonly levels: number;
  private readonly box: ReturnType<typeof templateBox>;
  private prev: Float32Array | null = null;
  private prevShift: Shift = { dx: 0, dy: 0 };
  private readonly templateBuf: Float32Array;

  constructor(width: number, height: number, options: DriftOptions = {}) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 4 || height < 4) {
      throw new AnalysisOptionError(
        'width/height',
        'integer frame sizes of at least 4 × 4 px',
        `${width}×${height}`,
      );
    }
    const coarse = options.coarseSize ?? 512;
    if (!(coarse >= 8)) throw new AnalysisOptionError('coarseSize', 'at least 8 px', String(coarse));
    this.width = width;
    this.height = height;
    this.subpixel = options.subpixel ?? true;
    let levels = 0;
    while (Math.max(width, height) >> levels > coarse && Math.min(width, height) >> (levels + 1) >= 16)
      levels++;
    this.levels = levels;
    this.box = templateBox(width, height);
    this.templateBuf = new Float32Array(this.box.width * this.box.height);
  }

  /** Shift of the next frame (row-major width × height); the first frame returns {0, 0, score 1}. */
  next(frame: Float32Array): DriftShift {
    checkFrame('frame', frame, this.width, this.height);
    const cur = normalisedByMean(frame);
    if (this.prev === null) {
      this.prev = cur;
      return { dx: 0, dy: 0, score: 1 };
    }
    const b = this.box;
    sampleShifted(
      this.prev,
      this.width,
      this.height,
      this.prevShift.dx,
      this.prevShift.dy,
      b.x,
      b.y,
      b.width,
      b.height,
      this.templateBuf,
    );
    const found = this.match(cur, { data: this.templateBuf, width: b.width, height: b.height });
    const shift = { dx: quantizeShift(b.x - found.x), dy: quantizeShift(b.y - found.y) };
    this.prev = cur;
    this.prevShift = shift;
    return { ...shift, score: found.score };
  }

  /** Best placement (top-left, sub-pixel when enabled) of the template in the frame. */
  private match(frame: Float32Array, template: Plane): { x: number; y: number; score: number } {
    const srcs: Plane[] = [{ data: frame, width: this.width, height: this.height }];
    const tpls: Plane[] = [template];
    for (let l = 1; l <= this.levels; l++) {
      srcs.push(downsample2(srcs[l - 1]));
      tpls.push(downsample2(tpls[l - 1]));
    }
    const top = this.levels;
    const coarse = nccMapFft(srcs[top], prepareTemplate(tpls[top]));
    let best = 0;
    for (let i = 1; i < coarse.map.length; i++) if (coarse.map[i] > coarse.map[best]) best = i;
    let px = best % coarse.width;
    let py = Math.floor(best / coarse.width);
    let score = coarse.map[best];
    if (top === 0) {
      const at = (x: number, y: number) => coarse.map[y * coarse.width + x];
      return this.finish(px, py, score, coarse.width, coarse.height, at);
    }
    for (let l = top - 1; l >= 0; l--) {
      const src = srcs[l];
      const t = prepareTemplate(tpls[l]);
      const mw = src.width - t.width + 1;
      const mh = src.height - t.height + 1;
      const cache = new Map<number, number>();
      const at = (x: number, y: number) => {
        const key = y * mw + x;
        let v = cache.get(key);
        if (v === undefined) {
          v = nccAt(src, t, x, y);
          cache.set(key, v);
        }
        return v;
      };
      const r = l === 0 ? 1 : 2;
      let cx = Math.min(Math.max(2 * px, 0), mw - 1);
      let cy = Math.min(Math.max(2 * py, 0), mh - 1);
      score = -Infinity;
      // Window search, then hill-climb until the best is not on the edge of what was evaluated.
      for (let moved = true; moved;) {
        moved = false;
        let bx = cx;
        let by = cy;
        for (let y = Math.max(0, cy - r); y <= Math.min(mh - 1, cy + r); y++) {
          for (let x = Math.max(0, cx - r); x <= Math.min(mw - 1, cx + r); x++) {
            const v = at(x, y);
            if (v > score) {
              score = v;
              bx = x;
              by = y;
            }
          }
        }
        if (bx !== cx || by !== cy) {
          moved = Math.abs(bx - cx) === r || Math.abs(by - cy) === r;
          cx = bx;
          cy = by;
        }
      }
      px = cx;
      py = cy;
      if (l === 0) return this.finish(px, py, score, mw, mh, at);
    }
    return { x: px, y: py, score };
  }

  private finish(
    px: number,
    py: number,
    score: number,
    mw: number,
    mh: number,
    at: (x: number, y: number) => number,
  ) {
    let ox = 0;
    let oy = 0;
    if (this.subpixel) {
      if (px > 0 && px < mw - 1) ox = peakOffset(at(px - 1, py), score, at(px + 1, py));
      if (py > 0 && py < mh - 1) oy = peakOffset(at(px, py - 1), score, at(px, py + 1));
    }
    return { x: px + ox, y: py + oy, score };
  }
}

function normalisedByMean(frame: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < frame.length; i++) s += frame[i];
  const mean = s / frame.length;
  const out = new Float32Array(frame.length);
  const k = mean !== 0 && Number.isFinite(mean) ? 1 / mean : 1;
  for (let i = 0; i < frame.length; i++) out[i] = frame[i] * k;
  return out;
}

/** Shifts of all frames of a reference channel (see DriftEstimator); frame 0 gets {0, 0}. */
export function estimateDrift(
  frames: readonly Float32Array[],
  width: number,
  height: number,
  options: DriftOptions = {},
): DriftShift[] {
  const est = new DriftEstimator(width, height, options);
  return frames.map((f) => est.next(f));
}

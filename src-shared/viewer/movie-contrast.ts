/**
 * Contrast for a whole movie: one histogram of a sample of frames, its percentiles (the same 1 and
 * 99.8 % as the per-frame auto contrast) and a coarse histogram to draw. One range for every frame
 * keeps equal values equally bright from frame 0 to the last, so a staining trend (PI rising
 * over hours) shows instead of being normalised away frame by frame.
 *
 * Bins: integer data (8/16-bit, or wider integers spanning < 65536 values) gets one bin per value,
 * so its percentiles are exact as numpy's (linear interpolation between ranks); other data gets
 * 65536 equal bins over the sample's finite range (error ≤ range / 65536). NaN and ±Infinity
 * are not counted.
 */
import type { ChannelContrastStats } from '../api';
import { AUTO_PERCENTILES, type NumericArray } from './contrast';

/** Frames sampled by default: enough to see a trend over a long movie, cheap to decode. */
export const DEFAULT_CONTRAST_SAMPLES = 10;

/** Bins of the histogram drawn beside the contrast fields. */
export const DISPLAY_BINS = 64;

const FINE_BINS = 65536;

/** `samples` frames of `0…frames−1`, evenly spread with the first and last included, no repeats. */
export function sampleFrames(frames: number, samples = DEFAULT_CONTRAST_SAMPLES): number[] {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`a movie has ≥ 1 frame, got ${frames}`);
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be ≥ 1, got ${samples}`);
  if (samples >= frames) return Array.from({ length: frames }, (_, i) => i);
  if (samples === 1) return [0];
  const out = new Set<number>();
  for (let i = 0; i < samples; i++) out.add(Math.round((i * (frames - 1)) / (samples - 1)));
  return [...out];
}

/** The value range of a sample dtype whose values can be binned one per value without a first pass. */
export function integerDomain(dtype: string): { lo: number; hi: number } | undefined {
  switch (dtype) {
    case 'uint8':
      return { lo: 0, hi: 255 };
    case 'int8':
      return { lo: -128, hi: 127 };
    case 'uint16':
      return { lo: 0, hi: 65535 };
    case 'int16':
      return { lo: -32768, hi: 32767 };
    default:
      return undefined;
  }
}

/**
 * A histogram of values over [lo, hi] in equal bins; bin b holds values in [lo + b·w, lo + (b+1)·w)
 * (the last bin closed). Made for whole planes: `add` is one pass with no allocation.
 */
export class ValueHistogram {
  readonly counts: Float64Array;
  readonly binWidth: number;
  private n = 0;

  private constructor(
    readonly lo: number,
    readonly hi: number,
    bins: number,
    /** One bin per integer value: percentiles are exact and adding needs no division. */
    readonly unitBins: boolean,
  ) {
    this.counts = new Float64Array(bins);
    this.binWidth = unitBins ? 1 : bins > 1 ? (hi - lo) / (bins - 1) : 1;
  }

  /**
   * For values in [lo, hi]: one bin per integer when `integers` and the span allows, else 65536
   * equal bins (a single bin when lo = hi).
   */
  static over(lo: number, hi: number, integers: boolean): ValueHistogram {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo))
      throw new RangeError(`histogram range must be finite with lo ≤ hi, got ${lo}…${hi}`);
    if (lo === hi) return new ValueHistogram(lo, hi, 1, true);
    const unit = integers && Number.isInteger(lo) && Number.isInteger(hi) && hi - lo < FINE_BINS;
    return new ValueHistogram(lo, hi, unit ? hi - lo + 1 : FINE_BINS, unit);
  }

  /** Values counted so far. */
  get total(): number {
    return this.n;
  }

  /** Counts the finite values of `data`; values outside [lo, hi] go to the end bins. */
  add(data: NumericArray): void {
    const c = this.counts;
    const last = c.length - 1;
    const lo = this.lo;
    if (this.unitBins && (data instanceof Uint16Array || data instanceof Uint8Array)) {
      // The common microscopy case: integer values, no division, no finiteness test.
      for (let i = 0; i < data.length; i++) {
        const b = data[i] - lo;
        c[b < 0 ? 0 : b > last ? last : b]++;
      }
      this.n += data.length;
      return;
    }
    const inv = 1 / this.binWidth;
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) continue;
      const b = Math.floor((v - lo) * inv);
      c[b < 0 ? 0 : b > last ? last : b]++;
      n++;
    }
    this.n += n;
  }

  /** The lower edge of the bin holding the value of rank `rank` (0-based) in sorted order. */
  private valueAtRank(rank: number): number {
    let acc = 0;
    const c = this.counts;
    for (let b = 0; b < c.length; b++) {
      acc += c[b];
      if (acc > rank) return this.lo + b * this.binWidth;
    }
    return this.hi;
  }

  /** Percentiles `ps` (0–100) with numpy's linear interpolation between ranks; NaN when empty. */
  percentiles(ps: readonly number[]): number[] {
    for (const p of ps) if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
    if (this.n === 0) return ps.map(() => NaN);
    return ps.map((p) => {
      const pos = ((this.n - 1) * p) / 100;
      const r = Math.floor(pos);
      const a = this.valueAtRank(r);
      const frac = pos - r;
      return frac === 0 ? a : a + (this.valueAtRank(r + 1) - a) * frac;
    });
  }

  /**
   * `bins` equal bins over [from, to): counts by each fine bin's lower edge, with what lies below
   * `from` and at or above `to` counted apart.
   */
  rebin(from: number, to: number, bins: number): { counts: number[]; below: number; above: number } {
    if (!(to > from) || !(bins >= 1)) throw new RangeError(`cannot rebin over ${from}…${to} in ${bins} bins`);
    const counts = new Array<number>(bins).fill(0);
    let below = 0;
    let above = 0;
    const w = (to - from) / bins;
    for (let b = 0; b < this.counts.length; b++) {
      const k = this.counts[b];
      if (k === 0) continue;
      const v = this.lo + b * this.binWidth;
      if (v < from) below += k;
      else if (v >= to) above += k;
      else counts[Math.min(bins - 1, Math.floor((v - from) / w))] += k;
    }
    return { counts, below, above };
  }
}

/**
 * What the Viewer needs from a sample's histogram: the data range, the auto range (1–99.8 %), and
 * a DISPLAY_BINS-bin histogram over the bulk of the values (0.05–99.95 %, widened to hold the auto
 * range) so that a few hot pixels do not squeeze the picture into one bar.
 */
export function contrastStatsOf(
  hist: ValueHistogram,
  info: { channel: number; frames: number[]; min: number; max: number },
): ChannelContrastStats {
  const [p0, lo, hi, p1] = hist.percentiles([0.05, AUTO_PERCENTILES[0], AUTO_PERCENTILES[1], 99.95]);
  const empty = !Number.isFinite(lo);
  const auto = empty ? { min: 0, max: 1 } : hi > lo ? { min: lo, max: hi } : { min: lo, max: lo + 1 };
  let from = empty ? 0 : Math.min(p0, auto.min);
  let to = empty ? 1 : Math.max(p1, auto.max);
  if (!(to > from)) to = from + 1;
  // Integer data: whole bins, so no display bin is empty by rounding alone.
  if (hist.unitBins) {
    from = Math.floor(from);
    const step = Math.max(1, Math.ceil((to + 1 - from) / DISPLAY_BINS));
    to = from + step * DISPLAY_BINS;
  }
  const { counts, below, above } = hist.rebin(from, to, DISPLAY_BINS);
  return {
    channel: info.channel,
    frames: info.frames,
    pixels: hist.total,
    min: info.min,
    max: info.max,
    auto,
    histogram: { from, to, counts, below, above },
  };
}

/**
 * Summary statistics with the exact conventions of the Python libraries HiTMicTools uses:
 * NumPy's default (linear) percentile, pandas' median, per-track distinct-frame lengths.
 */

/** `numpy.percentile(values, q)` with the default linear method; 0 for an empty list. */
export function percentileLinear(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Median (average of the two middle values for an even count); 0 for an empty list. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : percentileLinear(values, 50);
}

/** Per-track statistics of a finished id column: distinct ids and distinct frames per id. */
export interface TrackLengthStats {
  tracks: number;
  fullLengthTracks: number;
  singleFrameTracks: number;
  medianTrackLength: number;
}

/** Counts ids (−1 included as its own group, like pandas' nunique/groupby on the column). */
export function trackLengthStats(trackid: Int32Array, frame: Int32Array, nFrames: number): TrackLengthStats {
  const framesOf = new Map<number, Set<number>>();
  for (let i = 0; i < trackid.length; i++) {
    let s = framesOf.get(trackid[i]);
    if (!s) framesOf.set(trackid[i], (s = new Set()));
    s.add(frame[i]);
  }
  const lengths = [...framesOf.values()].map((s) => s.size);
  return {
    tracks: framesOf.size,
    fullLengthTracks: lengths.filter((l) => l === nFrames).length,
    singleFrameTracks: lengths.filter((l) => l === 1).length,
    medianTrackLength: median(lengths),
  };
}

import { AnalysisOptionError } from '../errors';

export interface RelativeIntensities {
  rel_max_intensity: Float64Array;
  rel_min_intensity: Float64Array;
  rel_mean_intensity: Float64Array;
  /** A sentence for the run log when the background made the ratios meaningless; null otherwise. */
  warning: string | null;
}

/**
 * HiTMicTools' relative intensities: `rel_*_intensity = *_intensity ÷ background` of the object's
 * frame. HiTMicTools divides whatever the background is; after BaSiC correction the background can
 * be ≈ 0 or negative, giving huge or sign-flipped ratios. Here: a negative background still
 * divides (kept for compatibility) with a warning; a background of exactly 0 (or NaN) yields NaN
 * instead of ±Infinity, with a warning.
 * @param frame optional frame index, only used in the warning text.
 */
export function relativeIntensities(
  measurements: {
    max_intensity: ArrayLike<number>;
    min_intensity: ArrayLike<number>;
    mean_intensity: ArrayLike<number>;
  },
  background: number,
  frame?: number,
): RelativeIntensities {
  const n = measurements.mean_intensity.length;
  if (measurements.max_intensity.length !== n || measurements.min_intensity.length !== n) {
    throw new AnalysisOptionError(
      'measurements',
      'max/min/mean intensity columns of equal length',
      `${measurements.max_intensity.length}/${measurements.min_intensity.length}/${n}`,
    );
  }
  const out: RelativeIntensities = {
    rel_max_intensity: new Float64Array(n),
    rel_min_intensity: new Float64Array(n),
    rel_mean_intensity: new Float64Array(n),
    warning: null,
  };
  const where = frame === undefined ? 'this frame' : `frame ${frame}`;
  const usable = background !== 0 && !Number.isNaN(background);
  if (!usable) {
    out.warning = `Background of ${where} is ${background}: relative intensities set to NaN (HiTMicTools would divide by it). Check the background correction of the measured channel.`;
  } else if (background < 0) {
    out.warning = `Background of ${where} is negative (${background}): relative intensities are sign-flipped, as in HiTMicTools. Expected after BaSiC-style baseline subtraction; prefer 'standard' background correction for ratios.`;
  }
  for (let i = 0; i < n; i++) {
    out.rel_max_intensity[i] = usable ? measurements.max_intensity[i] / background : Number.NaN;
    out.rel_min_intensity[i] = usable ? measurements.min_intensity[i] / background : Number.NaN;
    out.rel_mean_intensity[i] = usable ? measurements.mean_intensity[i] / background : Number.NaN;
  }
  return out;
}

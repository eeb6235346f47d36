/**
 * Scalar shape and intensity formulas of scikit-image 0.19 `regionprops` and HiTMicTools'
 * `roi_skewness`, applied to moments gathered elsewhere. Axes: row = axis 0, column = axis 1.
 */

/** Second central moments of an object, normalised by its pixel count (variances and covariance). */
export interface NormalisedMoments {
  /** mu20 / mu00: variance of the row coordinate. */
  rowVar: number;
  /** mu02 / mu00: variance of the column coordinate. */
  colVar: number;
  /** mu11 / mu00: covariance of row and column. */
  rowColCov: number;
}

export interface EllipseShape {
  /** 4·√l1, l1 the larger eigenvalue of the inertia tensor (clipped at 0), pixels. */
  majorAxisLength: number;
  /** 4·√l2, l2 the smaller eigenvalue (clipped at 0), pixels. */
  minorAxisLength: number;
  /** Radians in [−π/2, π/2], angle between the row axis and the major axis (skimage 0.19). */
  orientation: number;
}

/**
 * skimage 0.19 `inertia_tensor` is T = [[a, b], [b, c]] with a = mu02/mu00 (column variance),
 * b = −mu11/mu00, c = mu20/mu00 (row variance) — the diagonal holds the moment of every *other*
 * axis. Its eigenvalues (closed form, clipped at 0 like skimage) give the axis lengths, and
 * `orientation` is skimage 0.19's exactly:
 *   if a − c == 0: −π/4 when b < 0, else +π/4 (the sign convention of skimage ≤ 0.20, reported as
 *   scikit-image issue #6815 and flipped in 0.21; kept here so values match HiTMicTools' 0.19);
 *   else 0.5·atan2(−2b, c − a).
 */
export function ellipseShape(m: NormalisedMoments): EllipseShape {
  const a = m.colVar;
  const b = -m.rowColCov;
  const c = m.rowVar;
  const half = (a + c) / 2;
  const root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = Math.max(half + root, 0);
  const l2 = Math.max(half - root, 0);
  let orientation: number;
  if (a - c === 0) orientation = b < 0 ? -Math.PI / 4 : Math.PI / 4;
  else orientation = 0.5 * Math.atan2(-2 * b, c - a);
  return { majorAxisLength: 4 * Math.sqrt(l1), minorAxisLength: 4 * Math.sqrt(l2), orientation };
}

/**
 * HiTMicTools `roi_skewness`: 0 when the object has fewer than 10 distinct intensity values;
 * otherwise scipy.stats.skew(x, bias=False) = √(n(n−1))/(n−2) · m3 / m2^1.5 with m2, m3 the
 * population central moments. scipy returns NaN when m2 ≤ (resolution·mean)² (resolution 1e-6 for
 * float32 data), and so does this function.
 * @param n pixel count; m2, m3 population central moments (sums of powers of deviations ÷ n);
 *        mean the intensity mean; distinctAtLeast10 whether ≥ 10 distinct values were seen.
 */
export function unbiasedSkewness(
  n: number,
  mean: number,
  m2: number,
  m3: number,
  distinctAtLeast10: boolean,
): number {
  if (!distinctAtLeast10) return 0;
  if (n < 3) return 0;
  const resolution = 1e-6;
  if (m2 <= (resolution * mean) ** 2) return Number.NaN;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

import { AnalysisOptionError } from '../errors';

/** A label image: row-major, 0 = background, any positive value = object id. */
export type LabelImage = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/**
 * Per-object statistics gathered in one pass over a label image and its intensity frame.
 * Index i describes object `labels[i]`; objects are in ascending label order (as skimage
 * `regionprops`). Coordinates are pixels, row = axis 0, column = axis 1.
 */
export interface RegionStats {
  count: number;
  /** Labels present, ascending. */
  labels: Uint32Array;
  /** Pixel count (skimage `area`). */
  area: Float64Array;
  /** Mean row / column of the object's pixels (skimage `centroid`). */
  meanRow: Float64Array;
  meanCol: Float64Array;
  /** Normalised second central moments: mu20/mu00, mu02/mu00, mu11/mu00. */
  rowVar: Float64Array;
  colVar: Float64Array;
  rowColCov: Float64Array;
  /** Bounding box, inclusive. */
  minRow: Int32Array;
  maxRow: Int32Array;
  minCol: Int32Array;
  maxCol: Int32Array;
  /** Intensity min, max, mean and population central moments m2 = Σ(x−x̄)²/n, m3 = Σ(x−x̄)³/n. */
  intensityMin: Float64Array;
  intensityMax: Float64Array;
  intensityMean: Float64Array;
  intensityM2: Float64Array;
  intensityM3: Float64Array;
  /** 1 when the object holds at least 10 distinct intensity values (HiTMicTools' skewness gate). */
  distinctAtLeast10: Uint8Array;
}

/** Label ranges up to this size are indexed with a dense array; larger ranges use a Map. */
const DENSE_RANGE_LIMIT = 1 << 22;
const DISTINCT_SLOTS = 9;

/** Maps label values to dense slots 0..count−1 in ascending label order. */
interface SlotMap {
  labels: Uint32Array;
  slotOf(label: number): number;
}

function buildSlots(labels: LabelImage): SlotMap {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l > 0) {
      if (l < min) min = l;
      if (l > max) max = l;
    }
  }
  if (max === 0) return { labels: new Uint32Array(0), slotOf: () => -1 };
  const range = max - min + 1;
  if (range <= DENSE_RANGE_LIMIT) {
    const dense = new Int32Array(range).fill(-1);
    for (let i = 0; i < labels.length; i++) if (labels[i] > 0) dense[labels[i] - min] = 0;
    let count = 0;
    for (let k = 0; k < range; k++) if (dense[k] === 0) dense[k] = count++ + 1;
    const out = new Uint32Array(count);
    for (let k = 0; k < range; k++) if (dense[k] > 0) out[dense[k] - 1] = k + min;
    for (let k = 0; k < range; k++) dense[k] -= 1;
    return { labels: out, slotOf: (l) => dense[l - min] };
  }
  const present = new Set<number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) present.add(labels[i]);
  const out = Uint32Array.from(present).sort();
  const map = new Map<number, number>();
  out.forEach((l, i) => map.set(l, i));
  return { labels: out, slotOf: (l) => map.get(l) ?? -1 };
}

/**
 * One pass over `labels` and `intensity` (both row-major width × height) gathering, per object:
 * pixel count, centroid, second central moments (accumulated relative to the object's first pixel
 * to avoid cancellation), bounding box, intensity min/max and mean/m2/m3 (Welford–Terriberry
 * online update, float64), and whether ≥ 10 distinct intensities occur (up to 9 values remembered
 * per object). Label values ≤ 0 are background. NaN intensities are skipped by min/max and the
 * distinct count but propagate into mean, m2 and m3. Allocation is per object, never per pixel.
 */
export function gatherRegionStats(
  labels: LabelImage,
  intensity: Float32Array,
  width: number,
  height: number,
): RegionStats {
  if (labels.length !== intensity.length) {
    throw new AnalysisOptionError(
      'intensity',
      `${labels.length} pixels like the label image`,
      `${intensity.length}`,
    );
  }
  const slots = buildSlots(labels);
  const n = slots.labels.length;
  const area = new Float64Array(n);
  const originR = new Int32Array(n);
  const originC = new Int32Array(n);
  const sR = new Float64Array(n);
  const sC = new Float64Array(n);
  const sRR = new Float64Array(n);
  const sCC = new Float64Array(n);
  const sRC = new Float64Array(n);
  const minRow = new Int32Array(n).fill(height);
  const maxRow = new Int32Array(n).fill(-1);
  const minCol = new Int32Array(n).fill(width);
  const maxCol = new Int32Array(n).fill(-1);
  const iMin = new Float64Array(n).fill(Infinity);
  const iMax = new Float64Array(n).fill(-Infinity);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  const m3 = new Float64Array(n);
  const distinct = new Float64Array(n * DISTINCT_SLOTS);
  const distinctCount = new Uint8Array(n);

  let lastLabel = -1;
  let s = -1;
  for (let r = 0; r < height; r++) {
    const rowStart = r * width;
    for (let c = 0; c < width; c++) {
      const l = labels[rowStart + c];
      if (l <= 0) continue;
      if (l !== lastLabel) {
        lastLabel = l;
        s = slots.slotOf(l);
      }
      const k = area[s];
      if (k === 0) {
        originR[s] = r;
        originC[s] = c;
      }
      const dr = r - originR[s];
      const dc = c - originC[s];
      sR[s] += dr;
      sC[s] += dc;
      sRR[s] += dr * dr;
      sCC[s] += dc * dc;
      sRC[s] += dr * dc;
      if (r < minRow[s]) minRow[s] = r;
      if (r > maxRow[s]) maxRow[s] = r;
      if (c < minCol[s]) minCol[s] = c;
      if (c > maxCol[s]) maxCol[s] = c;

      const x = intensity[rowStart + c];
      if (x < iMin[s]) iMin[s] = x;
      if (x > iMax[s]) iMax[s] = x;
      const kk = k + 1;
      area[s] = kk;
      const delta = x - mean[s];
      const dn = delta / kk;
      const term1 = delta * dn * k;
      mean[s] += dn;
      m3[s] += term1 * dn * (kk - 2) - 3 * dn * m2[s];
      m2[s] += term1;

      const dc10 = distinctCount[s];
      if (dc10 < 10 && x === x) {
        const base = s * DISTINCT_SLOTS;
        let seen = false;
        for (let j = 0; j < dc10; j++) {
          if (distinct[base + j] === x) {
            seen = true;
            break;
          }
        }
        if (!seen) {
          if (dc10 < DISTINCT_SLOTS) distinct[base + dc10] = x;
          distinctCount[s] = dc10 + 1;
        }
      }
    }
  }

  const meanRow = new Float64Array(n);
  const meanCol = new Float64Array(n);
  const rowVar = new Float64Array(n);
  const colVar = new Float64Array(n);
  const rowColCov = new Float64Array(n);
  const distinctAtLeast10 = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = area[i];
    const mr = sR[i] / a;
    const mc = sC[i] / a;
    meanRow[i] = originR[i] + mr;
    meanCol[i] = originC[i] + mc;
    rowVar[i] = sRR[i] / a - mr * mr;
    colVar[i] = sCC[i] / a - mc * mc;
    rowColCov[i] = sRC[i] / a - mr * mc;
    m2[i] /= a;
    m3[i] /= a;
    distinctAtLeast10[i] = distinctCount[i] >= 10 ? 1 : 0;
  }
  return {
    count: n,
    labels: slots.labels,
    area,
    meanRow,
    meanCol,
    rowVar,
    colVar,
    rowColCov,
    minRow,
    maxRow,
    minCol,
    maxCol,
    intensityMin: iMin,
    intensityMax: iMax,
    intensityMean: mean,
    intensityM2: m2,
    intensityM3: m3,
    distinctAtLeast10,
  };
}

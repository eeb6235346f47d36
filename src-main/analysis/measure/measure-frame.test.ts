import { describe, expect, it } from 'vitest';
import { ImageShapeError } from '../errors';
import { measureFrame, MEASUREMENT_COLUMNS } from './measure-frame';
import { mulberry32 as rng } from '../../../test-support/random';

/** Paints `label` where `inside(r, c)` holds. */
function paint(
  labels: Uint16Array,
  w: number,
  h: number,
  label: number,
  inside: (r: number, c: number) => boolean,
): void {
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (inside(r, c)) labels[r * w + c] = label;
}

/** Brute-force convex area: Jarvis march over all diamond points of all pixels, then test every bbox centre. */
function bruteConvexArea(px: Array<[number, number]>): number {
  const pts: Array<[number, number]> = [];
  for (const [r, c] of px) pts.push([r - 0.5, c], [r + 0.5, c], [r, c - 0.5], [r, c + 0.5]);
  const cross = (o: number[], a: number[], b: number[]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  let start = pts[0];
  for (const p of pts) if (p[0] < start[0] || (p[0] === start[0] && p[1] < start[1])) start = p;
  const hull: number[][] = [];
  let cur = start;
  do {
    hull.push(cur);
    let next = pts[0] === cur ? pts[1] : pts[0];
    for (const p of pts) {
      if (p === cur) continue;
      const cr = cross(cur, next, p);
      const d = (q: number[]) => (q[0] - cur[0]) ** 2 + (q[1] - cur[1]) ** 2;
      if (cr < 0 || (cr === 0 && d(p) > d(next))) next = p;
    }
    cur = next;
  } while (cur[0] !== start[0] || cur[1] !== start[1]);
  const rows = px.map((p) => p[0]);
  const cols = px.map((p) => p[1]);
  let n = 0;
  for (let r = Math.min(...rows); r <= Math.max(...rows); r++) {
    for (let c = Math.min(...cols); c <= Math.max(...cols); c++) {
      let pos = false;
      let neg = false;
      for (let i = 0; i < hull.length; i++) {
        const cr = cross(hull[i], hull[(i + 1) % hull.length], [r, c]);
        if (cr > 0) pos = true;
        if (cr < 0) neg = true;
      }
      if (!(pos && neg)) n++;
    }
  }
  return n;
}

/** Plain two-pass reference of every column for one label. */
function reference(labels: Uint16Array, img: Float32Array, w: number, label: number) {
  const px: Array<[number, number]> = [];
  const v: number[] = [];
  labels.forEach((l, i) => {
    if (l === label) {
      px.push([Math.floor(i / w), i % w]);
      v.push(img[i]);
    }
  });
  const n = px.length;
  const mr = px.reduce((s, p) => s + p[0], 0) / n;
  const mc = px.reduce((s, p) => s + p[1], 0) / n;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const m2 = v.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  const m3 = v.reduce((s, x) => s + (x - mean) ** 3, 0) / n;
  const skew = new Set(v).size < 10 ? 0 : (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
  return {
    centroid_0: mr,
    centroid_1: mc,
    area: n,
    max_intensity: Math.max(...v),
    min_intensity: Math.min(...v),
    mean_intensity: mean,
    roi_std_dev: Math.sqrt(m2),
    roi_skewness: skew,
    solidity: n / bruteConvexArea(px),
  };
}

describe('measureFrame', () => {
  it('measures an axis-aligned rectangle: centroid, area, axes = 4·sqrt((n²−1)/12), orientation', () => {
    const w = 20;
    const h = 15;
    const labels = new Uint16Array(w * h);
    paint(labels, w, h, 7, (r, c) => r >= 2 && r < 5 && c >= 4 && c < 13); // 3 rows × 9 cols
    paint(labels, w, h, 9, (r, c) => r >= 6 && r < 14 && c >= 15 && c < 18); // 8 rows × 3 cols
    const m = measureFrame(labels, new Float32Array(w * h).fill(2), w, h, { frame: 3, channel: 1 });
    expect(Array.from(m.label)).toEqual([7, 9]);
    expect(m.centroid_0[0]).toBeCloseTo(3, 12);
    expect(m.centroid_1[0]).toBeCloseTo(8, 12);
    expect(m.area[0]).toBe(27);
    expect(m.major_axis_length[0]).toBeCloseTo(4 * Math.sqrt((81 - 1) / 12), 10);
    expect(m.minor_axis_length[0]).toBeCloseTo(4 * Math.sqrt((9 - 1) / 12), 10);
    expect(m.solidity[0]).toBe(1);
    // Wider than tall: major axis along the columns, 90° from the row axis (skimage gives +π/2).
    expect(m.orientation[0]).toBeCloseTo(Math.PI / 2, 12);
    expect(m.centroid_0[1]).toBeCloseTo(9.5, 12);
    expect(m.centroid_1[1]).toBeCloseTo(16, 12);
    expect(m.major_axis_length[1]).toBeCloseTo(4 * Math.sqrt((64 - 1) / 12), 10);
    expect(m.minor_axis_length[1]).toBeCloseTo(4 * Math.sqrt((9 - 1) / 12), 10);
    expect(m.orientation[1]).toBeCloseTo(0, 12);
    expect(Array.from(m.frame)).toEqual([3, 3]);
    expect(Array.from(m.channel)).toEqual([1, 1]);
    expect(Array.from(m.slice)).toEqual([0, 0]);
    expect(m.roi_skewness[0]).toBe(0);
    expect(m.roi_std_dev[0]).toBe(0);
  });

  it('gives a rotated ellipse the orientation of its major axis, with the sign of skimage', () => {
    const w = 41;
    const h = 41;
    const labels = new Uint16Array(w * h);
    const ellipse = (deg: number) => (r: number, c: number) => {
      const t = (deg * Math.PI) / 180;
      const x = c - 20;
      const y = r - 20;
      const u = x * Math.cos(t) + y * Math.sin(t);
      const v = -x * Math.sin(t) + y * Math.cos(t);
      return (u / 15) ** 2 + (v / 5) ** 2 <= 1;
    };
    paint(labels, w, h, 1, ellipse(30)); // major axis runs down-right: +60° from the row axis
    const down = measureFrame(labels, new Float32Array(w * h), w, h, { frame: 0, channel: 0 });
    // numpy on the same mask: 239 px, orientation 1.0399780721190026 (generating snippet: mgrid, the same
    // ellipse test, mu20/mu02/mu11 means, 0.5*arctan2(-2b, c-a)).
    expect(down.area[0]).toBe(239);
    expect(down.orientation[0]).toBeCloseTo(1.0399780721190026, 10);
    labels.fill(0);
    paint(labels, w, h, 1, ellipse(-30));
    const up = measureFrame(labels, new Float32Array(w * h), w, h, { frame: 0, channel: 0 });
    expect(up.orientation[0]).toBeCloseTo(-1.0399780721190026, 10);
    // A filled ellipse has the second moments of itself: major axis ≈ 2·15, minor ≈ 2·5.
    expect(up.major_axis_length[0]).toBeGreaterThan(29);
    expect(up.major_axis_length[0]).toBeLessThan(31);
    expect(up.minor_axis_length[0]).toBeGreaterThan(9);
    expect(up.minor_axis_length[0]).toBeLessThan(11);
  });

  it('reproduces skimage 0.20 (same code as 0.19) on the arrays of scikit-image issue #6815', () => {
    const arrs = [
      [0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0],
      [0, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 0],
      [0, 0, 0, 3, 0, 0, 3, 3, 0, 3, 0, 0, 3, 0, 0, 0],
    ];
    const w = 12;
    const labels = new Uint16Array(48);
    arrs.forEach((a, k) => a.forEach((v, i) => (labels[Math.floor(i / 4) * w + k * 4 + (i % 4)] = v)));
    const m = measureFrame(labels, new Float32Array(48), w, 4, { frame: 0, channel: 0 });
    expect(m.orientation[0]).toBeCloseTo(-0.71445, 5);
    expect(m.orientation[1]).toBeCloseTo(0.785398, 6); // a == c, b > 0 → +π/4 in skimage ≤ 0.20
    expect(m.orientation[2]).toBeCloseTo(-0.856347, 6);
  });

  it('matches a brute-force reference on an L-shape, a single pixel, border objects and random intensities', () => {
    const w = 24;
    const h = 18;
    const labels = new Uint16Array(w * h);
    paint(
      labels,
      w,
      h,
      3,
      (r, c) => (r >= 2 && r < 12 && c >= 2 && c < 5) || (r >= 9 && r < 12 && c >= 5 && c < 11),
    ); // L
    paint(labels, w, h, 5, (r, c) => r === 15 && c === 7); // single pixel
    paint(labels, w, h, 8, (r, c) => r < 4 && c >= 19); // top-right corner, touches two borders
    paint(labels, w, h, 11, (r, c) => r >= 13 && c >= 14 && (r - 17) ** 2 + (c - 20) ** 2 <= 16); // bottom border disc part
    paint(labels, w, h, 12, (r, c) => r >= 14 && r < 17 && c < 3 && (r + c) % 2 === 0); // checkerboard: disconnected pixels
    const rand = rng(7);
    const img = new Float32Array(w * h).map(() => Math.fround(rand() ** 3 * 1000));
    const m = measureFrame(labels, img, w, h, { frame: 0, channel: 2 });
    expect(Array.from(m.label)).toEqual([3, 5, 8, 11, 12]);
    m.label.forEach((label, i) => {
      const ref = reference(labels, img, w, label);
      for (const [k, v] of Object.entries(ref)) {
        expect(m[k as keyof typeof ref][i], `label ${label} ${k}`).toBeCloseTo(v, 9);
      }
    });
    // The L: 30 + 18 = 48 px. By hand: hull vertices (row, col) (2,1.5) (1.5,2) (1.5,4) (2,4.5) (9,10.5) (11,10.5)
    // (11.5,10) (11.5,2) (11,1.5); pixel centres per row 2..11 = 3+4+5+6+6+7+8+9+9+9 = 66.
    expect(m.area[0]).toBe(48);
    expect(m.solidity[0]).toBeCloseTo(48 / 66, 14);
    expect(m.solidity[1]).toBe(1);
    expect(m.major_axis_length[1]).toBe(0);
    expect(m.minor_axis_length[1]).toBe(0);
    expect(m.roi_skewness[1]).toBe(0);
  });

  it('matches the brute-force reference on 40 random blobs (unions of rectangles and ellipses)', () => {
    const w = 120;
    const h = 90;
    const rand = rng(99);
    const labels = new Uint16Array(w * h);
    for (let l = 1; l <= 40; l++) {
      const cy = rand() * h;
      const cx = rand() * w;
      for (let part = 0; part < 3; part++) {
        const oy = cy + (rand() - 0.5) * 8;
        const ox = cx + (rand() - 0.5) * 8;
        const a = 1 + rand() * 6;
        const b = 1 + rand() * 3;
        const t = rand() * Math.PI;
        const ellipse = part !== 1;
        paint(labels, w, h, l, (r, c) => {
          const u = (c - ox) * Math.cos(t) + (r - oy) * Math.sin(t);
          const v = -(c - ox) * Math.sin(t) + (r - oy) * Math.cos(t);
          return ellipse ? (u / a) ** 2 + (v / b) ** 2 <= 1 : Math.abs(r - oy) <= b && Math.abs(c - ox) <= a;
        });
      }
    }
    const img = new Float32Array(w * h).map(() => Math.fround(rand() * 50));
    const m = measureFrame(labels, img, w, h, { frame: 0, channel: 0 });
    expect(m.label.length).toBeGreaterThan(20);
    m.label.forEach((label, i) => {
      const ref = reference(labels, img, w, label);
      for (const [k, v] of Object.entries(ref))
        expect(m[k as keyof typeof ref][i], `label ${label} ${k}`).toBeCloseTo(v, 8);
    });
  });

  it('skewness is 0 with fewer than 10 distinct values and the scipy value otherwise', () => {
    const w = 12;
    const labels = new Uint16Array(24);
    labels.fill(1, 0, 12);
    labels.fill(2, 12, 24);
    // Row 0: 9 distinct values repeated → 0. Row 1: scipy.stats.skew(x, bias=False) of
    // [1..10, 20, 35] (float32) = 2.1481809616088867, np.std = 9.136313438415527.
    const img = Float32Array.from([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 35,
    ]);
    const m = measureFrame(labels, img, w, 2, { frame: 0, channel: 0 });
    expect(m.roi_skewness[0]).toBe(0);
    expect(m.roi_skewness[1]).toBeCloseTo(2.1481809616088867, 5); // scipy worked in float32
    expect(m.roi_std_dev[1]).toBeCloseTo(9.136313438415527, 5);
  });

  it('handles labels that are large, sparse and unique across a movie, and an empty frame', () => {
    const w = 8;
    const labels = new Uint32Array(16);
    labels[0] = 90_000_000;
    labels[15] = 12;
    const m = measureFrame(labels, new Float32Array(16).fill(1), w, 2, { frame: 4, channel: 1 });
    expect(Array.from(m.label)).toEqual([12, 90_000_000]);
    expect(m.centroid_0[0]).toBe(1);
    expect(m.centroid_1[0]).toBe(7);
    const empty = measureFrame(new Uint16Array(16), new Float32Array(16), w, 2, { frame: 0, channel: 0 });
    expect(empty.label.length).toBe(0);
    for (const c of MEASUREMENT_COLUMNS) expect(empty[c].length).toBe(0);
  });

  it('rejects frames whose size does not match', () => {
    expect(() =>
      measureFrame(new Uint16Array(10), new Float32Array(12), 4, 3, { frame: 0, channel: 0 }),
    ).toThrow(ImageShapeError);
    expect(() =>
      measureFrame(new Uint16Array(12), new Float32Array(12), 4, 3, { frame: -1, channel: 0 }),
    ).toThrow(/frame/);
  });
});

import { describe, expect, it } from 'vitest';
import { columnQuantileOfQuantiles, quantileInPlace, quickselect } from './quantile';
import { FLOAT32_EPS, rescaleFrame, scaleFrame } from './scalers';

// Reference values computed with torch 1.13 (HiTMicTools' ImageScaler math):
//   a[y,x] = ((y*7 + x*13) % 17) * 3.5 + y*0.25 - 4, float32, H=6, W=5
//   mi = torch.quantile(torch.quantile(t, pmin/100, dim=0), pmin/100)   (per-column over H, then over W)
//   ma likewise with pmax; y = clamp((t-mi)/(ma-mi+eps), 0, 1); zscore: (t-t.mean())/(t.std()+1e-6)
const H = 6;
const W = 5;
const a = new Float32Array(H * W);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) a[y * W + x] = ((y * 7 + x * 13) % 17) * 3.5 + y * 0.25 - 4;

const TORCH = [
  {
    pmin: 1,
    pmax: 99.8,
    mi: -3.7220001220703125,
    ma: 52.846885681152344,
    row0: [0, 0.7994146943092346, 0.5519288778305054, 0.30444297194480896, 0.05695710703730583],
    y54: 0.14092552661895752,
  },
  {
    pmin: 10,
    pmax: 90,
    mi: -0.2749999761581421,
    ma: 46.599998474121094,
    row0: [0, 0.8912000060081482, 0.5925333499908447, 0.29386666417121887, 0],
    y54: 0.09653333574533463,
  },
  {
    pmin: 0,
    pmax: 100,
    mi: -4,
    ma: 53,
    row0: [0, 0.7982456088066101, 0.5526315569877625, 0.3070175349712372, 0.061403509229421616],
    y54: 0.14473684132099152,
  },
  { pmin: 25, pmax: 75, mi: 6.75, ma: 39, row0: [0, 1, 0.643410861492157, 0.20930232107639313, 0], y54: 0 },
];

describe('range01 quantile of quantiles (torch.quantile, linear)', () => {
  it.each(TORCH)('pmin $pmin pmax $pmax', ({ pmin, pmax, mi, ma, row0, y54 }) => {
    const { data, stats } = scaleFrame(a, H, W, 'range01', { pmin, pmax });
    expect(stats).toEqual({ method: 'range01', mi, ma }); // exact float32 equality
    for (let x = 0; x < W; x++) expect(data[x]).toBe(Math.fround(row0[x]));
    expect(data[5 * W + 4]).toBe(Math.fround(y54));
  });

  it('differs from the global percentile (torch gives -3.7825 for the 1% global quantile)', () => {
    const [mi] = columnQuantileOfQuantiles(a, H, W, [0.01]);
    expect(mi).not.toBeCloseTo(-3.7825000286102295, 3);
  });

  it('matches a sort-based reference on random data with ties and odd sizes', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [h, w] of [
      [1, 1],
      [1, 9],
      [13, 1],
      [37, 29],
      [64, 3],
      [700, 5],
      [3, 900],
    ]) {
      const d = new Float32Array(h * w);
      for (let i = 0; i < d.length; i++) d[i] = Math.floor(rnd() * 20) + (rnd() < 0.3 ? 0 : rnd());
      for (const q of [0, 0.01, 0.37, 0.5, 0.998, 1]) {
        const ref = (vals: number[]) => {
          const s = [...vals].sort((p, r) => p - r);
          const rank = Math.fround(Math.fround(q) * (s.length - 1));
          const lo = Math.floor(rank);
          const hi = Math.min(lo + 1, s.length - 1);
          const wt = Math.fround(rank - lo);
          const diff = Math.fround(s[hi] - s[lo]);
          return wt < 0.5
            ? Math.fround(s[lo] + Math.fround(wt * diff))
            : Math.fround(s[hi] - Math.fround(diff * Math.fround(1 - wt)));
        };
        const cols: number[] = [];
        for (let x = 0; x < w; x++) {
          const col: number[] = [];
          for (let y = 0; y < h; y++) col.push(d[y * w + x]);
          cols.push(ref(col));
        }
        expect(columnQuantileOfQuantiles(d, h, w, [q])[0]).toBe(ref(cols));
      }
    }
  });

  it('one-pass tails equal selection on tall frames, monotonic columns and both tails at once', () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const h = 2048;
    const w = 6;
    const d = new Float32Array(h * w);
    for (let y = 0; y < h; y++) {
      d[y * w] = h - y; // falling: every value enters the low tail
      d[y * w + 1] = y; // rising: every value enters the high tail
      d[y * w + 2] = 5; // constant
      d[y * w + 3] = Math.floor(rnd() * 4); // heavy ties
      d[y * w + 4] = rnd() * 1000 - 500;
      d[y * w + 5] = y % 2 ? -y : y;
    }
    const qs = [0.01, 0.998, 0, 1, 0.02, 0.985];
    const perColumnBySelection = (q: number) => {
      const out = new Float32Array(w);
      for (let x = 0; x < w; x++) {
        const col = new Float32Array(h);
        for (let y = 0; y < h; y++) col[y] = d[y * w + x];
        out[x] = quantileInPlace(col, h, q);
      }
      return quantileInPlace(out, w, q);
    };
    const got = columnQuantileOfQuantiles(d, h, w, qs);
    qs.forEach((q, j) => expect(got[j], `q ${q}`).toBe(perColumnBySelection(q)));
  });

  it('selection on long columns (Floyd–Rivest sampling branch) equals sorting', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const n of [601, 2048, 5003]) {
      const vals = new Float32Array(n);
      for (let i = 0; i < n; i++) vals[i] = i % 3 === 0 ? 100 : Math.floor(rnd() * 50) + rnd();
      const sorted = Float32Array.from(vals).sort();
      for (const k of [0, 1, 20, Math.floor(n / 2), n - 5, n - 1]) {
        const buf = Float32Array.from(vals);
        expect(quickselect(buf, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(buf[i]).toBeLessThanOrEqual(sorted[k]);
      }
    }
  });

  it('quantile of constant data is that constant (quickselect on all-equal keys)', () => {
    const d = new Float32Array(1000).fill(7);
    expect(quantileInPlace(d, 1000, 0.998)).toBe(7);
  });

  it('clip false keeps values outside [0,1]; rescale inverts without eps', () => {
    const { data, stats } = scaleFrame(a, H, W, 'range01', { pmin: 25, pmax: 75, clip: false });
    expect(Math.min(...data)).toBeLessThan(0);
    expect(Math.max(...data)).toBeGreaterThan(1);
    const back = rescaleFrame(data, stats);
    // y·(ma−mi)+mi recovers x up to the eps in the forward denominator.
    for (let i = 0; i < a.length; i++) expect(back[i]).toBeCloseTo(a[i], 4);
    expect(FLOAT32_EPS).toBe(1.1920928955078125e-7);
  });
});

describe('zscore, fixed_range, combined, none', () => {
  it('zscore uses the unbiased std + 1e-6 (torch: mean 23.925, std 17.71033, z[2,3] -1.1532814)', () => {
    const { data, stats } = scaleFrame(a, H, W, 'zscore');
    expect(stats).toEqual({ method: 'zscore', mean: 23.924999237060547, std: 17.710330963134766 });
    expect(data[2 * W + 3]).toBeCloseTo(-1.1532814502716064, 6);
    const back = rescaleFrame(data, stats);
    for (let i = 0; i < a.length; i++) expect(back[i]).toBeCloseTo(a[i], 3);
  });

  it('fixed_range divides by 2^b − 1 without clipping and checks bit depth', () => {
    const src = new Float32Array([0, 4095, 8190]);
    const { data, stats } = scaleFrame(src, 1, 3, 'fixed_range', { bitDepth: 12 });
    expect(Array.from(data)).toEqual([0, 1, 2]);
    expect(Array.from(rescaleFrame(data, stats))).toEqual([0, 4095, 8190]);
    expect(() => scaleFrame(src, 1, 3, 'fixed_range', {})).toThrow(/bit_depth.*required/);
    expect(() => scaleFrame(src, 1, 3, 'fixed_range', { bitDepth: 33 })).toThrow(/between 1 and 32/);
  });

  it('combined = range01 (clipped) then zscore; inverse undoes both', () => {
    const { data, stats } = scaleFrame(a, H, W, 'combined', { pmin: 10, pmax: 90 });
    const r = scaleFrame(a, H, W, 'range01', { pmin: 10, pmax: 90 });
    const z = scaleFrame(r.data, H, W, 'zscore');
    expect(Array.from(data)).toEqual(Array.from(z.data));
    expect(stats.method).toBe('combined');
    const back = rescaleFrame(data, stats);
    expect(back[1]).toBeCloseTo(rescaleFrame(r.data, r.stats)[1], 3);
  });

  it('none copies; bad percentiles are rejected with the rule', () => {
    const { data } = scaleFrame(a, H, W, 'none');
    expect(data).not.toBe(a);
    expect(Array.from(data)).toEqual(Array.from(a));
    expect(() => scaleFrame(a, H, W, 'range01', { pmin: 50, pmax: 40 })).toThrow(/0 <= pmin < pmax <= 100/);
  });
});

/**
 * Window importance maps as MONAI 1.5 `data/utils.py::compute_importance_map`, roiH×roiW float32
 * row-major.
 *
 * - 'constant': all ones.
 * - 'gaussian': per axis x from −(n−1)/2 to (n−1)/2, g(x) = exp(x²/(−2σ²)) with σ = sigmaScale·n
 *   (default 0.125), the map is the outer product g_y ⊗ g_x, then clamped below at max(min(map), 1e-3).
 *   Computed in float32 as torch does.
 */
export type BlendMode = 'constant' | 'gaussian';

const f = Math.fround;
const cache = new Map<string, Float32Array>();

function gaussian1d(n: number, sigmaScale: number): Float32Array {
  const g = new Float32Array(n);
  const sigma = n * sigmaScale;
  const den = f(-2 * sigma * sigma);
  for (let i = 0; i < n; i++) {
    const x = f(-(n - 1) / 2 + i);
    g[i] = Math.exp(f(f(x * x) / den));
  }
  return g;
}

/** The importance map for a roi; cached per (mode, roi, sigmaScale) — do not modify the result. */
export function importanceMap(roiH: number, roiW: number, mode: BlendMode, sigmaScale = 0.125): Float32Array {
  const key = `${mode}:${roiH}x${roiW}:${sigmaScale}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const map = new Float32Array(roiH * roiW);
  if (mode === 'constant') {
    map.fill(1);
  } else {
    const gy = gaussian1d(roiH, sigmaScale);
    const gx = gaussian1d(roiW, sigmaScale);
    let min = Infinity;
    for (let y = 0; y < roiH; y++) {
      for (let x = 0; x < roiW; x++) {
        const v = f(gy[y] * gx[x]);
        map[y * roiW + x] = v;
        if (v < min) min = v;
      }
    }
    const floor = Math.max(min, 1e-3);
    for (let i = 0; i < map.length; i++) if (map[i] < floor) map[i] = floor;
  }
  cache.set(key, map);
  return map;
}

/**
 * Bilinear resize exactly as torch.nn.functional.interpolate(mode='bilinear', align_corners=False,
 * antialias=False) called with an output `size` (scale = in/out per axis):
 * src = max(scale·(dst + 0.5) − 0.5, 0); i0 = floor(src); i1 = min(i0 + 1, n − 1); λ = src − i0.
 * Writes outH×outW values into `dst` starting at `dstOffset` with row stride `dstStride`
 * (so a resized crop can land directly inside a padded canvas).
 */
export function resizeBilinear(
  src: Float32Array,
  srcOffset: number,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
  dst: Float32Array,
  dstOffset: number,
  dstStride: number,
): void {
  const f = Math.fround;
  const sh = f(inH / outH);
  const sw = f(inW / outW);
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const lx = new Float32Array(outW);
  for (let x = 0; x < outW; x++) {
    const r = Math.max(f(f(sw * (x + 0.5)) - 0.5), 0);
    const i = Math.floor(r);
    x0s[x] = i;
    x1s[x] = i < inW - 1 ? i + 1 : i;
    lx[x] = f(r - i);
  }
  for (let y = 0; y < outH; y++) {
    const r = Math.max(f(f(sh * (y + 0.5)) - 0.5), 0);
    const y0 = Math.floor(r);
    const y1 = y0 < inH - 1 ? y0 + 1 : y0;
    const ly1 = f(r - y0);
    const ly0 = f(1 - ly1);
    const row0 = srcOffset + y0 * inW;
    const row1 = srcOffset + y1 * inW;
    const o = dstOffset + y * dstStride;
    for (let x = 0; x < outW; x++) {
      const w1 = lx[x];
      const w0 = f(1 - w1);
      const top = f(f(w0 * src[row0 + x0s[x]]) + f(w1 * src[row0 + x1s[x]]));
      const bottom = f(f(w0 * src[row1 + x0s[x]]) + f(w1 * src[row1 + x1s[x]]));
      dst[o + x] = f(ly0 * top) + f(ly1 * bottom);
    }
  }
}

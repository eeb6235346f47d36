/**
 * IEEE 754 half precision (binary16) on plain numbers and typed arrays — Node 20 has no Float16Array.
 * Used for float16 model inputs/outputs and for the weights of the fp16 graph transform.
 */

/** The largest finite float16, 65504. */
export const FLOAT16_MAX = 65504;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 bit pattern → float16 bits, rounded to nearest even; overflow gives ±inf, NaN stays NaN. */
export function halfFromFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct
  return sign | h;
}

/** A number (as float32) → float16 bits, rounded to nearest even. */
export function toHalf(v: number): number {
  f32[0] = v;
  return halfFromFloatBits(u32[0]);
}

/** float16 bits → the number they encode. */
export function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? Number.NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function float32ToHalf(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) out[i] = halfFromFloatBits(bits[i]);
  return out;
}

export function halfToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = fromHalf(src[i]);
  return out;
}

/** How weights were changed on their way to float16 (see `weightsToHalf`). */
export interface HalfCounts {
  /** Finite values beyond ±65504, set to ±65504 (they would become ±inf). */
  clamped: number;
  /** Non-zero values closer to 0 than `minPositive`, set to ±minPositive. */
  raised: number;
}

/** Bit patterns of the thresholds, compared on |x| as unsigned integers (IEEE order = integer order). */
const MAX_BITS = 0x477fe000; // 65504
const INF_BITS = 0x7f800000;

/**
 * float32 weights → float16 bits the way onnxconverter-common's `convert_np_to_float16` treats them,
 * except for the upper bound: finite values beyond ±65504 (the float16 range) become ±65504 instead of
 * ±inf — onnxconverter's default bound is 1e4, which would also change values fp16 represents well —
 * and non-zero values with |x| < `minPositive` (default 1e-7, onnxconverter's `min_positive_val`)
 * become ±minPositive, which float16 stores as ±1.19e-7: a small epsilon stays non-zero instead of
 * rounding to 0 (fp16's smallest subnormal is 5.96e-8). NaN, ±inf and ±0 are kept. Everything else is
 * rounded to nearest even, so 6.1e-5 > |x| ≥ 1e-7 lands on a subnormal with fewer significant bits.
 * `src` holds float32 bit patterns (a Uint32Array view of the weights, any alignment handled by the caller).
 */
export function weightsToHalf(
  src: Uint32Array,
  out: Uint16Array,
  counts: HalfCounts,
  minPositive = 1e-7,
): void {
  f32[0] = minPositive;
  const minBits = u32[0];
  const raisedHalf = halfFromFloatBits(minBits);
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    const abs = x & 0x7fffffff;
    if (abs === 0 || abs >= INF_BITS) out[i] = halfFromFloatBits(x);
    else if (abs > MAX_BITS) {
      out[i] = (x >>> 16) & 0x8000 ? 0xfbff : 0x7bff;
      counts.clamped++;
    } else if (abs < minBits) {
      out[i] = ((x >>> 16) & 0x8000) | raisedHalf;
      counts.raised++;
    } else out[i] = halfFromFloatBits(x);
  }
}

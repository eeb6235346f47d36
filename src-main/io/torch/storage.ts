/**
 * Tensor values out of PyTorch storages, as pure functions on typed arrays: a storage's bytes
 * decoded to float32 (float16, bfloat16 and float64 rounded as torch's `.float()` does; integers and
 * bools as their numbers), then the tensor's elements gathered in row-major order from
 * `(storage_offset, size, stride)` exactly as `torch._utils._rebuild_tensor_v2` views the storage.
 */

/** Storage class name in the pickle (`torch.FloatStorage`, …) → element type and size in bytes. */
export const STORAGE_DTYPES: Record<string, [string, number]> = {
  FloatStorage: ['float32', 4],
  DoubleStorage: ['float64', 8],
  HalfStorage: ['float16', 2],
  BFloat16Storage: ['bfloat16', 2],
  LongStorage: ['int64', 8],
  IntStorage: ['int32', 4],
  ShortStorage: ['int16', 2],
  CharStorage: ['int8', 1],
  ByteStorage: ['uint8', 1],
  BoolStorage: ['bool', 1],
  ComplexFloatStorage: ['complex64', 8],
  ComplexDoubleStorage: ['complex128', 16],
};

/** Element types whose values storageToFloat32 decodes. */
export const REAL_DTYPES = new Set([
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
]);

/** IEEE 754 half (binary16) bits → the number it denotes; exact (every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A copy of `bytes` in a fresh, aligned buffer, each `size`-byte element reversed when big-endian. */
function alignedCopy(bytes: Uint8Array, size: number, littleEndian: boolean): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  if (littleEndian || size === 1) out.set(bytes);
  else
    for (let i = 0; i < bytes.length; i += size)
      for (let b = 0; b < size; b++) out[i + b] = bytes[i + size - 1 - b];
  return out.buffer;
}

/**
 * The first `numel` elements of a storage as float32. `dtype` is one of REAL_DTYPES; the caller
 * checks that `bytes` holds `numel` elements. Throws RangeError for any other dtype.
 */
export function storageToFloat32(
  bytes: Uint8Array,
  dtype: string,
  numel: number,
  littleEndian = true,
): Float32Array {
  const size = STORAGE_SIZE[dtype];
  if (size === undefined || !REAL_DTYPES.has(dtype))
    throw new RangeError(`storage element type ${dtype} has no real values to read`);
  const buf = alignedCopy(bytes.subarray(0, numel * size), size, littleEndian);
  switch (dtype) {
    case 'float32':
      return new Float32Array(buf);
    case 'float64':
      return Float32Array.from(new Float64Array(buf));
    case 'float16': {
      const h = new Uint16Array(buf);
      const out = new Float32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = halfToFloat(h[i]);
      return out;
    }
    case 'bfloat16': {
      // bfloat16 is the top half of a float32: shift the bits into place.
      const h = new Uint16Array(buf);
      const out = new Float32Array(numel);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < numel; i++) bits[i] = h[i] << 16;
      return out;
    }
    case 'int64': {
      const v = new BigInt64Array(buf);
      const out = new Float32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = Number(v[i]);
      return out;
    }
    case 'int32':
      return Float32Array.from(new Int32Array(buf));
    case 'int16':
      return Float32Array.from(new Int16Array(buf));
    case 'int8':
      return Float32Array.from(new Int8Array(buf));
    default:
      return Float32Array.from(new Uint8Array(buf)); // uint8, bool
  }
}

const STORAGE_SIZE: Record<string, number> = Object.fromEntries(Object.values(STORAGE_DTYPES));

/**
 * Why `(offset, shape, stride)` cannot view a storage of `numel` elements, or null when it can:
 * negative or non-integer numbers, a stride list of the wrong length, or an element past the end.
 */
export function stridedViewProblem(
  numel: number,
  offset: number,
  shape: number[],
  stride: number[],
): string | null {
  const ints = [offset, ...shape, ...stride];
  if (ints.some((v) => !Number.isSafeInteger(v) || v < 0))
    return `offset ${offset}, size (${shape.join(',')}) and stride (${stride.join(',')}) must be non-negative integers`;
  if (stride.length !== shape.length)
    return `size (${shape.join(',')}) and stride (${stride.join(',')}) have different lengths`;
  if (shape.some((s) => s === 0)) return null;
  const last = shape.reduce((a, s, i) => a + (s - 1) * stride[i], offset);
  return last < numel ? null : `its last element is at ${last}, the storage holds ${numel} elements`;
}

/**
 * The elements of the view `(offset, shape, stride)` of `src` in row-major order. Contiguous views
 * are one copy; others (a transposed or expanded tensor saved as such) are gathered with an index
 * odometer, no allocation per element. The caller checks the view with stridedViewProblem first.
 */
export function gatherStrided(
  src: Float32Array,
  offset: number,
  shape: number[],
  stride: number[],
): Float32Array {
  const n = shape.reduce((a, s) => a * s, 1);
  let contiguous = true;
  for (let i = shape.length - 1, step = 1; i >= 0; step *= shape[i], i--)
    if (shape[i] !== 1 && stride[i] !== step) contiguous = false;
  if (contiguous) return src.slice(offset, offset + n);
  const out = new Float32Array(n);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const inner = rank - 1;
  const innerSize = shape[inner];
  const innerStride = stride[inner];
  let base = offset;
  for (let o = 0; o < n; o += innerSize) {
    for (let j = 0, p = base; j < innerSize; j++, p += innerStride) out[o + j] = src[p];
    // Advance the odometer over the outer dims.
    for (let d = inner - 1; d >= 0; d--) {
      idx[d]++;
      base += stride[d];
      if (idx[d] < shape[d]) break;
      base -= stride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

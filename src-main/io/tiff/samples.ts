import type { PixelArray, PixelDType } from '../../../src-shared/io';

/**
 * Pure, allocation-free transforms on decoded sample buffers: byte swapping, TIFF predictors,
 * bit unpacking, float16 widening and MinIsWhite inversion. "Row" always means one row of one
 * strip or tile: `rowSamples` = chunk width × samples interleaved in the chunk.
 */

export const DTYPE_BYTES: Record<PixelDType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
};

/** A new zero-filled typed array of `dtype` with `length` elements. */
export function allocPixels(dtype: PixelDType, length: number): PixelArray {
  return viewPixels(dtype, new ArrayBuffer(length * DTYPE_BYTES[dtype]), 0, length);
}

/** A typed view of `dtype` on `buffer` (byteOffset must be a multiple of the element size). */
export function viewPixels(
  dtype: PixelDType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, length);
    case 'int8':
      return new Int8Array(buffer, byteOffset, length);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'int16':
      return new Int16Array(buffer, byteOffset, length);
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
  }
}

/** Reverses the byte order of every `size`-byte sample of `bytes` in place (size 1 is a no-op). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  const n = bytes.length - (bytes.length % size);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, n);
  if (size === 2) b.swap16();
  else if (size === 4) b.swap32();
  else if (size === 8) b.swap64();
  else throw new Error(`cannot swap ${size}-byte samples`);
}

/**
 * Undoes horizontal differencing (Predictor 2) on byte-aligned integer samples in native order:
 * within each row, sample i += sample i - stride (stride = samples per pixel in the chunk),
 * wrapping modulo 2^bits as the unsigned view does.
 */
export function undoHorizontal(
  a: Uint8Array | Uint16Array | Uint32Array,
  rows: number,
  rowSamples: number,
  stride: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    const end = base + rowSamples;
    for (let i = base + stride; i < end; i++) a[i] += a[i - stride];
  }
}

/** Predictor 2 on unpacked odd-bit samples: like undoHorizontal, then masked to `bits`. */
export function undoHorizontalMasked(
  a: Uint8Array | Uint16Array | Uint32Array,
  rows: number,
  rowSamples: number,
  stride: number,
  bits: number,
): void {
  const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    const end = base + rowSamples;
    for (let i = base + stride; i < end; i++) a[i] = (a[i] + a[i - stride]) & mask;
  }
}

/**
 * Undoes the floating-point predictor (Predictor 3, libtiff fpAcc) in place: per row, bytes are
 * accumulated with the pixel stride, then un-shuffled from "all most-significant bytes first"
 * into native (little-endian machine) sample order. The file's byte order does not matter.
 * `tmp` must hold at least one row (rowSamples × bytesPerSample bytes).
 */
export function undoFloatPredictor(
  bytes: Uint8Array,
  rows: number,
  rowSamples: number,
  bytesPerSample: number,
  stride: number,
  tmp: Uint8Array,
): void {
  const rowBytes = rowSamples * bytesPerSample;
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    for (let i = base + stride; i < base + rowBytes; i++) bytes[i] = (bytes[i] + bytes[i - stride]) & 0xff;
    tmp.set(bytes.subarray(base, base + rowBytes));
    for (let s = 0; s < rowSamples; s++) {
      const o = base + s * bytesPerSample;
      for (let b = 0; b < bytesPerSample; b++) bytes[o + b] = tmp[(bytesPerSample - b - 1) * rowSamples + s];
    }
  }
}

/**
 * Unpacks MSB-first packed samples of `bits` (1–32) bits into `out` (row r, sample i goes to
 * out[r * rowSamples + i]); each row of the source starts on a byte boundary (`rowBytes`).
 */
export function unpackBits(
  src: Uint8Array,
  rows: number,
  rowSamples: number,
  rowBytes: number,
  bits: number,
  out: Uint8Array | Uint16Array | Uint32Array,
): void {
  for (let r = 0; r < rows; r++) {
    let bitPos = r * rowBytes * 8;
    const o = r * rowSamples;
    for (let i = 0; i < rowSamples; i++) {
      let v = 0;
      let need = bits;
      while (need > 0) {
        const byte = src[bitPos >>> 3];
        const avail = 8 - (bitPos & 7);
        const take = avail < need ? avail : need;
        const part = (byte >>> (avail - take)) & ((1 << take) - 1);
        v = v * (1 << take) + part;
        need -= take;
        bitPos += take;
      }
      out[o + i] = v;
    }
  }
}

/** Sign-extends `bits`-bit two's-complement values held in an Int8/16/32 array, in place. */
export function signExtend(a: Int8Array | Int16Array | Int32Array, bits: number): void {
  const width = a.BYTES_PER_ELEMENT * 8;
  if (bits >= width) return;
  const shift = 32 - bits;
  for (let i = 0; i < a.length; i++) a[i] = (a[i] << shift) >> shift;
}

/** Widens IEEE half-precision values (as uint16 bit patterns) into float32. */
export function halfToFloat(src: Uint16Array, out: Float32Array): void {
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    let v: number;
    if (exp === 0) v = frac * 2 ** -24;
    else if (exp === 31) v = frac === 0 ? Infinity : NaN;
    else v = (1 + frac / 1024) * 2 ** (exp - 15);
    out[i] = sign * v;
  }
}

/** MinIsWhite → MinIsBlack for unsigned `bits`-bit integers: v := (2^bits − 1) − v, in place. */
export function invertUnsigned(a: Uint8Array | Uint16Array | Uint32Array, bits: number): void {
  const max = 2 ** bits - 1;
  for (let i = 0; i < a.length; i++) a[i] = max - a[i];
}

const BIT_REVERSED = new Uint8Array(256).map((_, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i;
  return r;
});

/** FillOrder 2 → 1: reverses the bit order within every byte, in place. */
export function reverseBits(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) bytes[i] = BIT_REVERSED[bytes[i]];
}

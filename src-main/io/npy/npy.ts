/**
 * NumPy `.npy` files (format versions 1–3, C order): the test-tensor format of bioimage.io, of our
 * collections and of the parity references made by the Python side.
 *
 * Two reads over one parser:
 * - `readNpy` keeps the file's dtype (uint16 labels stay a Uint16Array, float32 stays a Float32Array),
 * - `readNpyFloat32` widens any supported dtype to float32, the dtype the models take.
 *
 * Little-endian (and single-byte) data is copied in one bulk copy into a fresh, aligned buffer;
 * only big-endian data pays a per-element byte swap.
 */
import { NpyError } from './errors';

/** Element types this reader supports, by their NumPy names. */
export type NpyDType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64';

/**
 * The typed array each dtype is returned as. float16 is widened to Float32Array (exactly: every
 * half is a float) because Node 20 has no Float16Array; bool is a Uint8Array of 0/1.
 */
export type NpyData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export interface NpyArray {
  /** C-order dimensions; `[]` for a 0-d array (one value). */
  shape: number[];
  /** The dtype stored in the file. */
  dtype: NpyDType;
  data: NpyData;
}

/** A read widened to float32; `dtype` is still the dtype stored in the file. */
export interface NpyFloat32Array {
  shape: number[];
  dtype: NpyDType;
  data: Float32Array;
}

interface DTypeInfo {
  dtype: NpyDType;
  size: number;
  /** Views `count` elements of a fresh, little-endian, aligned buffer. */
  view: (buf: ArrayBuffer, count: number) => NpyData;
}

/** Keyed by NumPy's kind letter and byte size, e.g. `f4`, `u2`. */
const DTYPES: Record<string, DTypeInfo> = {
  b1: { dtype: 'bool', size: 1, view: (b, n) => new Uint8Array(b, 0, n) },
  i1: { dtype: 'int8', size: 1, view: (b, n) => new Int8Array(b, 0, n) },
  u1: { dtype: 'uint8', size: 1, view: (b, n) => new Uint8Array(b, 0, n) },
  i2: { dtype: 'int16', size: 2, view: (b, n) => new Int16Array(b, 0, n) },
  u2: { dtype: 'uint16', size: 2, view: (b, n) => new Uint16Array(b, 0, n) },
  i4: { dtype: 'int32', size: 4, view: (b, n) => new Int32Array(b, 0, n) },
  u4: { dtype: 'uint32', size: 4, view: (b, n) => new Uint32Array(b, 0, n) },
  i8: { dtype: 'int64', size: 8, view: (b, n) => new BigInt64Array(b, 0, n) },
  u8: { dtype: 'uint64', size: 8, view: (b, n) => new BigUint64Array(b, 0, n) },
  f2: { dtype: 'float16', size: 2, view: (b, n) => halvesToFloat32(new Uint16Array(b, 0, n)) },
  f4: { dtype: 'float32', size: 4, view: (b, n) => new Float32Array(b, 0, n) },
  f8: { dtype: 'float64', size: 8, view: (b, n) => new Float64Array(b, 0, n) },
};
const SUPPORTED =
  "'<f4', '<f8', '<f2', '|u1', '|i1', '<u2', '<i2', '<u4', '<i4', '<u8', '<i8', '|b1' (or big-endian '>')";
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const SAVE_AS = 'Save the tensor with numpy.save(path, np.ascontiguousarray(a, dtype=np.float32)).';

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function halvesToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfToFloat(bits[i]);
  return out;
}

/**
 * Reverses each `size`-byte element in place: big-endian file bytes → host order. Typed arrays use
 * the host's byte order, which is little-endian on every platform Node ships for (x64, arm64).
 */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let o = 0; o + size <= bytes.length; o += size) {
    for (let i = o, j = o + size - 1; i < j; i++, j--) {
      const t = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = t;
    }
  }
}

interface NpyHeader {
  shape: number[];
  code: string;
  bigEndian: boolean;
  dataStart: number;
}

function parseHeader(bytes: Uint8Array, file: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m))
    throw new NpyError(file, 'missing the \\x93NUMPY magic: not a NumPy .npy file', SAVE_AS);
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12)
      throw new NpyError(file, `header of format version ${major} is truncated`, SAVE_AS);
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw new NpyError(file, `format version ${major} (supported: 1, 2, 3)`, SAVE_AS);
  if (start + headerLen > bytes.length)
    throw new NpyError(file, `header of ${headerLen} bytes runs past the end of the file`, SAVE_AS);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyError(file, `unreadable header ${JSON.stringify(header.trim())}`, SAVE_AS);
  if (fortran !== 'False')
    throw new NpyError(
      file,
      'Fortran order is not supported',
      'Save with numpy.save(path, np.ascontiguousarray(a)).',
    );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new NpyError(file, `unreadable shape (${shapeText})`, SAVE_AS);
  const parts = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const code = parts ? `${parts[2]}${parts[3]}` : '';
  if (!parts || !DTYPES[code])
    throw new NpyError(file, `dtype '${descr}' is not supported (supported: ${SUPPORTED})`, SAVE_AS);
  return { shape, code, bigEndian: parts[1] === '>', dataStart: start + headerLen };
}

/**
 * Parses an `.npy` buffer, keeping the file's dtype (see NpyData for the array types). The data is
 * copied: the result never shares memory with `bytes` (a Node Buffer may sit in a shared pool).
 * Throws NpyError naming `file` and what is wrong.
 */
export function readNpy(bytes: Uint8Array, file = '(buffer)'): NpyArray {
  const { shape, code, bigEndian, dataStart } = parseHeader(bytes, file);
  const info = DTYPES[code];
  const count = shape.reduce((a, b) => a * b, 1);
  const byteCount = count * info.size;
  if (bytes.length - dataStart < byteCount)
    throw new NpyError(
      file,
      `${bytes.length - dataStart} data bytes for ${count} values of ${info.size} bytes (shape ${shape.join('x')})`,
      'The file is truncated: copy or save it again.',
    );
  // One bulk copy into a fresh buffer: aligned for the typed-array view whatever `bytes` was.
  const copy = new Uint8Array(byteCount);
  copy.set(bytes.subarray(dataStart, dataStart + byteCount));
  if (bigEndian && info.size > 1) swapBytes(copy, info.size);
  return { shape, dtype: info.dtype, data: info.view(copy.buffer, count) };
}

/** Parses an `.npy` buffer and widens its values to float32 (int64 beyond 2^24 loses precision). */
export function readNpyFloat32(bytes: Uint8Array, file = '(buffer)'): NpyFloat32Array {
  const { shape, dtype, data } = readNpy(bytes, file);
  if (data instanceof Float32Array) return { shape, dtype, data };
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else out.set(data);
  return { shape, dtype, data: out };
}

/** Encodes float32 values as a version-1, little-endian, C-order `.npy` file. */
export function writeNpy(data: Float32Array, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new RangeError(
      `writeNpy: shape (${shape.join(', ')}) holds ${count} values but the data has ${data.length}; pass the array's own shape`,
    );
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  // numpy pads the header so the data starts on a 64-byte boundary, ending it with '\n'.
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([...MAGIC, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

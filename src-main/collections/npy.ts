/**
 * Reading and writing NumPy `.npy` files (format versions 1–3, C order), the test-tensor format
 * of bioimage.io and of our collections. Values are returned as float32, the models' dtype.
 */

export interface NpyArray {
  shape: number[];
  dtype: string;
  data: Float32Array;
}

export class NpyError extends Error {
  override readonly name = 'NpyError';
}

const READERS: Record<string, [number, (v: DataView, o: number, le: boolean) => number]> = {
  f4: [4, (v, o, le) => v.getFloat32(o, le)],
  f8: [8, (v, o, le) => v.getFloat64(o, le)],
  f2: [2, (v, o, le) => halfToFloat(v.getUint16(o, le))],
  u1: [1, (v, o) => v.getUint8(o)],
  i1: [1, (v, o) => v.getInt8(o)],
  u2: [2, (v, o, le) => v.getUint16(o, le)],
  i2: [2, (v, o, le) => v.getInt16(o, le)],
  u4: [4, (v, o, le) => v.getUint32(o, le)],
  i4: [4, (v, o, le) => v.getInt32(o, le)],
  i8: [8, (v, o, le) => Number(v.getBigInt64(o, le))],
  u8: [8, (v, o, le) => Number(v.getBigUint64(o, le))],
  b1: [1, (v, o) => v.getUint8(o)],
};

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Parses an `.npy` buffer into float32 values. Throws NpyError naming what is wrong. */
export function readNpy(buf: Uint8Array, name = 'array'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (buf.length < 10 || magic.some((b, i) => buf[i] !== b))
    throw new NpyError(`${name} is not a NumPy .npy file (bad magic)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = buf[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(buf.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM)
    throw new NpyError(`${name}: unreadable .npy header ${JSON.stringify(header.trim())}`);
  if (fortran[1] === 'True')
    throw new NpyError(
      `${name}: Fortran-ordered arrays are not supported; save with np.save(path, np.ascontiguousarray(a))`,
    );
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const code = `${descr[2]}${descr[3]}`;
  const reader = READERS[code];
  if (!reader) throw new NpyError(`${name}: dtype '${descr[0]}' is not supported (use float32)`);
  const le = descr[1] !== '>';
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (dataStart + count * reader[0] > buf.length)
    throw new NpyError(
      `${name}: truncated (${buf.length - dataStart} data bytes, shape ${shape.join('x')} needs ${count * reader[0]})`,
    );
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = reader[1](view, dataStart + i * reader[0], le);
  return { shape, dtype: code === 'f4' ? 'float32' : code, data: out };
}

/** Encodes float32 values as a version-1 `.npy` file. */
export function writeNpy(data: Float32Array, shape: number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

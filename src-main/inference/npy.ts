/**
 * Minimal reader for NumPy .npy files (format 1.0–3.0): little-endian float32 ('<f4') or uint16
 * ('<u2'), C order. Used for bioimage.io-style test tensors. Throws NpyError naming the file and the
 * unsupported field.
 */
export class NpyError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `'${file}': cannot read as .npy: ${detail}. Save the tensor with numpy.save as little-endian float32 or uint16 in C order.`,
    );
    this.name = 'NpyError';
  }
}

export interface NpyArray {
  data: Float32Array | Uint16Array;
  dtype: 'float32' | 'uint16';
  shape: number[];
}

export function parseNpy(bytes: Uint8Array, file = '(buffer)'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m))
    throw new NpyError(file, 'missing the \\x93NUMPY magic');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw new NpyError(file, `format version ${major}`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new NpyError(file, `unreadable header ${header.trim()}`);
  if (fortran !== 'False') throw new NpyError(file, 'Fortran order');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  let dtype: NpyArray['dtype'];
  let size: number;
  if (descr === '<f4') {
    dtype = 'float32';
    size = 4;
  } else if (descr === '<u2') {
    dtype = 'uint16';
    size = 2;
  } else throw new NpyError(file, `dtype '${descr}' (supported: '<f4', '<u2')`);
  if (bytes.length - offset < count * size)
    throw new NpyError(file, `${bytes.length - offset} data bytes for ${count} values of ${size} bytes`);
  // Copy into a fresh, aligned buffer (a Node Buffer's slice() would share its pool).
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(offset, offset + count * size));
  const data =
    dtype === 'float32' ? new Float32Array(copy.buffer, 0, count) : new Uint16Array(copy.buffer, 0, count);
  return { data, dtype, shape };
}

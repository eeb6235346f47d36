/**
 * The `.npy` reader and writer, on files built here the way numpy.save writes them, on the test
 * tensors of test-support/collections (made by numpy) and on the shared bioimage.io fixtures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyError, readNpy, readNpyFloat32, writeNpy } from '..';

const assets = path.resolve(__dirname, '../../../test-support/collections');
const fixtures = path.resolve(__dirname, '../../../../shared/fixtures');
const haveFixtures = fs.existsSync(path.join(fixtures, 'onnx'));
if (!haveFixtures) console.warn(`SKIPPED fixture tests: ${fixtures} not found`);

/** Builds a .npy v1.0 file the way numpy.save writes it. */
function npy(descr: string, shape: number[], payload: Uint8Array, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(payload, 10 + header.length);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** Values of any NpyData (bigint ones included) as a plain array. */
const list = (d: ArrayLike<unknown>): unknown[] => Array.from(d);

describe('npy reader', () => {
  it('keeps float32 and uint16, C order, read from an unaligned Buffer slice', () => {
    const f = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const file = npy('<f4', [2, 3], bytesOf(f));
    const inPool = Buffer.concat([Buffer.from([7, 7, 7]), Buffer.from(file)]).subarray(3);
    const a = readNpy(inPool);
    expect(a).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(list(a.data)).toEqual([1.5, -2, 3.25, 4, 5, 6]);
    const u = readNpy(npy('<u2', [3], bytesOf(new Uint16Array([1, 65535, 7]))));
    expect(u.dtype).toBe('uint16');
    expect(u.data).toBeInstanceOf(Uint16Array);
    expect(list(u.data)).toEqual([1, 65535, 7]);
  });

  it('never shares memory with the bytes it was given', () => {
    const file = npy('<f4', [2], bytesOf(new Float32Array([1, 2])));
    const a = readNpy(file);
    file.fill(0);
    expect(list(a.data)).toEqual([1, 2]);
  });

  // Each case: descr, the array written little-endian, what readNpy keeps.
  const KEPT: [string, ArrayBufferView, string, unknown][] = [
    ['<f8', new Float64Array([0.1, -1e300]), 'float64', Float64Array],
    ['|u1', new Uint8Array([0, 255]), 'uint8', Uint8Array],
    ['|i1', new Int8Array([-128, 127]), 'int8', Int8Array],
    ['<i2', new Int16Array([-32768, 32767]), 'int16', Int16Array],
    ['<u4', new Uint32Array([0, 4294967295]), 'uint32', Uint32Array],
    ['<i4', new Int32Array([-2147483648, 5]), 'int32', Int32Array],
    ['<i8', new BigInt64Array([-5n, 2n ** 40n]), 'int64', BigInt64Array],
    ['<u8', new BigUint64Array([0n, 2n ** 63n]), 'uint64', BigUint64Array],
    ['|b1', new Uint8Array([1, 0, 1]), 'bool', Uint8Array],
  ];
  it.each(KEPT)('keeps %s as its own typed array', (descr, values, dtype, type) => {
    const n = (values as unknown as { length: number }).length;
    const a = readNpy(npy(descr, [n], bytesOf(values)));
    expect(a.dtype).toBe(dtype);
    expect(a.data).toBeInstanceOf(type);
    expect(list(a.data)).toEqual(list(values as unknown as ArrayLike<unknown>));
  });

  it('widens float16 exactly and swaps big-endian data', () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x0001 = smallest subnormal, 0x7c00 = +inf
    const h = readNpy(npy('<f2', [4], bytesOf(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00]))));
    expect(h.dtype).toBe('float16');
    expect(list(h.data)).toEqual([1, -2, 2 ** -24, Infinity]);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -3, false);
    expect(list(readNpy(npy('>f4', [2], be)).data)).toEqual([1.5, -3]);
    const u = new Uint8Array([0x01, 0x02]);
    expect(list(readNpy(npy('>u2', [1], u)).data)).toEqual([0x0102]);
  });

  it('reads a 0-d array, an empty array and format version 2', () => {
    expect(readNpy(npy('<f4', [], bytesOf(new Float32Array([7]))))).toMatchObject({ shape: [] });
    expect(readNpy(npy('<f4', [0, 3], new Uint8Array(0))).data.length).toBe(0);
    const v1 = npy('<u2', [2], bytesOf(new Uint16Array([3, 4])));
    const headerLen = new DataView(v1.buffer).getUint16(8, true);
    const v2 = new Uint8Array(v1.length + 2);
    v2.set(v1.subarray(0, 8));
    v2[6] = 2;
    new DataView(v2.buffer).setUint32(8, headerLen, true);
    v2.set(v1.subarray(10), 12);
    expect(list(readNpy(v2).data)).toEqual([3, 4]);
  });

  it('widens to float32 on request, keeping the stored dtype', () => {
    const u = readNpyFloat32(npy('<u2', [2], bytesOf(new Uint16Array([1, 65535]))));
    expect(u).toMatchObject({ dtype: 'uint16', shape: [2] });
    expect(u.data).toBeInstanceOf(Float32Array);
    expect(list(u.data)).toEqual([1, 65535]);
    expect(Array.from(readNpyFloat32(npy('<i8', [1], bytesOf(new BigInt64Array([-9n])))).data)).toEqual([-9]);
  });

  it('rejects Fortran order, other dtypes, truncated data and non-npy bytes, naming the file', () => {
    const bad = (bytes: Uint8Array) => () => readNpy(bytes, 'x.npy');
    expect(bad(npy('<c8', [1], new Uint8Array(8)))).toThrow(/'x\.npy'.*dtype '<c8'/);
    expect(bad(npy('|O', [1], new Uint8Array(8)))).toThrow(/dtype '\|O'/);
    expect(bad(npy('<f4', [1], new Uint8Array(4), 'True'))).toThrow(/Fortran.*ascontiguousarray/);
    expect(bad(npy('<f4', [4], new Uint8Array(8)))).toThrow(/8 data bytes for 4 values/);
    expect(bad(new TextEncoder().encode('hello world'))).toThrow(/'x\.npy'.*magic/);
    const v9 = npy('<f4', [1], new Uint8Array(4));
    v9[6] = 9;
    expect(bad(v9)).toThrow(/format version 9/);
    try {
      readNpy(npy('<f4', [4], new Uint8Array(8)), 'y.npy');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NpyError);
      expect(e).toMatchObject({ file: 'y.npy', detail: expect.stringMatching(/^8 data bytes/) });
    }
  });
});

describe('npy files made by numpy', () => {
  it('reads float32 test tensors and round-trips its own files', () => {
    const a = readNpyFloat32(fs.readFileSync(path.join(assets, 'nafnet_tiny_input.npy')));
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([1, 1, 32, 32]);
    expect(a.data.length).toBe(1024);
    expect(a.data.every((v) => v >= 0 && v < 1)).toBe(true);
    const b = readNpyFloat32(writeNpy(a.data, a.shape));
    expect(b.shape).toEqual(a.shape);
    expect(list(b.data)).toEqual(Array.from(a.data));
    expect(() => writeNpy(a.data, [1, 2])).toThrow(/holds 2 values but the data has 1024/);
  });

  it.skipIf(!haveFixtures)('reads the uint16 bioimage.io test input as uint16', () => {
    const file = path.join(fixtures, 'onnx/nuclei_unet_opset12/test_input_uint16.npy');
    const a = readNpy(fs.readFileSync(file));
    expect(a.dtype).toBe('uint16');
    expect(a.data).toBeInstanceOf(Uint16Array);
    expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
  });
});

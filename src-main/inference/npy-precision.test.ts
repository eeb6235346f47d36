import { describe, expect, it } from 'vitest';
import { parseNpy } from './npy';
import { OnnxFormatError, readOnnxMetadata } from './onnx-metadata';
import { chooseModelFile, resetPrecisionNotes } from './precision';

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

describe('npy reader', () => {
  it('reads float32 and uint16, C order, from an unaligned Buffer slice', () => {
    const f = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const file = npy('<f4', [2, 3], new Uint8Array(f.buffer));
    const inPool = Buffer.concat([Buffer.from([7, 7, 7]), Buffer.from(file)]).subarray(3);
    const a = parseNpy(inPool);
    expect(a).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(Array.from(a.data)).toEqual([1.5, -2, 3.25, 4, 5, 6]);
    const u = parseNpy(npy('<u2', [3], new Uint8Array(new Uint16Array([1, 65535, 7]).buffer)));
    expect(Array.from(u.data)).toEqual([1, 65535, 7]);
  });

  it('rejects big-endian, Fortran order, other dtypes, truncated data and non-npy bytes', () => {
    expect(() => parseNpy(npy('>f4', [1], new Uint8Array(4)), 'x.npy')).toThrow(/'x\.npy'.*dtype '>f4'/);
    expect(() => parseNpy(npy('<f4', [1], new Uint8Array(4), 'True'))).toThrow(/Fortran/);
    expect(() => parseNpy(npy('<f8', [1], new Uint8Array(8)))).toThrow(/'<f8'/);
    expect(() => parseNpy(npy('<f4', [4], new Uint8Array(8)))).toThrow(/8 data bytes for 4 values/);
    expect(() => parseNpy(new TextEncoder().encode('hello world'))).toThrow(/magic/);
  });
});

describe('ONNX metadata reader', () => {
  it('finds metadata_props after the graph and rejects non-ONNX bytes', () => {
    // ir_version=8 (field 1), graph (field 7, 3 junk bytes), metadata_props {key:'k', value:'v1'} (field 14)
    const bytes = new Uint8Array([
      0x08, 0x08, 0x3a, 0x03, 1, 2, 3, 0x72, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x02, 0x76, 0x31,
    ]);
    const read = (p: number, n: number) => bytes.subarray(p, p + n);
    expect(readOnnxMetadata(read, bytes.length, 'm.onnx')).toEqual({ k: 'v1' });
    const text = new TextEncoder().encode('not a model at all');
    expect(() => readOnnxMetadata((p, n) => text.subarray(p, p + n), text.length, 'bad.onnx')).toThrow(
      OnnxFormatError,
    );
  });
});

describe('half_precision model choice', () => {
  it('fp16 only with a GPU provider and an fp16 file; on CPU one note per process', () => {
    resetPrecisionNotes();
    expect(
      chooseModelFile({ fp32File: 'a.onnx', fp16File: 'a16.onnx', halfPrecision: true, provider: 'cuda' }),
    ).toEqual({ file: 'a16.onnx', precision: 'fp16' });
    expect(
      chooseModelFile({ fp32File: 'a.onnx', fp16File: 'a16.onnx', halfPrecision: false, provider: 'cuda' })
        .file,
    ).toBe('a.onnx');
    expect(chooseModelFile({ fp32File: 'a.onnx', halfPrecision: true, provider: 'dml' }).note).toMatch(
      /no fp16 model/,
    );
    const first = chooseModelFile({
      fp32File: 'a.onnx',
      fp16File: 'a16.onnx',
      halfPrecision: true,
      provider: 'cpu',
    });
    expect(first).toMatchObject({ file: 'a.onnx', precision: 'fp32' });
    expect(first.note).toMatch(/ignored on CPU/);
    expect(
      chooseModelFile({ fp32File: 'b.onnx', fp16File: 'b16.onnx', halfPrecision: true, provider: 'cpu' })
        .note,
    ).toBeUndefined();
  });
});

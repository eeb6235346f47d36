/**
 * The protobuf walker and writer and the two ONNX readers on top of them, on real models: the
 * exports of scripts/make-test-collections.py, the demo collection, and the shared bioimage.io
 * fixtures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeVarint,
  OnnxFormatError,
  ProtobufError,
  ProtobufWriter,
  readOnnxGraph,
  readOnnxMetadata,
  readVarint,
  wireFields,
  type ByteReader,
} from '..';

const ROOT = path.resolve(__dirname, '../../..');
const assets = path.join(ROOT, 'test-support/collections');
const fixtures = path.resolve(ROOT, '../shared/fixtures');
const haveFixtures = fs.existsSync(path.join(fixtures, 'onnx'));
if (!haveFixtures) console.warn(`SKIPPED fixture tests: ${fixtures} not found`);
const read = (f: string): Buffer => fs.readFileSync(path.join(assets, f));

/** A ByteReader over a file that counts the bytes it hands out. */
function fileReader(file: string): {
  read: ByteReader;
  size: number;
  bytesRead: () => number;
  close: () => void;
} {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  let total = 0;
  return {
    read: (pos, len) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(len, size - pos)));
      fs.readSync(fd, buf, 0, buf.length, pos);
      total += buf.length;
      return buf;
    },
    size,
    bytesRead: () => total,
    close: () => fs.closeSync(fd),
  };
}

describe('protobuf wire format', () => {
  // Each case: value, its encoding (protobuf's int64 for negatives: 10 bytes of two's complement).
  const VARINTS: [number | bigint, number[]][] = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 53 - 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    [-(2n ** 63n), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
  ];
  it.each(VARINTS)('encodes and decodes the varint %s', (value, bytes) => {
    expect(Array.from(encodeVarint(value))).toEqual(bytes);
    expect(readVarint(Uint8Array.from(bytes), 0)).toEqual({ value: BigInt(value), next: bytes.length });
  });

  it('refuses unsafe numbers, truncated and over-long varints', () => {
    expect(() => encodeVarint(0.5)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 60)).toThrow(/pass a bigint/);
    expect(() => readVarint(Uint8Array.from([0x80, 0x80]), 0)).toThrow(/truncated varint at byte 2/);
    expect(() => readVarint(new Uint8Array(11).fill(0x80), 0)).toThrow(/longer than 10 bytes/);
  });

  it('walks what the writer wrote, with byte ranges that copy fields exactly', () => {
    const inner = new ProtobufWriter().string(1, 'héllo').finish();
    const msg = new ProtobufWriter()
      .int(1, 7)
      .lengthDelimited(2, inner)
      .float(3, 1.5)
      .bytes(Uint8Array.from([0x21, 1, 2, 3, 4, 5, 6, 7, 8])) // field 4, fixed64
      .finish();
    const fields = wireFields(msg);
    expect(fields.map((f) => [f.no, f.wire])).toEqual([
      [1, 0],
      [2, 2],
      [3, 5],
      [4, 1],
    ]);
    expect(fields[0].int).toBe(7n);
    expect(Buffer.from(msg.subarray(fields[1].start, fields[1].end))).toEqual(Buffer.from(inner));
    expect(new DataView(msg.buffer, fields[2].start, 4).getFloat32(0, true)).toBe(1.5);
    const copied = new ProtobufWriter();
    for (const f of fields) copied.bytes(msg.subarray(f.tagStart, f.end));
    expect(copied.finish()).toEqual(msg);
  });

  it('refuses field 0, groups and fields that run past their message, with the offset', () => {
    expect(() => wireFields(Uint8Array.from([0x00, 0x01]))).toThrow(/field number 0 at byte 0/);
    expect(() => wireFields(Uint8Array.from([0x08, 0x01, 0x0b]))).toThrow(
      /unsupported wire type 3.*at byte 2/,
    );
    try {
      wireFields(Uint8Array.from([0x12, 0x05, 1, 2]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProtobufError);
      expect(e).toMatchObject({ offset: 0, detail: expect.stringMatching(/field 2 runs past the end/) });
    }
  });
});

describe('ONNX graph reader (no inference)', () => {
  it('reads inputs, outputs, dynamic dims and opset of the NAFNet export', () => {
    const g = readOnnxGraph(read('nafnet_tiny.onnx'));
    expect(g.opsets['']).toBe(17);
    expect(g.inputs).toEqual([{ name: 'input', shape: ['N', 1, 'H', 'W'], type: 'float32' }]);
    expect(g.outputs).toEqual([{ name: 'output', shape: ['N', 1, 'H', 'W'], type: 'float32' }]);
  });
  it('excludes initializers listed as graph inputs and reads metadata_props', () => {
    const g = readOnnxGraph(read('pi_classifier_tiny.onnx'));
    expect(g.inputs.map((i) => i.name)).toEqual(['features']);
    expect(g.outputs).toEqual([{ name: 'label', shape: ['N'], type: 'int64' }]);
    expect(g.metadata.feature_names).toBe('mean_intensity,area,rel_mean_intensity');
  });
  it('refuses non-ONNX bytes and truncated models with one error naming the file', () => {
    expect(() => readOnnxGraph(read('nafnet_tiny.json'), 'nafnet_tiny.json')).toThrow(
      /'nafnet_tiny\.json' is not an ONNX model.*\.pth, a pickle or a truncated download/,
    );
    const onnx = read('nafnet_tiny.onnx');
    try {
      readOnnxGraph(onnx.subarray(0, onnx.length - 100), 'cut.onnx');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OnnxFormatError);
      expect(e).toMatchObject({ file: 'cut.onnx', offset: expect.any(Number) });
    }
  });
  it.skipIf(!haveFixtures)(
    'reads the bioimage.io nuclei U-Net (opset 12) and the tiktorch export (opset 9)',
    () => {
      const a = readOnnxGraph(fs.readFileSync(path.join(fixtures, 'onnx/nuclei_unet_opset12/weights.onnx')));
      expect(a.opsets['']).toBe(12);
      expect(a.inputs).toEqual([{ name: 'input.1', shape: [1, 1, 512, 512], type: 'float32' }]);
      const b = readOnnxGraph(
        fs.readFileSync(path.join(fixtures, 'onnx/tiktorch_unet2d_onnx_opset9_upsample/weights.onnx')),
      );
      expect(b.opsets['']).toBe(9);
      expect(b.outputs[0].shape).toEqual([1, 1, 512, 512]);
    },
  );
});

describe('ONNX metadata reader', () => {
  it('finds metadata_props after the graph and rejects non-ONNX bytes', () => {
    // ir_version=8 (field 1), graph (field 7, 3 junk bytes), metadata_props {key:'k', value:'v1'} (field 14)
    const bytes = new Uint8Array([
      0x08, 0x08, 0x3a, 0x03, 1, 2, 3, 0x72, 0x07, 0x0a, 0x01, 0x6b, 0x12, 0x02, 0x76, 0x31,
    ]);
    const at = (p: number, n: number) => bytes.subarray(p, p + n);
    expect(readOnnxMetadata(at, bytes.length, 'm.onnx')).toEqual({ k: 'v1' });
    const text = new TextEncoder().encode('not a model at all');
    expect(() => readOnnxMetadata((p, n) => text.subarray(p, p + n), text.length, 'bad.onnx')).toThrow(
      OnnxFormatError,
    );
    const cut = bytes.subarray(0, 12);
    expect(() => readOnnxMetadata((p, n) => cut.subarray(p, p + n), cut.length, 'cut.onnx')).toThrow(
      /'cut\.onnx' is not an ONNX model \(field 14 runs past the end of the file\)/,
    );
  });

  it('agrees with the graph reader on real models, reading a few hundred bytes of a large one', () => {
    const pi = path.join(assets, 'pi_classifier_tiny.onnx');
    const r = fileReader(pi);
    try {
      expect(readOnnxMetadata(r.read, r.size, pi)).toEqual(readOnnxGraph(fs.readFileSync(pi)).metadata);
    } finally {
      r.close();
    }
    const unet = path.join(ROOT, 'models/demo-collection/models/MonaiUnet-segmentation.onnx');
    const u = fileReader(unet);
    try {
      expect(readOnnxMetadata(u.read, u.size, unet)).toEqual(readOnnxGraph(fs.readFileSync(unet)).metadata);
      expect(u.bytesRead()).toBeLessThan(2000);
      expect(u.size).toBeGreaterThan(100_000);
    } finally {
      u.close();
    }
  });
});

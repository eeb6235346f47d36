import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONNX_DATA_TYPE as DT, ONNX_TENSOR_FIELD, readOnnxGraph, wireFields } from '../../io';
import { toFloat16Model } from './convert';
import { Float16ConversionError } from './errors';
import { readModelView, readTensorInfo } from './graph-reader';
import { fromHalf, toHalf, weightsToHalf } from './half';

const ROOT = path.resolve(__dirname, '../../..');
const MODELS = path.join(ROOT, 'test-support/models');
const DEMO = path.join(ROOT, 'models/demo-collection/models');
const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name));

/** Element type and, for float16, the values of every initializer of a model. */
function initializers(bytes: Uint8Array): Map<string, { type: number; values: number[] }> {
  const out = new Map<string, { type: number; values: number[] }>();
  for (const i of readModelView(bytes, 'test').initializers) {
    const values: number[] = [];
    for (const f of wireFields(bytes, i.field.start, i.field.end))
      if (f.no === ONNX_TENSOR_FIELD.rawData && i.dataType === DT.float16)
        for (let k = f.start; k < f.end; k += 2) values.push(fromHalf(bytes[k] | (bytes[k + 1] << 8)));
    out.set(i.name, { type: i.dataType, values });
  }
  return out;
}

describe('float16 numbers', () => {
  it('rounds to nearest even and keeps inf, NaN and signed zero', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(65520)).toBe(0x7c00); // the first float32 that rounds past the largest half
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // a tie goes to the even neighbour
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalf(-0)).toBe(0x8000);
    expect(Number.isNaN(fromHalf(toHalf(Number.NaN)))).toBe(true);
    expect(fromHalf(toHalf(2 ** -24))).toBe(2 ** -24);
  });

  it('clamps weights beyond ±65504 and raises non-zero weights below 1e-7, counting both', () => {
    const src = new Float32Array([1e6, -1e9, 65504, 1e-9, -1e-8, 0, Infinity, 1e-7, 0.1]);
    const out = new Uint16Array(src.length);
    const counts = { clamped: 0, raised: 0 };
    weightsToHalf(new Uint32Array(src.buffer), out, counts);
    expect(counts).toEqual({ clamped: 2, raised: 2 });
    expect(Array.from(out, fromHalf)).toEqual([
      65504,
      -65504,
      65504,
      fromHalf(toHalf(1e-7)),
      -fromHalf(toHalf(1e-7)),
      0,
      Infinity,
      fromHalf(toHalf(1e-7)),
      fromHalf(toHalf(0.1)),
    ]);
    expect(fromHalf(toHalf(1e-7))).toBeCloseTo(1.19e-7, 9);
  });
});

describe('fp32 → fp16 graph transform', () => {
  it('converts weights, keeps graph inputs and outputs float32 with casts, and keeps blocked nodes fp32', () => {
    const bytes = read(MODELS, 'fp16_mixed.onnx');
    const { bytes: out, report } = toFloat16Model(bytes, { label: 'fp16_mixed' });
    expect(report).toEqual({
      initializers: 1, // w; the int64 axis and index stay as they are
      constants: 1, // ConstantOfShape without a value: float32 zeros, now float16 zeros
      values: 4,
      clamped: 1, // 1e6
      raised: 1, // 1e-9
      // x → fp16; a (read inside and an output) → fp32; CumSum's output → fp16; y → fp32
      casts: 4,
      nodesFp16: 4, // Mul, Shape, Add, Add; the Cast of the column count makes float16 directly
      keptFp32: [
        {
          node: 'cumsum',
          op: 'CumSum',
          why: 'no float16 before opset 14, and onnxconverter-common keeps it fp32',
        },
      ],
    });
    const before = readOnnxGraph(bytes);
    const after = readOnnxGraph(out);
    expect(after.inputs).toEqual(before.inputs);
    expect(after.outputs).toEqual(before.outputs);
    expect(after.opsets).toEqual(before.opsets);
    const w = initializers(out).get('w')!;
    expect(w.type).toBe(DT.float16);
    expect(w.values).toEqual([0.5, fromHalf(toHalf(1e-7)), 65504, -2]);
    const view = readModelView(out, 'converted');
    expect(view.valueInfo.find((v) => v.name === 'b')?.elemType).toBe(DT.float16);
    const casts = view.nodes.filter((n) => n.opType === 'Cast').map((n) => `${n.inputs[0]}→${n.outputs[0]}`);
    expect(casts).toEqual(['x→x__fp16', 'a__fp16→a', 'c→c__fp16', 'columns→columns_f', 'y__fp16→y']);
    // CumSum reads the float32 graph output 'a' directly: no cast back and forth
    expect(view.nodes.find((n) => n.opType === 'CumSum')?.inputs[0]).toBe('a');
  });

  it("keeps Resize's scales float32, computing them in fp32 from their constants", () => {
    const bytes = read(MODELS, 'fp16_resize.onnx');
    const { bytes: out, report } = toFloat16Model(bytes);
    const inits = initializers(out);
    expect(inits.get('scales_x2')!.type).toBe(DT.float); // a scales input: left as it is
    expect(inits.get('two')!.type).toBe(DT.float16);
    expect(report.keptFp32).toEqual([
      { node: 'div_scale', op: 'Div', why: 'feeds a float32 parameter input' },
      { node: 'concat_scales', op: 'Concat', why: 'feeds a float32 parameter input' },
    ]);
    const view = readModelView(out, 'converted');
    const resizes = view.nodes.filter((n) => n.opType === 'Resize');
    expect(resizes.map((n) => n.inputs)).toEqual([
      ['doubled', '', 'scales_x2'],
      ['up2', '', 'scales_13'],
    ]);
    // The Constants the parameter is made of stay float32 too.
    const constants = view.nodes.filter((n) => n.opType === 'Constant');
    for (const c of constants) expect(readTensorInfo(out, c.attributes[0].tensor!).dataType).toBe(DT.float);
  });

  it("turns Constant's value_float and value_floats into float16 value tensors", () => {
    const { bytes: out, report } = toFloat16Model(read(MODELS, 'fp16_value_floats.onnx'));
    expect(report).toMatchObject({ constants: 2, values: 4, casts: 2, nodesFp16: 2 });
    const constants = readModelView(out, 'converted').nodes.filter((n) => n.opType === 'Constant');
    for (const c of constants) {
      expect(c.attributes.map((a) => a.name)).toEqual(['value']);
      expect(readTensorInfo(out, c.attributes[0].tensor!).dataType).toBe(DT.float16);
    }
  });

  it('converts every demo image model, leaving inputs, outputs and opsets as they were', () => {
    for (const name of [
      'NAFNet-bf_focus_restoration.onnx',
      'MonaiUnet-segmentation.onnx',
      'FlexResNet-cell_classifier.onnx',
      'RFDETR-oof_detector.onnx',
    ]) {
      const bytes = read(DEMO, name);
      const { bytes: out, report } = toFloat16Model(bytes, { label: name });
      const floatWeights = readModelView(bytes, name).initializers.filter((i) => i.dataType === DT.float);
      expect(report.initializers, name).toBe(floatWeights.length);
      expect(report.keptFp32, name).toEqual([]);
      expect(report.clamped + report.raised, name).toBe(0);
      expect(out.length, name).toBeLessThan(bytes.length); // weights take half the room
      const [a, b] = [readOnnxGraph(bytes), readOnnxGraph(out)];
      expect(b.inputs, name).toEqual(a.inputs);
      expect(b.outputs, name).toEqual(a.outputs);
      expect(b.metadata, name).toEqual(a.metadata);
    }
  });
});

describe('fp16 transform refusals', () => {
  const refusal = (bytes: Uint8Array, label: string): Float16ConversionError => {
    try {
      toFloat16Model(bytes, { label });
    } catch (e) {
      if (e instanceof Float16ConversionError) return e;
      throw e;
    }
    throw new Error(`${label} was converted`);
  };

  it.each([
    ['fp16_if.onnx', 'subgraph', /node 'branch' \(If\) holds a subgraph\. Models with control flow/],
    [
      'fp16_external.onnx',
      'external-data',
      /initializer 'w' keeps its values in an external file\. Save the model/,
    ],
    [
      'fp16_custom_op.onnx',
      'unknown-type',
      /element type of 'm' \(output of node 'Mystery', com\.example::Mystery\) cannot be told.*value_info/,
    ],
    [
      'double_fp16.onnx',
      'already-float16',
      /'input' is already float16\. Give the fp32 export; .*\.fp16\.onnx/,
    ],
    ['not-a-model.onnx', 'unreadable', /not an ONNX model/],
  ])('%s: %s', (file, kind, message) => {
    const e = refusal(read(MODELS, file), file);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(new RegExp(`^fp16 transform of '${file.replace('.', '\\.')}' refused: `));
    expect(e.message).toMatch(message);
    expect(e.reason).toMatch(/^fp16 transform refused: /);
  });

  it('refuses a truncated model instead of writing half a graph', () => {
    const bytes = read(DEMO, 'MonaiUnet-segmentation.onnx');
    const e = refusal(bytes.subarray(0, bytes.length - 1000), 'truncated');
    expect(e.kind).toBe('unreadable');
  });
});

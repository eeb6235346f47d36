/**
 * The ONNX model builder: what it writes, the graph reader reads back (interface, opsets, producer,
 * metadata); attributes and initializers land in the fields onnx.proto gives them; graphs a runtime
 * would refuse are refused here, naming the value.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeOnnxModel,
  fieldText,
  ONNX_GRAPH,
  ONNX_MODEL,
  ONNX_NODE,
  ONNX_TENSOR,
  readOnnxGraph,
  wireFields,
  type OnnxModelSpec,
} from '..';

function spec(over: Partial<OnnxModelSpec> = {}): OnnxModelSpec {
  return {
    graphName: 'g',
    nodes: [
      {
        opType: 'Conv',
        inputs: ['x', 'w'],
        outputs: ['y'],
        name: 'conv',
        attributes: {
          kernel_shape: { ints: [1, 1] },
          group: { int: 1 },
          auto_pad: { string: 'NOTSET' },
        },
      },
      { opType: 'LeakyRelu', inputs: ['y'], outputs: ['z'], attributes: { alpha: { float: 0.25 } } },
    ],
    initializers: [
      { name: 'w', tensor: { type: 'float32', dims: [2, 1, 1, 1], values: Float32Array.from([1.5, -2]) } },
    ],
    inputs: [{ name: 'x', type: 'float32', dims: ['N', 1, 'H', 'W'] }],
    outputs: [{ name: 'z', type: 'float32', dims: ['N', 2, 'H', 'W'] }],
    opsets: { '': 17 },
    irVersion: 8,
    producerName: 'test',
    producerVersion: '0',
    metadata: { a: 'b' },
    ...over,
  };
}

const sub = (buf: Uint8Array, no: number, start = 0, end = buf.length) =>
  wireFields(buf, start, end).filter((f) => f.no === no);

describe('encodeOnnxModel', () => {
  it('writes what readOnnxGraph reads back', () => {
    const g = readOnnxGraph(encodeOnnxModel(spec()), 'built');
    expect(g).toEqual({
      irVersion: 8,
      producer: 'test 0',
      opsets: { '': 17 },
      inputs: [{ name: 'x', type: 'float32', shape: ['N', 1, 'H', 'W'] }],
      outputs: [{ name: 'z', type: 'float32', shape: ['N', 2, 'H', 'W'] }],
      metadata: { a: 'b' },
    });
  });

  it('initializers as little-endian raw_data; float attributes as fixed32, ints as varints', () => {
    const bytes = encodeOnnxModel(spec());
    const [graph] = sub(bytes, ONNX_MODEL.graph);
    const [init] = sub(bytes, ONNX_GRAPH.initializer, graph.start, graph.end);
    const t = wireFields(bytes, init.start, init.end);
    expect(t.filter((f) => f.no === ONNX_TENSOR.dims).map((f) => Number(f.int))).toEqual([2, 1, 1, 1]);
    const raw = t.find((f) => f.no === ONNX_TENSOR.rawData);
    expect([...bytes.subarray(raw?.start, raw?.end)]).toEqual([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]);
    const nodes = sub(bytes, ONNX_GRAPH.node, graph.start, graph.end);
    const [alpha] = sub(bytes, ONNX_NODE.attribute, nodes[1].start, nodes[1].end);
    const fields = wireFields(bytes, alpha.start, alpha.end);
    expect(fieldText(bytes, fields[0])).toBe('alpha');
    expect(new DataView(bytes.buffer, bytes.byteOffset + fields[1].start, 4).getFloat32(0, true)).toBe(0.25);
    expect(fields.map((f) => [f.no, f.wire])).toEqual([
      [1, 2],
      [2, 5],
      [20, 0],
    ]);
  });

  it('int64 tensors and tensor attributes', () => {
    const bytes = encodeOnnxModel(
      spec({
        nodes: [
          {
            opType: 'Constant',
            inputs: [],
            outputs: ['c'],
            attributes: {
              value: { tensor: { type: 'int64', dims: [2], values: BigInt64Array.from([-1n, 3n]) } },
            },
          },
          { opType: 'Reshape', inputs: ['x', 'c'], outputs: ['z'] },
        ],
        initializers: [],
      }),
    );
    expect(readOnnxGraph(bytes).outputs[0].name).toBe('z');
  });

  it.each([
    [
      { initializers: [{ name: 'x', tensor: { type: 'float32', dims: [1], values: new Float32Array(1) } }] },
      /'x' \(graph input\) is defined twice/,
    ],
    [{ outputs: [{ name: 'q', type: 'float32', dims: [] }] }, /graph output 'q' is never produced/],
    [
      { nodes: [{ opType: 'Relu', inputs: ['nope'], outputs: ['z'] }] },
      /node Relu reads 'nope' before anything produces it/,
    ],
    [
      { initializers: [{ name: 'w', tensor: { type: 'float32', dims: [3], values: new Float32Array(2) } }] },
      /'w': dims \[3\] hold 3 values, 2 given/,
    ],
  ] as [Partial<OnnxModelSpec>, RegExp][])('refuses a broken graph (%#)', (over, message) => {
    expect(() => encodeOnnxModel(spec(over))).toThrow(message);
  });
});

/**
 * Writes ONNX models: a graph of nodes (with int, float, string and tensor attributes), float32 and
 * int64 initializers stored as little-endian `raw_data`, typed inputs and outputs whose dims are
 * numbers or symbolic names, and a ModelProto around it (IR version, opsets, producer, metadata).
 * The encoder is the protobuf writer of ./protobuf.ts; the field numbers are those of ./schema.ts,
 * so what this writes, readOnnxGraph reads back.
 *
 * The builder only records what it is given; it knows no operator. Whether a graph computes the
 * right thing is for the code that builds it (src-main/convert/) and for onnxruntime to check.
 */
import { ProtobufWriter } from './protobuf';
import {
  ATTRIBUTE,
  ATTRIBUTE_TYPE,
  DIMENSION,
  GRAPH,
  MODEL,
  NODE,
  OPSET_ID,
  SHAPE,
  STRING_ENTRY,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './schema';

/** TensorProto.DataType of the element types the builder writes. */
const DATA_TYPE = { float32: 1, int64: 7 } as const;
export type OnnxElemType = keyof typeof DATA_TYPE;

/** An initializer or a tensor attribute: float32 or int64 values in row-major order. */
export type OnnxTensorData =
  | { type: 'float32'; dims: number[]; values: Float32Array }
  | { type: 'int64'; dims: number[]; values: BigInt64Array };

/** A node attribute, tagged with its ONNX type (JS numbers do not say int or float). */
export type OnnxAttribute =
  | { int: number }
  | { ints: number[] }
  | { float: number }
  | { floats: number[] }
  | { string: string }
  | { tensor: OnnxTensorData };

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Operator domain; '' (the default ONNX domain) when absent. */
  domain?: string;
  attributes?: Record<string, OnnxAttribute>;
}

/** A graph input or output: a tensor whose dims are sizes or symbolic names ('N', 'H', …). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  dims: (number | string)[];
}

export interface OnnxModelSpec {
  graphName: string;
  nodes: OnnxNode[];
  initializers: { name: string; tensor: OnnxTensorData }[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Opset per domain; '' is the default ONNX domain. */
  opsets: Record<string, number>;
  /** ONNX IR version; 8 goes with opset 17 (ONNX 1.12). */
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  /** ModelProto.metadata_props, in insertion order. */
  metadata?: Record<string, string>;
}

/** Checks that a tensor's values fill its dims exactly. Throws RangeError naming the tensor. */
function checkTensor(name: string, t: OnnxTensorData): void {
  const n = t.dims.reduce((a, d) => a * d, 1);
  if (t.dims.some((d) => !Number.isSafeInteger(d) || d < 0) || n !== t.values.length)
    throw new RangeError(
      `ONNX tensor '${name}': dims [${t.dims.join(', ')}] hold ${n} values, ${t.values.length} given`,
    );
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The values as little-endian bytes (a view on little-endian hosts, a swapped copy otherwise). */
function littleEndianBytes(values: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (HOST_LITTLE_ENDIAN) return bytes;
  const size = values.BYTES_PER_ELEMENT;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size)
    for (let b = 0; b < size; b++) out[i + b] = bytes[i + size - 1 - b];
  return out;
}

export function encodeTensor(name: string, t: OnnxTensorData): Uint8Array {
  checkTensor(name, t);
  const w = new ProtobufWriter();
  for (const d of t.dims) w.int(TENSOR.dims, d);
  w.int(TENSOR.dataType, DATA_TYPE[t.type]);
  if (name) w.string(TENSOR.name, name);
  w.lengthDelimited(TENSOR.rawData, littleEndianBytes(t.values));
  return w.finish();
}

function encodeAttribute(name: string, a: OnnxAttribute): Uint8Array {
  const w = new ProtobufWriter().string(ATTRIBUTE.name, name);
  if ('int' in a) w.int(ATTRIBUTE.i, a.int).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.int);
  else if ('ints' in a) {
    for (const v of a.ints) w.int(ATTRIBUTE.ints, v);
    w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints);
  } else if ('float' in a) w.float(ATTRIBUTE.f, a.float).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.float);
  else if ('floats' in a) {
    for (const v of a.floats) w.float(ATTRIBUTE.floats, v);
    w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.floats);
  } else if ('string' in a) w.string(ATTRIBUTE.s, a.string).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.string);
  else w.lengthDelimited(ATTRIBUTE.t, encodeTensor('', a.tensor)).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.tensor);
  return w.finish();
}

function encodeNode(n: OnnxNode): Uint8Array {
  const w = new ProtobufWriter();
  // An omitted optional input is written as '' (onnx.proto); trailing ones may simply be left out.
  for (const i of n.inputs) w.string(NODE.input, i);
  for (const o of n.outputs) w.string(NODE.output, o);
  if (n.name) w.string(NODE.name, n.name);
  w.string(NODE.opType, n.opType);
  for (const [k, a] of Object.entries(n.attributes ?? {}))
    w.lengthDelimited(NODE.attribute, encodeAttribute(k, a));
  if (n.domain) w.string(NODE.domain, n.domain);
  return w.finish();
}

function encodeValueInfo(v: OnnxValueInfo): Uint8Array {
  const shape = new ProtobufWriter();
  for (const d of v.dims) {
    const dim = new ProtobufWriter();
    if (typeof d === 'number') dim.int(DIMENSION.dimValue, d);
    else dim.string(DIMENSION.dimParam, d);
    shape.lengthDelimited(SHAPE.dim, dim.finish());
  }
  const tensorType = new ProtobufWriter()
    .int(TENSOR_TYPE.elemType, DATA_TYPE[v.type])
    .lengthDelimited(TENSOR_TYPE.shape, shape.finish());
  const type = new ProtobufWriter().lengthDelimited(TYPE.tensorType, tensorType.finish());
  return new ProtobufWriter()
    .string(VALUE_INFO.name, v.name)
    .lengthDelimited(VALUE_INFO.type, type.finish())
    .finish();
}

/**
 * Encodes a ModelProto. Checks what a reader would otherwise trip over later: duplicate value
 * names (initializers, inputs, node outputs), node inputs nothing produces, outputs nothing
 * produces, and tensors whose values do not fill their dims. Throws RangeError naming the value.
 */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  checkGraph(spec);
  const graph = new ProtobufWriter();
  for (const n of spec.nodes) graph.lengthDelimited(GRAPH.node, encodeNode(n));
  graph.string(GRAPH.name, spec.graphName);
  for (const i of spec.initializers) graph.lengthDelimited(GRAPH.initializer, encodeTensor(i.name, i.tensor));
  for (const v of spec.inputs) graph.lengthDelimited(GRAPH.input, encodeValueInfo(v));
  for (const v of spec.outputs) graph.lengthDelimited(GRAPH.output, encodeValueInfo(v));
  const model = new ProtobufWriter()
    .int(MODEL.irVersion, spec.irVersion)
    .string(MODEL.producerName, spec.producerName)
    .string(MODEL.producerVersion, spec.producerVersion);
  if (spec.docString) model.string(MODEL.docString, spec.docString);
  model.lengthDelimited(MODEL.graph, graph.finish());
  for (const [domain, version] of Object.entries(spec.opsets)) {
    const op = new ProtobufWriter();
    if (domain) op.string(OPSET_ID.domain, domain);
    model.lengthDelimited(MODEL.opsetImport, op.int(OPSET_ID.version, version).finish());
  }
  for (const [k, v] of Object.entries(spec.metadata ?? {}))
    model.lengthDelimited(
      MODEL.metadataProps,
      new ProtobufWriter().string(STRING_ENTRY.key, k).string(STRING_ENTRY.value, v).finish(),
    );
  return model.finish();
}

function checkGraph(spec: OnnxModelSpec): void {
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (!name) throw new RangeError(`ONNX graph '${spec.graphName}': ${what} without a name`);
    if (defined.has(name))
      throw new RangeError(`ONNX graph '${spec.graphName}': '${name}' (${what}) is defined twice`);
    defined.add(name);
  };
  for (const i of spec.initializers) define(i.name, 'initializer');
  for (const v of spec.inputs) define(v.name, 'graph input');
  for (const n of spec.nodes) {
    for (const i of n.inputs)
      if (i && !defined.has(i))
        throw new RangeError(
          `ONNX graph '${spec.graphName}': node ${n.name ?? n.opType} reads '${i}' before anything produces it`,
        );
    for (const o of n.outputs) define(o, `output of ${n.opType}`);
  }
  for (const o of spec.outputs)
    if (!defined.has(o.name))
      throw new RangeError(`ONNX graph '${spec.graphName}': graph output '${o.name}' is never produced`);
}

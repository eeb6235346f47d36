/**
 * The parts of an ONNX ModelProto the fp16 transform reasons about, each with its byte range so that
 * what it leaves alone is copied byte for byte: nodes (inputs, outputs, op, domain, attributes),
 * initializers (name, element type, where the data lives), graph inputs, outputs and value_info
 * (name, element type). Walks the protobuf with io's field walker; refuses what it cannot account for.
 */
import {
  fieldText as text,
  ONNX_ATTRIBUTE_FIELD as ATTR,
  ONNX_DATA_LOCATION_EXTERNAL,
  ONNX_GRAPH as GRAPH,
  ONNX_GRAPH_FIELD as GRAPH_FIELD,
  ONNX_MODEL as MODEL,
  ONNX_NODE as NODE,
  ONNX_TENSOR_FIELD as TENSOR,
  ONNX_TENSOR_TYPE_PROTO as TENSOR_TYPE,
  ONNX_TYPE_PROTO as TYPE,
  ProtobufError,
  wireFields,
  type WireField as Field,
} from '../../io';
import { Float16ConversionError } from './errors';

export interface AttributeInfo {
  name: string;
  field: Field;
  /** `i` of an int attribute. */
  int?: bigint;
  /** The TensorProto of a tensor attribute (`t`). */
  tensor?: Field;
  /** float or floats values (Constant's value_float / value_floats). */
  floats?: number[];
  /** The attribute holds a graph (If, Loop, Scan) or a sparse tensor. */
  graph: boolean;
  sparse: boolean;
  /** ints (e.g. ML classifiers' classlabels_int64s) or strings are present. */
  hasInts: boolean;
  hasStrings: boolean;
}

export interface NodeInfo {
  index: number;
  field: Field;
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  /** '' for the default ONNX domain (also when written 'ai.onnx'). */
  domain: string;
  attributes: AttributeInfo[];
}

export interface TensorInfo {
  name: string;
  field: Field;
  dataType: number;
  external: boolean;
}

export interface ValueInfo {
  name: string;
  field: Field;
  /** Element type of a tensor type; -1 for a sequence, map or optional; 0 when undeclared. */
  elemType: number;
}

export interface ModelView {
  bytes: Uint8Array;
  label: string;
  top: Field[];
  graph: Field;
  graphFields: Field[];
  /** Opset of the default domain. */
  opset: number;
  nodes: NodeInfo[];
  initializers: TensorInfo[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
}

const intOf = (f: Field) => f.int ?? 0n;

function refuse(label: string, kind: 'unreadable', detail: string): never {
  throw new Float16ConversionError(
    kind,
    label,
    detail,
    'Check that the file is a complete ONNX export; the model runs in fp32 meanwhile.',
  );
}

function readAttribute(buf: Uint8Array, field: Field): AttributeInfo {
  const a: AttributeInfo = {
    name: '',
    field,
    graph: false,
    sparse: false,
    hasInts: false,
    hasStrings: false,
  };
  for (const f of wireFields(buf, field.start, field.end)) {
    if (f.no === ATTR.name && f.wire === 2) a.name = text(buf, f);
    else if (f.no === ATTR.i && f.wire === 0) a.int = intOf(f);
    else if (f.no === ATTR.t && f.wire === 2) a.tensor = f;
    else if (f.no === ATTR.g || f.no === ATTR.graphs) a.graph = true;
    else if (f.no === ATTR.sparseTensor || f.no === ATTR.sparseTensors) a.sparse = true;
    else if (f.no === ATTR.ints) a.hasInts = true;
    else if (f.no === ATTR.strings) a.hasStrings = true;
    else if (f.no === ATTR.f && f.wire === 5) a.floats = [view(buf, f.start, 4).getFloat32(0, true)];
    else if (f.no === ATTR.floats) {
      const values = a.floats ?? [];
      const n = f.wire === 2 ? (f.end - f.start) / 4 : 1;
      for (let k = 0; k < n; k++) values.push(view(buf, f.start + 4 * k, 4).getFloat32(0, true));
      a.floats = values;
    }
  }
  return a;
}

const view = (buf: Uint8Array, start: number, len: number) =>
  new DataView(buf.buffer, buf.byteOffset + start, len);

function readNode(buf: Uint8Array, field: Field, index: number): NodeInfo {
  const node: NodeInfo = {
    index,
    field,
    inputs: [],
    outputs: [],
    name: '',
    opType: '',
    domain: '',
    attributes: [],
  };
  for (const f of wireFields(buf, field.start, field.end)) {
    if (f.wire !== 2) continue;
    if (f.no === NODE.input) node.inputs.push(text(buf, f));
    else if (f.no === NODE.output) node.outputs.push(text(buf, f));
    else if (f.no === NODE.name) node.name = text(buf, f);
    else if (f.no === NODE.opType) node.opType = text(buf, f);
    else if (f.no === NODE.domain) node.domain = text(buf, f) === 'ai.onnx' ? '' : text(buf, f);
    else if (f.no === NODE.attribute) node.attributes.push(readAttribute(buf, f));
  }
  return node;
}

/** TensorProto → name, element type and whether its data is in an external file. */
export function readTensorInfo(buf: Uint8Array, field: Field): TensorInfo {
  const t: TensorInfo = { name: '', field, dataType: 0, external: false };
  for (const f of wireFields(buf, field.start, field.end)) {
    if (f.no === TENSOR.name && f.wire === 2) t.name = text(buf, f);
    else if (f.no === TENSOR.dataType && f.wire === 0) t.dataType = Number(intOf(f));
    else if (f.no === TENSOR.dataLocation && f.wire === 0 && intOf(f) === BigInt(ONNX_DATA_LOCATION_EXTERNAL))
      t.external = true;
    else if (f.no === TENSOR.externalData) t.external = true;
  }
  return t;
}

const NON_TENSOR_TYPES = new Set<number>([
  TYPE.sequenceType,
  TYPE.mapType,
  TYPE.sparseTensorType,
  TYPE.optionalType,
]);

function readValueInfo(buf: Uint8Array, field: Field): ValueInfo {
  const v: ValueInfo = { name: '', field, elemType: 0 };
  for (const f of wireFields(buf, field.start, field.end)) {
    if (f.no === 1 && f.wire === 2) v.name = text(buf, f);
    else if (f.no === 2 && f.wire === 2) {
      for (const t of wireFields(buf, f.start, f.end)) {
        if (t.no === TYPE.tensorType && t.wire === 2) {
          for (const e of wireFields(buf, t.start, t.end))
            if (e.no === TENSOR_TYPE.elemType && e.wire === 0) v.elemType = Number(intOf(e));
        } else if (NON_TENSOR_TYPES.has(t.no) && t.wire === 2) v.elemType = -1;
      }
    }
  }
  return v;
}

/**
 * Reads the ModelProto in `bytes`. Throws Float16ConversionError ('unreadable') for bytes that are
 * no ONNX model; other refusals (external data, subgraphs) are the transform's to make.
 */
export function readModelView(bytes: Uint8Array, label: string): ModelView {
  try {
    const top = wireFields(bytes, 0, bytes.length);
    const graph = top.find((f) => f.no === MODEL.graph && f.wire === 2);
    if (!graph) refuse(label, 'unreadable', 'no graph in the model');
    let opset = 0;
    for (const f of top) {
      if (f.no !== MODEL.opsetImport || f.wire !== 2) continue;
      let domain = '';
      let version = 0;
      for (const g of wireFields(bytes, f.start, f.end)) {
        if (g.no === 1 && g.wire === 2) domain = text(bytes, g);
        if (g.no === 2 && g.wire === 0) version = Number(intOf(g));
      }
      if (domain === '' || domain === 'ai.onnx') opset = version;
    }
    const graphFields = wireFields(bytes, graph.start, graph.end);
    const view: ModelView = {
      bytes,
      label,
      top,
      graph,
      graphFields,
      opset,
      nodes: [],
      initializers: [],
      inputs: [],
      outputs: [],
      valueInfo: [],
    };
    for (const f of graphFields) {
      if (f.wire !== 2) continue;
      if (f.no === GRAPH.node) view.nodes.push(readNode(bytes, f, view.nodes.length));
      else if (f.no === GRAPH.initializer) view.initializers.push(readTensorInfo(bytes, f));
      else if (f.no === GRAPH.input) view.inputs.push(readValueInfo(bytes, f));
      else if (f.no === GRAPH.output) view.outputs.push(readValueInfo(bytes, f));
      else if (f.no === GRAPH_FIELD.valueInfo) view.valueInfo.push(readValueInfo(bytes, f));
    }
    return view;
  } catch (e) {
    if (e instanceof ProtobufError) refuse(label, 'unreadable', `not an ONNX model (${e.message})`);
    throw e;
  }
}

/** Whether the graph holds sparse initializers. */
export function hasSparseInitializers(v: ModelView): boolean {
  return v.graphFields.some((f) => f.no === GRAPH_FIELD.sparseInitializer);
}

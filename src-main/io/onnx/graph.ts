/**
 * Reads what a model collection needs to know from an ONNX file without running it: graph inputs
 * (initializers excluded) and outputs with element types and shapes, opsets, producer and
 * metadata_props (e.g. `feature_names` of a PI classifier). Walks the fields of onnx.proto that we
 * use with ./protobuf.ts; every other field is skipped by its wire type.
 */
import { OnnxFormatError } from './errors';
import { readStringEntry } from './metadata';
import { fieldText as str, iterateFields, ProtobufError, type WireField as Field } from './protobuf';
import { ELEM_TYPES, GRAPH, MODEL, OPSET_ID, SPARSE_TENSOR, TENSOR, VALUE_INFO } from './schema';

export interface OnnxTensorInfo {
  name: string;
  /** `null` when the graph does not declare a shape; dims are numbers, symbolic names or null. */
  shape: (number | string | null)[] | null;
  type: string;
}

export interface OnnxGraphInfo {
  irVersion: number;
  producer: string;
  /** Opset per domain (`''` is the default ONNX domain, `ai.onnx.ml` the ML one). */
  opsets: Record<string, number>;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  metadata: Record<string, string>;
}

const sub = (buf: Uint8Array, f: Field) => iterateFields(buf, f.start, f.end);

/** TypeProto → `float32`, `seq(map(int64,float32))`, … plus the tensor shape when it has one. */
function readType(
  buf: Uint8Array,
  fields: Iterable<Field>,
): { type: string; shape: (number | string | null)[] | null } {
  for (const f of fields) {
    if (f.wire !== 2) continue;
    if (f.no === 1 || f.no === 8) {
      // tensor_type / sparse_tensor_type: elem_type = 1, shape = 2
      let elem = 0;
      let shape: (number | string | null)[] | null = null;
      for (const g of sub(buf, f)) {
        if (g.no === 1 && g.int !== undefined) elem = Number(g.int);
        if (g.no === 2 && g.wire === 2) {
          shape = [];
          // TensorShapeProto.dim = 1; Dimension: dim_value = 1, dim_param = 2
          for (const d of sub(buf, g)) {
            if (d.no !== 1 || d.wire !== 2) continue;
            let dim: number | string | null = null;
            for (const v of sub(buf, d)) {
              if (v.no === 1 && v.int !== undefined) dim = Number(v.int);
              if (v.no === 2 && v.wire === 2) dim = str(buf, v);
            }
            shape.push(dim);
          }
        }
      }
      const t = ELEM_TYPES[elem] ?? `elem${elem}`;
      return { type: f.no === 8 ? `sparse(${t})` : t, shape };
    }
    // sequence_type = 4, optional_type = 9 (elem_type = 1); map_type = 5 (key_type = 1, value_type = 2)
    if (f.no === 4) return { type: `seq(${readElem(buf, f)})`, shape: null };
    if (f.no === 9) return { type: `optional(${readElem(buf, f)})`, shape: null };
    if (f.no === 5) {
      let key = 0;
      let value = 'unknown';
      for (const g of sub(buf, f)) {
        if (g.no === 1 && g.int !== undefined) key = Number(g.int);
        if (g.no === 2 && g.wire === 2) value = readType(buf, sub(buf, g)).type;
      }
      return { type: `map(${ELEM_TYPES[key] ?? key},${value})`, shape: null };
    }
  }
  return { type: 'unknown', shape: null };
}

function readElem(buf: Uint8Array, f: Field): string {
  for (const g of sub(buf, f)) if (g.no === 1 && g.wire === 2) return readType(buf, sub(buf, g)).type;
  return 'unknown';
}

function readValueInfo(buf: Uint8Array, f: Field): OnnxTensorInfo {
  let name = '';
  let t: { type: string; shape: (number | string | null)[] | null } = { type: 'unknown', shape: null };
  for (const g of sub(buf, f)) {
    if (g.no === VALUE_INFO.name && g.wire === 2) name = str(buf, g);
    if (g.no === VALUE_INFO.type && g.wire === 2) t = readType(buf, sub(buf, g));
  }
  return { name, shape: t.shape, type: t.type };
}

function readTensorName(buf: Uint8Array, f: Field): string | undefined {
  for (const g of sub(buf, f)) if (g.no === TENSOR.name && g.wire === 2) return str(buf, g);
  return undefined;
}

/**
 * Parses an ONNX ModelProto. Throws OnnxFormatError naming `file` when the bytes are not a valid
 * model (malformed protobuf, or no graph or IR version).
 */
export function readOnnxGraph(bytes: Uint8Array, file = '(buffer)'): OnnxGraphInfo {
  try {
    return readGraph(bytes, file);
  } catch (e) {
    if (e instanceof ProtobufError) throw new OnnxFormatError(file, e.message, e.offset);
    throw e;
  }
}

function readGraph(bytes: Uint8Array, file: string): OnnxGraphInfo {
  const info: OnnxGraphInfo = {
    irVersion: 0,
    producer: '',
    opsets: {},
    inputs: [],
    outputs: [],
    metadata: {},
  };
  let graphField: Field | undefined;
  let producerVersion = '';
  for (const f of iterateFields(bytes)) {
    if (f.no === MODEL.irVersion && f.int !== undefined) info.irVersion = Number(f.int);
    else if (f.no === MODEL.producerName && f.wire === 2) info.producer = str(bytes, f);
    else if (f.no === MODEL.producerVersion && f.wire === 2) producerVersion = str(bytes, f);
    else if (f.no === MODEL.graph && f.wire === 2) graphField = f;
    else if (f.no === MODEL.opsetImport && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const g of sub(bytes, f)) {
        if (g.no === OPSET_ID.domain && g.wire === 2) domain = str(bytes, g);
        if (g.no === OPSET_ID.version && g.int !== undefined) version = Number(g.int);
      }
      info.opsets[domain === 'ai.onnx' ? '' : domain] = version;
    } else if (f.no === MODEL.metadataProps && f.wire === 2) {
      const [k, v] = readStringEntry(bytes, f.start, f.end);
      info.metadata[k] = v;
    }
  }
  if (producerVersion) info.producer = `${info.producer} ${producerVersion}`.trim();
  if (!graphField || info.irVersion === 0) throw new OnnxFormatError(file, 'no graph or IR version found', 0);
  const initializers = new Set<string>();
  const inputs: OnnxTensorInfo[] = [];
  for (const f of sub(bytes, graphField)) {
    if (f.wire !== 2) continue;
    if (f.no === GRAPH.initializer) {
      const n = readTensorName(bytes, f);
      if (n !== undefined) initializers.add(n);
    } else if (f.no === GRAPH.sparseInitializer) {
      for (const g of sub(bytes, f)) {
        if (g.no === SPARSE_TENSOR.values && g.wire === 2) {
          const n = readTensorName(bytes, g);
          if (n !== undefined) initializers.add(n);
        }
      }
    } else if (f.no === GRAPH.input) inputs.push(readValueInfo(bytes, f));
    else if (f.no === GRAPH.output) info.outputs.push(readValueInfo(bytes, f));
  }
  info.inputs = inputs.filter((i) => !initializers.has(i.name));
  return info;
}

/**
 * Reads what a model collection needs to know from an ONNX file without running it: graph inputs
 * (initializers excluded) and outputs with element types and shapes, opsets, producer and
 * metadata_props (e.g. `feature_names` of a PI classifier). A minimal protobuf wire-format reader
 * over the fields of onnx.proto that we use; every other field is skipped by its wire type.
 */

/** Field numbers of onnx.proto (ONNX IR v3–v10). */
const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
};
const GRAPH = { initializer: 5, input: 11, output: 12, sparseInitializer: 15 };
const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

export class OnnxParseError extends Error {
  override readonly name = 'OnnxParseError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

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

/** One protobuf field of a message: [tagStart, end) is the field exactly as written. */
export interface WireField {
  no: number;
  wire: number;
  /** Offset of the field's key. */
  tagStart: number;
  /** varint value (wire 0) */
  int?: bigint;
  /** The value's bytes: the payload of a length-delimited field (wire 2), else the encoded value. */
  start: number;
  end: number;
}
type Field = WireField;

class Reader {
  constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly end: number,
  ) {}

  *fields(): Generator<Field> {
    while (this.pos < this.end) {
      const tagStart = this.pos;
      const key = this.varint();
      const no = Number(key >> 3n);
      const wire = Number(key & 7n);
      if (no === 0) throw new OnnxParseError(`field number 0 at byte ${this.pos}`, this.pos);
      const start = this.pos;
      switch (wire) {
        case 0: {
          const int = this.varint();
          yield { no, wire, tagStart, int, start, end: this.pos };
          break;
        }
        case 1:
        case 5:
          this.skip(wire === 1 ? 8 : 4);
          yield { no, wire, tagStart, start, end: this.pos };
          break;
        case 2: {
          const len = Number(this.varint());
          const payload = this.pos;
          this.skip(len);
          yield { no, wire, tagStart, start: payload, end: payload + len };
          break;
        }
        default:
          throw new OnnxParseError(`unsupported wire type ${wire} at byte ${this.pos}`, this.pos);
      }
    }
  }

  private skip(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      throw new OnnxParseError(`field runs past the end of its message at byte ${this.pos}`, this.pos);
    this.pos += n;
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxParseError(`truncated varint at byte ${this.pos}`, this.pos);
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new OnnxParseError(`varint longer than 10 bytes at byte ${this.pos}`, this.pos);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function sub(buf: Uint8Array, f: Field): Reader {
  return new Reader(buf, f.start, f.end);
}

/**
 * The fields of the protobuf message in buf[start, end), in order, each with its byte range (so a
 * rewriter can copy the fields it leaves alone). Throws OnnxParseError on malformed bytes.
 */
export function wireFields(buf: Uint8Array, start = 0, end = buf.length): WireField[] {
  return [...new Reader(buf, start, end).fields()];
}
function str(buf: Uint8Array, f: Field): string {
  return decoder.decode(buf.subarray(f.start, f.end));
}

/** TypeProto → `float32`, `seq(map(int64,float32))`, … plus the tensor shape when it has one. */
function readType(buf: Uint8Array, r: Reader): { type: string; shape: (number | string | null)[] | null } {
  for (const f of r.fields()) {
    if (f.wire !== 2) continue;
    if (f.no === 1 || f.no === 8) {
      // tensor_type / sparse_tensor_type: elem_type = 1, shape = 2
      let elem = 0;
      let shape: (number | string | null)[] | null = null;
      for (const g of sub(buf, f).fields()) {
        if (g.no === 1 && g.int !== undefined) elem = Number(g.int);
        if (g.no === 2 && g.wire === 2) {
          shape = [];
          for (const d of sub(buf, g).fields()) {
            if (d.no !== 1 || d.wire !== 2) continue;
            let dim: number | string | null = null;
            for (const v of sub(buf, d).fields()) {
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
    if (f.no === 4) return { type: `seq(${readElem(buf, f)})`, shape: null };
    if (f.no === 9) return { type: `optional(${readElem(buf, f)})`, shape: null };
    if (f.no === 5) {
      let key = 0;
      let value = 'unknown';
      for (const g of sub(buf, f).fields()) {
        if (g.no === 1 && g.int !== undefined) key = Number(g.int);
        if (g.no === 2 && g.wire === 2) value = readType(buf, sub(buf, g)).type;
      }
      return { type: `map(${ELEM_TYPES[key] ?? key},${value})`, shape: null };
    }
  }
  return { type: 'unknown', shape: null };
}

function readElem(buf: Uint8Array, f: Field): string {
  for (const g of sub(buf, f).fields())
    if (g.no === 1 && g.wire === 2) return readType(buf, sub(buf, g)).type;
  return 'unknown';
}

function readValueInfo(buf: Uint8Array, f: Field): OnnxTensorInfo {
  let name = '';
  let t: { type: string; shape: (number | string | null)[] | null } = { type: 'unknown', shape: null };
  for (const g of sub(buf, f).fields()) {
    if (g.no === 1 && g.wire === 2) name = str(buf, g);
    if (g.no === 2 && g.wire === 2) t = readType(buf, sub(buf, g));
  }
  return { name, shape: t.shape, type: t.type };
}

function readInitializerName(buf: Uint8Array, f: Field, field: number): string | undefined {
  for (const g of sub(buf, f).fields()) if (g.no === field && g.wire === 2) return str(buf, g);
  return undefined;
}

/** Parses an ONNX ModelProto. Throws OnnxParseError when the bytes are not a valid model. */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraphInfo {
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
  for (const f of new Reader(bytes, 0, bytes.length).fields()) {
    if (f.no === MODEL.irVersion && f.int !== undefined) info.irVersion = Number(f.int);
    else if (f.no === MODEL.producerName && f.wire === 2) info.producer = str(bytes, f);
    else if (f.no === MODEL.producerVersion && f.wire === 2) producerVersion = str(bytes, f);
    else if (f.no === MODEL.graph && f.wire === 2) graphField = f;
    else if (f.no === MODEL.opsetImport && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const g of sub(bytes, f).fields()) {
        if (g.no === 1 && g.wire === 2) domain = str(bytes, g);
        if (g.no === 2 && g.int !== undefined) version = Number(g.int);
      }
      info.opsets[domain === 'ai.onnx' ? '' : domain] = version;
    } else if (f.no === MODEL.metadataProps && f.wire === 2) {
      let k = '';
      let v = '';
      for (const g of sub(bytes, f).fields()) {
        if (g.no === 1 && g.wire === 2) k = str(bytes, g);
        if (g.no === 2 && g.wire === 2) v = str(bytes, g);
      }
      info.metadata[k] = v;
    }
  }
  if (producerVersion) info.producer = `${info.producer} ${producerVersion}`.trim();
  if (!graphField || info.irVersion === 0)
    throw new OnnxParseError('no graph or IR version found: not an ONNX model', 0);
  const initializers = new Set<string>();
  const inputs: OnnxTensorInfo[] = [];
  for (const f of sub(bytes, graphField).fields()) {
    if (f.wire !== 2) continue;
    if (f.no === GRAPH.initializer) {
      const n = readInitializerName(bytes, f, 8);
      if (n !== undefined) initializers.add(n);
    } else if (f.no === GRAPH.sparseInitializer) {
      // SparseTensorProto.values (field 1) is a TensorProto whose name is the initializer name.
      for (const g of sub(bytes, f).fields()) {
        if (g.no === 1 && g.wire === 2) {
          const n = readInitializerName(bytes, g, 8);
          if (n !== undefined) initializers.add(n);
        }
      }
    } else if (f.no === GRAPH.input) inputs.push(readValueInfo(bytes, f));
    else if (f.no === GRAPH.output) info.outputs.push(readValueInfo(bytes, f));
  }
  info.inputs = inputs.filter((i) => !initializers.has(i.name));
  return info;
}

import {
  ONNX_TENSOR_TYPE_PROTO as TENSOR_TYPE,
  ONNX_TYPE_PROTO as TYPE,
  ProtobufWriter as Writer,
  wireFields,
  type WireField as Field,
} from '../../io';

/** ValueInfoProto fields: name = 1, type = 2 (a TypeProto). */
const VALUE_INFO_TYPE = 2;

/** Re-encodes one level of a message, passing the field `no` through `inner` and copying the rest. */
function rewriteField(buf: Uint8Array, f: Field, no: number, inner: (g: Field) => Uint8Array): Uint8Array {
  const w = new Writer();
  for (const g of wireFields(buf, f.start, f.end)) {
    if (g.no === no && g.wire === 2) w.lengthDelimited(no, inner(g));
    else w.bytes(buf.subarray(g.tagStart, g.end));
  }
  return w.finish();
}

/**
 * A ValueInfoProto (a message body) with its tensor element type set to `elemType`; the shape,
 * the name and everything else as written.
 */
export function withElemType(buf: Uint8Array, valueInfo: Field, elemType: number): Uint8Array {
  return rewriteField(buf, valueInfo, VALUE_INFO_TYPE, (type) =>
    rewriteField(buf, type, TYPE.tensorType, (tensor) => {
      const w = new Writer();
      for (const e of wireFields(buf, tensor.start, tensor.end))
        if (e.no !== TENSOR_TYPE.elemType) w.bytes(buf.subarray(e.tagStart, e.end));
      return w.int(TENSOR_TYPE.elemType, elemType).finish();
    }),
  );
}

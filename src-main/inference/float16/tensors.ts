/**
 * float32 TensorProtos → float16 TensorProtos (initializers, Constant and ConstantOfShape values):
 * every field but the type and the data is copied as written; the data is re-written as raw_data
 * (float16 little-endian), whether it came as raw_data or float_data.
 */
import {
  ONNX_DATA_TYPE as DT,
  ONNX_TENSOR_FIELD as TENSOR,
  ProtobufWriter as Writer,
  readVarint,
  wireFields,
  type WireField as Field,
} from '../../io';
import { Float16ConversionError } from './errors';
import { weightsToHalf, type HalfCounts } from './half';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** float16 bits → the raw_data bytes ONNX stores (little-endian). */
function halfBytes(h: Uint16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(h.buffer, h.byteOffset, h.byteLength);
  const out = new Uint8Array(h.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < h.length; i++) dv.setUint16(2 * i, h[i], true);
  return out;
}

/** float32 values of raw_data or float_data as their bit patterns (little-endian in the file). */
function floatBits(buf: Uint8Array, parts: Field[], count: number): Uint32Array {
  const bits = new Uint32Array(count);
  const dv = new DataView(buf.buffer, buf.byteOffset);
  let k = 0;
  for (const p of parts)
    for (let o = p.start; o < p.end && k < count; o += 4) bits[k++] = dv.getUint32(o, true);
  return bits;
}

function dimsProduct(buf: Uint8Array, dims: Field[]): number {
  let n = 1;
  for (const d of dims) {
    if (d.wire === 0) n *= Number(d.int ?? 0n);
    else
      for (let pos = d.start; pos < d.end;) {
        const v = readVarint(buf, pos, d.end);
        n *= Number(v.value);
        pos = v.next;
      }
  }
  return n;
}

export interface ConvertedTensor {
  /** The TensorProto's bytes (a message body, without a field key). */
  bytes: Uint8Array;
  values: number;
}

/**
 * The float32 TensorProto in buf[field.start, field.end) as a float16 TensorProto, named `rename`
 * when given. Counts clamped and raised values into `counts` (see `weightsToHalf`). Throws
 * Float16ConversionError ('tensor-data') when the data does not match the dims or is segmented.
 */
export function tensorToHalf(
  buf: Uint8Array,
  field: Field,
  counts: HalfCounts,
  label: string,
  rename?: string,
): ConvertedTensor {
  const fields = wireFields(buf, field.start, field.end);
  const dims = fields.filter((f) => f.no === TENSOR.dims);
  const data = fields.filter((f) => f.no === TENSOR.rawData || f.no === TENSOR.floatData);
  const count = dimsProduct(buf, dims);
  const bytes = data.reduce((s, f) => s + (f.end - f.start), 0);
  const nameField = fields.find((f) => f.no === TENSOR.name);
  const name = nameField
    ? new TextDecoder().decode(buf.subarray(nameField.start, nameField.end))
    : '(unnamed)';
  if (fields.some((f) => f.no === TENSOR.segment) || bytes !== count * 4)
    throw new Float16ConversionError(
      'tensor-data',
      label,
      `tensor '${name}' holds ${bytes / 4} float32 values where its dims say ${count}` +
        (fields.some((f) => f.no === TENSOR.segment) ? ' (a segmented tensor)' : ''),
      'Re-export the model; the file may be damaged.',
    );
  const half = new Uint16Array(count);
  weightsToHalf(floatBits(buf, data, count), half, counts);
  const w = new Writer();
  for (const f of fields) {
    if (f.no === TENSOR.dataType || f.no === TENSOR.floatData || f.no === TENSOR.rawData) continue;
    if (f.no === TENSOR.name && rename !== undefined) continue;
    w.bytes(buf.subarray(f.tagStart, f.end));
  }
  if (rename !== undefined) w.string(TENSOR.name, rename);
  w.int(TENSOR.dataType, DT.float16).lengthDelimited(TENSOR.rawData, halfBytes(half));
  return { bytes: w.finish(), values: count };
}

/** The TensorProto with another name, all else as written. */
export function renamedTensor(buf: Uint8Array, field: Field, name: string): Uint8Array {
  const w = new Writer();
  for (const f of wireFields(buf, field.start, field.end))
    if (f.no !== TENSOR.name) w.bytes(buf.subarray(f.tagStart, f.end));
  return w.string(TENSOR.name, name).finish();
}

/** A float16 TensorProto of the given values and dims (Constant's value_float(s), ConstantOfShape's 0). */
export function halfTensor(
  values: readonly number[],
  dims: readonly number[],
  counts: HalfCounts,
): Uint8Array {
  const half = new Uint16Array(values.length);
  weightsToHalf(new Uint32Array(Float32Array.from(values).buffer), half, counts);
  const w = new Writer();
  for (const d of dims) w.int(TENSOR.dims, d);
  return w.int(TENSOR.dataType, DT.float16).lengthDelimited(TENSOR.rawData, halfBytes(half)).finish();
}

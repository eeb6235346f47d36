/**
 * The protobuf wire format, as ONNX files use it: a field walker that keeps each field's byte range
 * (so a rewriter can copy untouched fields byte for byte) and the varint, tag and length-delimited
 * encoders a writer needs. Schema-free: which field means what lives in ./schema.ts.
 *
 * Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit. The deprecated groups
 * (3, 4) do not occur in onnx.proto and are refused.
 */

export const WIRE = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/**
 * Malformed protobuf bytes. Schema-free, so it knows no file name: the ONNX readers turn it into an
 * OnnxFormatError naming the file.
 */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
  constructor(
    /** What is wrong, without the position, e.g. "truncated varint". */
    readonly detail: string,
    /** Byte offset in the buffer that was walked. */
    readonly offset: number,
  ) {
    super(`${detail} at byte ${offset}`);
  }
}

/** One protobuf field of a message: [tagStart, end) is the field exactly as written. */
export interface WireField {
  no: number;
  wire: number;
  /** Offset of the field's key. */
  tagStart: number;
  /** varint value (wire 0), as protobuf's int64: values ≥ 2^63 come back negative. */
  int?: bigint;
  /** The value's bytes: the payload of a length-delimited field (wire 2), else the encoded value. */
  start: number;
  end: number;
}

/**
 * Decodes the varint at `pos` (at most 10 bytes, none at or past `end`). The value is read as
 * protobuf's int64, so a 10-byte negative number comes back negative.
 */
export function readVarint(buf: Uint8Array, pos: number, end = buf.length): { value: bigint; next: number } {
  let result = 0n;
  let shift = 0n;
  for (let i = pos; i < pos + 10; i++) {
    if (i >= end) throw new ProtobufError('truncated varint', i);
    const b = buf[i];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: BigInt.asIntN(64, result), next: i + 1 };
    shift += 7n;
  }
  throw new ProtobufError('varint longer than 10 bytes', pos);
}

/**
 * Reads the key of the field at `pos` and the part of its value that says where it ends: the whole
 * varint (wire 0), the length (wire 2). Only the first ~20 bytes of the field need to be in `buf`,
 * so a caller can walk a large file through small reads; the returned `end` may lie beyond `buf`.
 */
export function readFieldHead(buf: Uint8Array, pos: number, end = buf.length): WireField {
  const tagStart = pos;
  const key = readVarint(buf, pos, end);
  const no = Number(key.value >> 3n);
  const wire = Number(key.value & 7n);
  if (no <= 0) throw new ProtobufError(`field number ${no}`, tagStart);
  const start = key.next;
  switch (wire) {
    case WIRE.varint: {
      const v = readVarint(buf, start, end);
      return { no, wire, tagStart, int: v.value, start, end: v.next };
    }
    case WIRE.fixed64:
      return { no, wire, tagStart, start, end: start + 8 };
    case WIRE.fixed32:
      return { no, wire, tagStart, start, end: start + 4 };
    case WIRE.lengthDelimited: {
      const len = readVarint(buf, start, end);
      if (len.value < 0n) throw new ProtobufError(`negative length ${len.value} of field ${no}`, tagStart);
      // Beyond 2^53 the number is inexact, but it is then past any real end and is refused there.
      return { no, wire, tagStart, start: len.next, end: len.next + Number(len.value) };
    }
    default:
      throw new ProtobufError(`unsupported wire type ${wire} (field ${no})`, tagStart);
  }
}

/** The fields of the message in buf[start, end), in order, as the walk reaches them. */
export function* iterateFields(buf: Uint8Array, start = 0, end = buf.length): Generator<WireField> {
  let pos = start;
  while (pos < end) {
    const f = readFieldHead(buf, pos, end);
    if (f.end > end)
      throw new ProtobufError(`field ${f.no} runs past the end of its message (ends at ${end})`, f.tagStart);
    yield f;
    pos = f.end;
  }
}

/**
 * The fields of the protobuf message in buf[start, end), in order, each with its byte range (so a
 * rewriter can copy the fields it leaves alone). Throws ProtobufError on malformed bytes.
 */
export function wireFields(buf: Uint8Array, start = 0, end = buf.length): WireField[] {
  return [...iterateFields(buf, start, end)];
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The payload of a length-delimited field as UTF-8 text. */
export function fieldText(buf: Uint8Array, f: WireField): string {
  return utf8.decode(buf.subarray(f.start, f.end));
}

/**
 * Encodes a varint. Negative numbers are written as protobuf's int64 does, as their 64-bit two's
 * complement (10 bytes). Throws RangeError for a non-integer or an unsafe-integer number.
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new RangeError(`encodeVarint: ${value} is not a safe integer; pass a bigint for 64-bit values`);
  if (typeof value === 'number' && value >= 0) {
    // Lengths, tags and counts: plain number arithmetic, no BigInt per varint.
    const out: number[] = [];
    let n = value;
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    return Uint8Array.from(out);
  }
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

const utf8Encoder = new TextEncoder();

/**
 * Builds a protobuf message by appending encoded fields and raw byte ranges; `finish()` joins them
 * once. Nested messages are built by a writer of their own and passed to `lengthDelimited`.
 */
export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  /** Appends bytes as they are, e.g. a field copied from the input with its [tagStart, end). */
  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }
  varint(n: number | bigint): this {
    return this.bytes(encodeVarint(n));
  }
  tag(no: number, wire: number): this {
    return this.varint(no * 8 + wire);
  }
  /** A varint field (int32, int64, enum, bool). */
  int(no: number, n: number | bigint): this {
    return this.tag(no, WIRE.varint).varint(n);
  }
  lengthDelimited(no: number, payload: Uint8Array): this {
    return this.tag(no, WIRE.lengthDelimited).varint(payload.length).bytes(payload);
  }
  string(no: number, s: string): this {
    return this.lengthDelimited(no, utf8Encoder.encode(s));
  }
  /** A float field (fixed 32-bit, little-endian). */
  float(no: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.tag(no, WIRE.fixed32).bytes(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

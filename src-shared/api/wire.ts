/**
 * Binary message codec for the WebSocket transport of `hitmic serve`.
 *
 * JSON cannot carry typed arrays efficiently, and frames of a 2048×2048 uint16 movie are 8 MB,
 * so a message is: magic "HMW1" | u32 LE JSON length | JSON (UTF-8) | zero padding to 8 bytes |
 * binary section. Typed arrays in the value are replaced in the JSON by
 * `{"$typed": "<Type>", "offset": o, "length": n}` where `offset` is relative to the binary
 * section and every block starts 8-byte aligned, so decoding can view the bytes without copying.
 * Electron IPC does not need this: its structured clone carries typed arrays natively.
 */

const MAGIC = 0x31574d48; // "HMW1" little-endian

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;
type AnyTyped = InstanceType<(typeof TYPED)[TypedName]>;

interface TypedRef {
  $typed: TypedName;
  offset: number;
  length: number;
}

function typedName(v: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  const name = v.constructor.name as TypedName;
  return name in TYPED ? name : undefined;
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeMessage(value: unknown): Uint8Array {
  const blocks: AnyTyped[] = [];
  let binaryLength = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (!name) return typeof v === 'bigint' ? Number(v) : v;
    const arr = v as AnyTyped;
    const ref: TypedRef = { $typed: name, offset: binaryLength, length: arr.length };
    blocks.push(arr);
    binaryLength = align8(binaryLength + arr.byteLength);
    return ref;
  });
  const jsonBytes = new TextEncoder().encode(json ?? 'null');
  const binaryStart = align8(8 + jsonBytes.length);
  const out = new Uint8Array(binaryStart + binaryLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, jsonBytes.length, true);
  out.set(jsonBytes, 8);
  let offset = 0;
  for (const block of blocks) {
    out.set(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), binaryStart + offset);
    offset = align8(offset + block.byteLength);
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 8)
    throw new Error(`wire message too short: ${bytes.byteLength} bytes (expected at least 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC)
    throw new Error('wire message has no HMW1 header: not a HiTMic Studio message');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > bytes.byteLength)
    throw new Error(
      `wire message truncated: JSON claims ${jsonLength} bytes, only ${bytes.byteLength - 8} present`,
    );
  const json = new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength));
  const binaryStart = align8(8 + jsonLength);
  // Copy the binary section into a fresh, aligned buffer so typed views are always legal.
  const binary = bytes.slice(binaryStart);
  return JSON.parse(json, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$typed' in v) {
      const ref = v as TypedRef;
      const Ctor = TYPED[ref.$typed];
      if (!Ctor) throw new Error(`wire message names unknown array type '${String(ref.$typed)}'`);
      const end = ref.offset + ref.length * Ctor.BYTES_PER_ELEMENT;
      if (end > binary.byteLength)
        throw new Error(`wire message truncated: array needs ${end} bytes, section has ${binary.byteLength}`);
      return new Ctor(binary.buffer, binary.byteOffset + ref.offset, ref.length);
    }
    return v;
  });
}

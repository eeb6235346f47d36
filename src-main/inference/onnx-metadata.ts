/**
 * Reads the custom metadata (ModelProto.metadata_props, field 14) of an ONNX file without loading
 * the graph: walks the top-level protobuf fields and skips the others by their length, so only a
 * few hundred bytes are read even for a large model. onnxruntime-node does not expose these props.
 * `read(pos, len)` returns up to `len` bytes at `pos` (fewer at the end of the file).
 */
export type ByteReader = (pos: number, len: number) => Uint8Array;

export class OnnxFormatError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `'${file}' is not an ONNX model (${detail}). Check that the file is a complete .onnx export, not a PyTorch .pth, a pickle or a truncated download.`,
    );
    this.name = 'OnnxFormatError';
  }
}

function readVarint(buf: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let mul = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i];
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    mul *= 128;
  }
  return undefined;
}

function decodeString(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** Parses StringStringEntryProto (key = 1, value = 2). */
function parseEntry(buf: Uint8Array): [string, string] {
  let key = '';
  let value = '';
  let p = 0;
  while (p < buf.length) {
    const tag = readVarint(buf, p);
    if (!tag) break;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value & 7;
    if (wire !== 2) break;
    const len = readVarint(buf, tag.next);
    if (!len) break;
    const s = decodeString(buf.subarray(len.next, len.next + len.value));
    if (field === 1) key = s;
    else if (field === 2) value = s;
    p = len.next + len.value;
  }
  return [key, value];
}

/** Custom metadata of an ONNX model; throws OnnxFormatError when the top level is not a ModelProto. */
export function readOnnxMetadata(read: ByteReader, fileSize: number, file: string): Record<string, string> {
  const props: Record<string, string> = {};
  let pos = 0;
  let sawIrVersion = false;
  while (pos < fileSize) {
    const head = read(pos, 20);
    const tag = readVarint(head, 0);
    if (!tag) throw new OnnxFormatError(file, `unreadable field at byte ${pos}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value & 7;
    if (field < 1 || field > 30) throw new OnnxFormatError(file, `unexpected field ${field} at byte ${pos}`);
    if (field === 1 && wire === 0) sawIrVersion = true;
    if (wire === 0) {
      const v = readVarint(head, tag.next);
      if (!v) throw new OnnxFormatError(file, `bad varint at byte ${pos}`);
      pos += v.next;
    } else if (wire === 2) {
      const len = readVarint(head, tag.next);
      if (!len) throw new OnnxFormatError(file, `bad length at byte ${pos}`);
      const start = pos + len.next;
      if (start + len.value > fileSize)
        throw new OnnxFormatError(file, `field ${field} runs past the end of the file`);
      if (field === 14) {
        const [k, v] = parseEntry(read(start, len.value));
        props[k] = v;
      }
      pos = start + len.value;
    } else if (wire === 5) {
      pos += tag.next + 4;
    } else if (wire === 1) {
      pos += tag.next + 8;
    } else {
      throw new OnnxFormatError(file, `unsupported wire type ${wire} at byte ${pos}`);
    }
  }
  if (!sawIrVersion) throw new OnnxFormatError(file, 'no ir_version field');
  return props;
}

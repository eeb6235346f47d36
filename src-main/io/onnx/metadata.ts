/**
 * Reads the custom metadata (ModelProto.metadata_props) of an ONNX file without loading the graph:
 * walks the top-level protobuf fields and skips the others by their length, so only a few hundred
 * bytes are read even for a large model. onnxruntime-node does not expose these props.
 */
import { OnnxFormatError } from './errors';
import { fieldText, iterateFields, ProtobufError, readFieldHead, WIRE } from './protobuf';
import { MODEL, STRING_ENTRY } from './schema';

/** `read(pos, len)` returns up to `len` bytes at `pos` (fewer at the end of the file). */
export type ByteReader = (pos: number, len: number) => Uint8Array;

/** Enough for any field's key and its varint value or length (5 + 10 bytes at most). */
const HEAD_BYTES = 20;
/** ModelProto's highest field number is 25; a larger one at the top level means this is no model. */
const MAX_MODEL_FIELD = 30;

/** StringStringEntryProto in buf[start, end) → [key, value]. Throws ProtobufError on malformed bytes. */
export function readStringEntry(buf: Uint8Array, start = 0, end = buf.length): [string, string] {
  let key = '';
  let value = '';
  for (const f of iterateFields(buf, start, end)) {
    if (f.wire !== WIRE.lengthDelimited) continue;
    if (f.no === STRING_ENTRY.key) key = fieldText(buf, f);
    else if (f.no === STRING_ENTRY.value) value = fieldText(buf, f);
  }
  return [key, value];
}

/**
 * Custom metadata of an ONNX model. Throws OnnxFormatError naming `file` when the top level is not
 * a ModelProto (no ir_version, a field out of range, malformed or truncated protobuf).
 */
export function readOnnxMetadata(read: ByteReader, fileSize: number, file: string): Record<string, string> {
  const props: Record<string, string> = {};
  let pos = 0;
  // Where the buffer being parsed starts in the file, to report ProtobufError offsets in file terms.
  let base = 0;
  let sawIrVersion = false;
  try {
    while (pos < fileSize) {
      base = pos;
      const f = readFieldHead(read(pos, HEAD_BYTES), 0);
      if (f.no > MAX_MODEL_FIELD)
        throw new OnnxFormatError(file, `unexpected field ${f.no} at byte ${pos}`, pos);
      const end = pos + f.end;
      if (end > fileSize) throw new OnnxFormatError(file, `field ${f.no} runs past the end of the file`, pos);
      if (f.no === MODEL.irVersion && f.wire === WIRE.varint) sawIrVersion = true;
      if (f.no === MODEL.metadataProps && f.wire === WIRE.lengthDelimited) {
        base = pos + f.start;
        const [k, v] = readStringEntry(read(base, f.end - f.start));
        props[k] = v;
      }
      pos = end;
    }
  } catch (e) {
    if (e instanceof ProtobufError)
      throw new OnnxFormatError(file, `${e.detail} at byte ${base + e.offset}`, base + e.offset);
    throw e;
  }
  if (!sawIrVersion) throw new OnnxFormatError(file, 'no ir_version field');
  return props;
}

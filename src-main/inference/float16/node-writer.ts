/**
 * NodeProto writing for the fp16 transform: Cast nodes, int and tensor attributes, and a node
 * re-encoded with other names or attributes, every other field copied as written in its place.
 */
import {
  ONNX_ATTRIBUTE_FIELD as ATTR,
  ONNX_ATTRIBUTE_TYPE as ATTR_TYPE,
  ONNX_NODE as NODE,
  ProtobufWriter as Writer,
  wireFields,
} from '../../io';
import type { NodeInfo } from './graph-reader';

export const intAttribute = (name: string, value: number): Uint8Array =>
  new Writer().string(ATTR.name, name).int(ATTR.i, value).int(ATTR.type, ATTR_TYPE.int).finish();

export const tensorAttribute = (name: string, tensor: Uint8Array): Uint8Array =>
  new Writer()
    .string(ATTR.name, name)
    .lengthDelimited(ATTR.t, tensor)
    .int(ATTR.type, ATTR_TYPE.tensor)
    .finish();

export function castNode(name: string, input: string, output: string, to: number): Uint8Array {
  return new Writer()
    .string(NODE.input, input)
    .string(NODE.output, output)
    .string(NODE.name, name)
    .string(NODE.opType, 'Cast')
    .lengthDelimited(NODE.attribute, intAttribute('to', to))
    .finish();
}

/**
 * `node` re-encoded with other input/output names, attributes replaced by name (null removes one;
 * names the node lacks are added) and, when given, another node name.
 */
export function rewriteNode(
  buf: Uint8Array,
  node: NodeInfo,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: ReadonlyMap<string, Uint8Array | null>,
  name?: string,
): Uint8Array {
  const w = new Writer();
  let i = 0;
  let o = 0;
  const pending = new Map(attributes);
  const nameAt = new Map(node.attributes.map((a) => [a.field.tagStart, a.name]));
  for (const f of wireFields(buf, node.field.start, node.field.end)) {
    const attr = f.no === NODE.attribute ? nameAt.get(f.tagStart) : undefined;
    if (f.no === NODE.input && f.wire === 2) w.string(NODE.input, inputs[i++]);
    else if (f.no === NODE.output && f.wire === 2) w.string(NODE.output, outputs[o++]);
    else if (f.no === NODE.name && f.wire === 2 && name !== undefined) w.string(NODE.name, name);
    else if (attr !== undefined && pending.has(attr)) {
      const replacement = pending.get(attr);
      if (replacement) w.lengthDelimited(NODE.attribute, replacement);
      pending.delete(attr);
    } else w.bytes(buf.subarray(f.tagStart, f.end));
  }
  if (name !== undefined && !node.name) w.string(NODE.name, name);
  for (const attr of pending.values()) if (attr) w.lengthDelimited(NODE.attribute, attr);
  return w.finish();
}

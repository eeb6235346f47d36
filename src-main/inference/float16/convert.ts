/**
 * The float16 graph transform: an fp32 ONNX model → the same model with weights and compute in
 * float16, as onnxconverter-common's `convert_float_to_float16(model, keep_io_types=True)` makes it,
 * on the protobuf bytes (pure: bytes in, bytes out, nothing run).
 *
 * - float32 initializers and Constant / ConstantOfShape values become float16 (raw_data); values
 *   beyond ±65504 are clamped and non-zero values below 1e-7 raised to ±1e-7 (half.ts), both counted;
 * - Cast(to=FLOAT) inside the graph becomes Cast(to=FLOAT16);
 * - graph inputs and outputs stay float32: a Cast to float16 follows each float input, a Cast to float32
 *   makes each float output (keep_io_types);
 * - the nodes and inputs of policy.ts stay float32, with Casts around them (Resize's `scales` included);
 * - value_info entries of converted values are re-typed float16; the others are left as declared.
 * How each value is placed is decided first (plan.ts), then the graph is written once; fields the
 * transform does not touch (metadata, opsets, doc strings, shapes) are copied byte for byte.
 *
 * Refused, with a Float16ConversionError naming what is in the way: bytes that are no model, weights
 * in external files, subgraphs (If, Loop, Scan), sparse tensors, sequence values, models that already
 * hold float16 values, values whose element type cannot be told, graphs not in topological order.
 */
import {
  ONNX_DATA_TYPE as DT,
  ONNX_GRAPH as GRAPH,
  ONNX_GRAPH_FIELD as GRAPH_FIELD,
  ONNX_MODEL as MODEL,
  ProtobufError,
  ProtobufWriter as Writer,
  type WireField as Field,
} from '../../io';
import { Float16ConversionError } from './errors';
import { readModelView, readTensorInfo, type ModelView, type NodeInfo, type ValueInfo } from './graph-reader';
import { inferElementTypes } from './element-types';
import type { HalfCounts } from './half';
import { castNode, intAttribute, rewriteNode, tensorAttribute } from './node-writer';
import { planGraph, type GraphPlan } from './plan';
import { halfTensor, renamedTensor, tensorToHalf } from './tensors';
import { withElemType } from './value-info';

export interface Float16Options {
  /** The model's file or key, for errors; default '(model)'. */
  label?: string;
}

/** What the transform did, for logs and run.json. */
export interface Float16Report {
  /** Initializers written in float16. */
  initializers: number;
  /** Constant and ConstantOfShape values written in float16. */
  constants: number;
  /** float32 numbers converted in all. */
  values: number;
  /** Finite values beyond ±65504 set to ±65504. */
  clamped: number;
  /** Non-zero values with |x| < 1e-7 set to ±1e-7 (float16 ±1.19e-7), as onnxconverter-common does. */
  raised: number;
  /** Cast nodes inserted (graph inputs and outputs, around kept nodes). */
  casts: number;
  /** Nodes that compute in float16. */
  nodesFp16: number;
  /** Nodes left in float32, with the reason. */
  keptFp32: { node: string; op: string; why: string }[];
}

export interface Float16Result {
  bytes: Uint8Array;
  report: Float16Report;
}

function refuse(v: ModelView, kind: Float16ConversionError['kind'], detail: string, hint: string): never {
  throw new Float16ConversionError(kind, v.label, detail, hint);
}

const nodeLabel = (n: NodeInfo) => `node '${n.name || `#${n.index}`}' (${n.opType})`;

function checkConvertible(v: ModelView): void {
  const fp16 = 'Give the fp32 export; a ready fp16 export can ship in the collection as <model>.fp16.onnx.';
  for (const i of v.initializers) {
    if (i.external)
      refuse(
        v,
        'external-data',
        `initializer '${i.name}' keeps its values in an external file`,
        'Save the model with its weights inside (onnx.save(model, path, save_as_external_data=False)).',
      );
    if (i.dataType === DT.float16)
      refuse(v, 'already-float16', `initializer '${i.name}' is already float16`, fp16);
  }
  for (const io of [...v.inputs, ...v.outputs])
    if (io.elemType === DT.float16) refuse(v, 'already-float16', `'${io.name}' is already float16`, fp16);
  if (v.graphFields.some((f) => f.no === GRAPH_FIELD.sparseInitializer))
    refuse(
      v,
      'sparse-tensor',
      'the graph holds sparse initializers',
      'Models with sparse weights run in fp32.',
    );
  for (const n of v.nodes)
    for (const a of n.attributes) {
      if (a.graph)
        refuse(
          v,
          'subgraph',
          `${nodeLabel(n)} holds a subgraph`,
          'Models with control flow (If, Loop, Scan) run in fp32.',
        );
      if (a.sparse)
        refuse(v, 'sparse-tensor', `${nodeLabel(n)} holds a sparse tensor`, 'Such models run in fp32.');
      if (a.tensor && readTensorInfo(v.bytes, a.tensor).external)
        refuse(
          v,
          'external-data',
          `${nodeLabel(n)} keeps its value in an external file`,
          'Save the model with its weights inside (onnx.save(model, path, save_as_external_data=False)).',
        );
    }
}

/**
 * Converts an fp32 ONNX model to float16 (see the file comment). Throws Float16ConversionError when
 * the model cannot be converted; the caller then runs it in fp32 and says why.
 */
export function toFloat16Model(model: Uint8Array, options: Float16Options = {}): Float16Result {
  const label = options.label ?? '(model)';
  try {
    const v = readModelView(model, label);
    checkConvertible(v);
    const types = inferElementTypes(v);
    const plan = planGraph(v, types);
    return write(v, plan);
  } catch (e) {
    if (e instanceof ProtobufError)
      throw new Float16ConversionError(
        'unreadable',
        label,
        `not an ONNX model (${e.message})`,
        'Check that the file is a complete ONNX export.',
      );
    throw e;
  }
}

function write(v: ModelView, plan: GraphPlan): Float16Result {
  const buf = v.bytes;
  const counts: HalfCounts = { clamped: 0, raised: 0 };
  const report: Float16Report = {
    initializers: 0,
    constants: 0,
    values: 0,
    clamped: 0,
    raised: 0,
    casts: 0,
    nodesFp16: 0,
    keptFp32: [],
  };
  const g = new Writer();
  const names = new Set(v.nodes.map((n) => n.name));
  const nodeName = (base: string) => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const cast = (input: string, output: string, to: number) => {
    g.lengthDelimited(GRAPH.node, castNode(nodeName(`${output}__cast`), input, output, to));
    report.casts++;
  };

  let inputCasts = false;
  const castInputs = () => {
    inputCasts = true;
    for (const i of v.inputs) {
      const p = plan.values.get(i.name);
      if (p?.kind === 'input' && p.fp16) cast(i.name, p.fp16, DT.float16);
    }
  };

  const writeSource = (node: NodeInfo) => {
    const out = node.outputs[0];
    const p = plan.values.get(out)!;
    const fp32Name = p.fp32 !== undefined && p.fp32 !== out ? p.fp32 : undefined;
    if (p.fp32 !== undefined) {
      g.lengthDelimited(
        GRAPH.node,
        fp32Name === undefined
          ? buf.subarray(node.field.start, node.field.end)
          : rewriteNode(
              buf,
              node,
              node.inputs,
              [fp32Name],
              new Map(),
              node.name ? nodeName(`${node.name}__fp32`) : undefined,
            ),
      );
    }
    if (p.fp16 === undefined) return;
    const attrs = new Map<string, Uint8Array | null>();
    if (node.opType === 'Cast') attrs.set('to', intAttribute('to', DT.float16));
    else {
      const value = node.attributes.find((a) => a.name.startsWith('value'));
      let tensor: Uint8Array;
      if (value?.tensor) {
        const t = tensorToHalf(buf, value.tensor, counts, v.label);
        report.values += t.values;
        tensor = t.bytes;
      } else if (value?.floats) {
        const dims = value.name === 'value_float' ? [] : [value.floats.length];
        tensor = halfTensor(value.floats, dims, counts);
        report.values += value.floats.length;
      } else tensor = halfTensor([0], [1], counts); // ConstantOfShape without a value gives float32 zeros
      if (value && value.name !== 'value') attrs.set(value.name, null); // value_float(s) → value
      attrs.set('value', tensorAttribute('value', tensor));
      report.constants++;
    }
    const renamed = p.fp16 !== out || p.fp32 !== undefined;
    const bytes = rewriteNode(
      buf,
      node,
      node.inputs,
      [p.fp16],
      attrs,
      renamed && node.name ? nodeName(`${node.name}__fp16`) : undefined,
    );
    g.lengthDelimited(GRAPH.node, bytes);
  };

  const writeNode = (node: NodeInfo) => {
    const mode = plan.modes[node.index];
    const inputs = node.inputs.map((_, k) => plan.inputName(node, k));
    const outputs = node.outputs.map((o) => {
      const p = plan.values.get(o);
      return p ? (mode === 'fp16' ? p.fp16! : p.fp32!) : o;
    });
    const attrs = new Map<string, Uint8Array | null>();
    const castTo = node.attributes.find((a) => a.name === 'to');
    if (mode === 'fp16' && node.opType === 'Cast' && castTo?.int === BigInt(DT.float))
      attrs.set('to', intAttribute('to', DT.float16));
    const same =
      attrs.size === 0 &&
      inputs.every((x, k) => x === node.inputs[k]) &&
      outputs.every((x, k) => x === node.outputs[k]);
    g.lengthDelimited(
      GRAPH.node,
      same ? buf.subarray(node.field.start, node.field.end) : rewriteNode(buf, node, inputs, outputs, attrs),
    );
    const touchesFloat = node.inputs.some(plan.isFloat) || node.outputs.some(plan.isFloat);
    if (mode === 'fp16' && touchesFloat) report.nodesFp16++;
    if (mode === 'fp32')
      report.keptFp32.push({
        node: node.name || `#${node.index}`,
        op: node.opType,
        why: plan.keptWhy.get(node.index)!,
      });
    for (const o of node.outputs) {
      const p = plan.values.get(o);
      if (!p) continue;
      if (mode === 'fp16' && p.fp32) cast(p.fp16!, p.fp32, DT.float);
      if (mode === 'fp32' && p.fp16) cast(p.fp32!, p.fp16, DT.float16);
    }
  };

  let n = 0;
  for (const f of v.graphFields) {
    if (f.no === GRAPH.node && f.wire === 2) {
      if (!inputCasts) castInputs();
      const node = v.nodes[n++];
      if (plan.modes[node.index] === 'source') writeSource(node);
      else writeNode(node);
    } else if (f.no === GRAPH.initializer && f.wire === 2) writeInitializer(f);
    else if (f.no === GRAPH_FIELD.valueInfo && f.wire === 2)
      writeValueInfo(v.valueInfo.find((x) => x.field === f)!);
    else g.bytes(buf.subarray(f.tagStart, f.end));
  }
  if (!inputCasts) castInputs();

  function writeInitializer(f: Field): void {
    const info = v.initializers.find((i) => i.field === f)!;
    const p = plan.values.get(info.name);
    if (!p || p.kind !== 'initializer') {
      g.bytes(buf.subarray(f.tagStart, f.end));
      return;
    }
    if (p.fp32 !== undefined)
      g.lengthDelimited(
        GRAPH.initializer,
        p.fp32 === info.name ? buf.subarray(f.start, f.end) : renamedTensor(buf, f, p.fp32),
      );
    if (p.fp16 !== undefined) {
      const t = tensorToHalf(buf, f, counts, v.label, p.fp16 === info.name ? undefined : p.fp16);
      g.lengthDelimited(GRAPH.initializer, t.bytes);
      report.initializers++;
      report.values += t.values;
    }
  }

  function writeValueInfo(info: ValueInfo): void {
    const p = plan.values.get(info.name);
    const asHalf = info.elemType === DT.float && p?.fp16 === info.name;
    g.lengthDelimited(
      GRAPH_FIELD.valueInfo,
      asHalf ? withElemType(buf, info.field, DT.float16) : buf.subarray(info.field.start, info.field.end),
    );
  }

  if (report.initializers + report.constants + report.nodesFp16 === 0)
    throw new Float16ConversionError(
      'nothing-to-convert',
      v.label,
      'the model has no float32 weights or float32 computation to convert',
      'It runs as it is.',
    );
  report.clamped = counts.clamped;
  report.raised = counts.raised;
  const m = new Writer();
  for (const f of v.top) {
    if (f === v.graph) m.lengthDelimited(MODEL.graph, g.finish());
    else m.bytes(buf.subarray(f.tagStart, f.end));
  }
  return { bytes: m.finish(), report };
}

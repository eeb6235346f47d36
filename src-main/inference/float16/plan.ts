/**
 * Decides, before anything is written, how each node computes and which precision of each float32
 * value the converted graph holds under which name.
 *
 * 1. Modes, walking the nodes backwards (every reader of a value comes after its producer): a node is
 *    a *source* (Constant, ConstantOfShape or Cast to float of a non-float value: it can give either
 *    precision exactly), *fp32* (kept, see policy.ts — or every reader of its float outputs needs
 *    float32 for a parameter input, so it computes that parameter exactly in fp32), else *fp16*.
 * 2. Demands on each float32 value: fp16 (an fp16 node reads it), fp32 (a kept node, a graph output),
 *    exact (a parameter input, which pulls its producers into fp32), any (Shape and Size read only the
 *    shape, either precision will do).
 * 3. Versions: a graph input or a kept node's output exists in fp32, an fp16 node's output in fp16;
 *    a source or initializer gives the precisions asked for. A second precision comes from a Cast
 *    after the producer, or — for sources — from a second, exact copy. Graph inputs and outputs keep
 *    their names and float32 type (keep_io_types); any other value keeps its name in the precision it
 *    is made in, and the other precision gets a fresh name.
 */
import { ONNX_DATA_TYPE as DT } from '../../io';
import type { ModelView, NodeInfo } from './graph-reader';
import { float32Parameters, keptInFloat32 } from './policy';

export type Mode = 'fp16' | 'fp32' | 'source';
export type Precision = 'fp16' | 'fp32';

interface Demand {
  fp16: boolean;
  fp32: boolean;
  exact: boolean;
  any: boolean;
}

/** How one float32 value of the original graph appears in the converted one. */
export interface ValuePlan {
  /** Who makes it: a graph input, an initializer, a source node, or an fp16 / fp32 node. */
  kind: 'input' | 'initializer' | 'source' | 'fp16' | 'fp32';
  /** Names of the precisions the converted graph holds; one of them is the original name. */
  fp16?: string;
  fp32?: string;
}

export interface GraphPlan {
  modes: Mode[];
  /** Why each kept node runs in fp32, by node index. */
  keptWhy: Map<number, string>;
  values: Map<string, ValuePlan>;
  isFloat(name: string): boolean;
  /** The name a node's k-th input reads in the converted graph. */
  inputName(node: NodeInfo, k: number): string;
}

/** Ops that read only the shape of their input: whichever precision exists will do. */
const SHAPE_ONLY = new Set(['Shape', 'Size']);

function isSourceNode(node: NodeInfo, isFloat: (n: string) => boolean): boolean {
  if (node.domain !== '' || !node.outputs[0] || !isFloat(node.outputs[0])) return false;
  if (node.opType === 'Constant' || node.opType === 'ConstantOfShape') return true;
  return node.opType === 'Cast' && !isFloat(node.inputs[0]);
}

function uniqueNames(v: ModelView, types: Map<string, number>): (base: string) => string {
  const taken = new Set<string>(types.keys());
  for (const n of v.nodes) {
    taken.add(n.name);
    n.inputs.forEach((i) => taken.add(i));
    n.outputs.forEach((o) => taken.add(o));
  }
  return (base) => {
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
}

export function planGraph(v: ModelView, types: Map<string, number>): GraphPlan {
  const isFloat = (name: string) => name !== '' && types.get(name) === DT.float;
  const demands = new Map<string, Demand>();
  const demand = (name: string): Demand => {
    let d = demands.get(name);
    if (!d) demands.set(name, (d = { fp16: false, fp32: false, exact: false, any: false }));
    return d;
  };
  const graphInputs = new Set(v.inputs.map((i) => i.name));
  const graphOutputs = new Set(v.outputs.map((o) => o.name));
  for (const o of graphOutputs) if (isFloat(o)) demand(o).fp32 = true;

  const modes: Mode[] = new Array<Mode>(v.nodes.length);
  const keptWhy = new Map<number, string>();
  for (let n = v.nodes.length - 1; n >= 0; n--) {
    const node = v.nodes[n];
    if (isSourceNode(node, isFloat)) {
      modes[n] = 'source';
      continue;
    }
    let why = keptInFloat32(node.opType, node.domain, node.outputs.filter((o) => o !== '').length);
    const floatOut = node.outputs.filter(isFloat).map((o) => demands.get(o));
    if (!why && floatOut.length > 0 && floatOut.every((d) => !d?.fp16) && floatOut.some((d) => d?.exact))
      why = 'feeds a float32 parameter input';
    modes[n] = why ? 'fp32' : 'fp16';
    if (why) keptWhy.set(n, why);
    const params = float32Parameters(node.opType, v.opset);
    node.inputs.forEach((input, k) => {
      if (!isFloat(input)) return;
      const d = demand(input);
      if (modes[n] === 'fp32') {
        d.fp32 = true;
        d.exact ||= why === 'feeds a float32 parameter input';
      } else if (node.domain === '' && params.includes(k)) d.fp32 = d.exact = true;
      else if (node.domain === '' && SHAPE_ONLY.has(node.opType)) d.any = true;
      else d.fp16 = true;
    });
  }

  const unique = uniqueNames(v, types);
  const values = new Map<string, ValuePlan>();
  const place = (name: string, kind: ValuePlan['kind']) => {
    const d = demands.get(name) ?? { fp16: false, fp32: false, exact: false, any: false };
    let needs16: boolean;
    let needs32: boolean;
    if (kind === 'input' || kind === 'fp32') [needs32, needs16] = [true, d.fp16];
    else if (kind === 'fp16') [needs16, needs32] = [true, d.fp32];
    else {
      // A source read by nothing is converted all the same: its weights take half the memory.
      needs16 = d.fp16 || (!d.fp32 && !d.any);
      needs32 = d.fp32 || (d.any && !needs16);
    }
    const own: Precision =
      graphInputs.has(name) || graphOutputs.has(name) || kind === 'fp32' || (kind !== 'fp16' && !needs16)
        ? 'fp32'
        : 'fp16';
    const plan: ValuePlan = { kind };
    if (needs16) plan.fp16 = own === 'fp16' ? name : unique(`${name}__fp16`);
    if (needs32) plan.fp32 = own === 'fp32' ? name : unique(`${name}__fp32`);
    values.set(name, plan);
  };
  for (const i of v.inputs) if (isFloat(i.name)) place(i.name, 'input');
  for (const i of v.initializers)
    if (isFloat(i.name) && !graphInputs.has(i.name)) place(i.name, 'initializer');
  v.nodes.forEach((node, n) => {
    const kind = modes[n] === 'source' ? 'source' : modes[n];
    for (const o of node.outputs) if (isFloat(o) && !values.has(o)) place(o, kind);
  });

  const inputName = (node: NodeInfo, k: number): string => {
    const name = node.inputs[k];
    if (!isFloat(name)) return name;
    const plan = values.get(name)!;
    const n = node.index;
    if (modes[n] === 'source') return name;
    if (node.domain === '' && SHAPE_ONLY.has(node.opType) && modes[n] === 'fp16') return name;
    const wants32 =
      modes[n] === 'fp32' || (node.domain === '' && float32Parameters(node.opType, v.opset).includes(k));
    return (wants32 ? plan.fp32 : plan.fp16)!;
  };
  return { modes, keptWhy, values, isFloat, inputName };
}

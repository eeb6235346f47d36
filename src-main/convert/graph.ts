/**
 * The graph an architecture is written into: nodes named after the module that makes them
 * (`/encoders.0.0/conv1/Conv_output_0`, as torch.onnx names values), shared constants, and the
 * state_dict tensors as initializers under their own keys. Also the ops every architecture uses,
 * so conv arithmetic (weight layout, pads) is written once.
 */
import type { OnnxAttribute, OnnxNode, OnnxTensorData } from '../io';
import type { Pair } from './model-args';

export class NetGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: { name: string; tensor: OnnxTensorData }[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  private fresh(base: string): string {
    for (let i = 0; ; i++) {
      const name = `${base}_${i}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }

  /** One node with one output; returns the output's name. `scope` is the module path. */
  op(opType: string, inputs: string[], scope: string, attributes?: Record<string, OnnxAttribute>): string {
    return this.ops(opType, inputs, scope, 1, attributes)[0];
  }

  /** One node with `count` outputs. */
  ops(
    opType: string,
    inputs: string[],
    scope: string,
    count: number,
    attributes?: Record<string, OnnxAttribute>,
  ): string[] {
    const name = this.fresh(`${scope}/${opType}`);
    const outputs = Array.from({ length: count }, (_, i) => this.fresh(`${scope}/${opType}_output_${i}`));
    this.nodes.push({ opType, inputs, outputs, name, ...(attributes ? { attributes } : {}) });
    return outputs;
  }

  /** Renames a value everywhere (e.g. the final value to the graph output's name). */
  rename(value: string, to: string): string {
    if (this.used.has(to)) throw new Error(`internal: value name ${to} is taken`);
    this.used.add(to);
    for (const n of this.nodes) {
      n.outputs = n.outputs.map((o) => (o === value ? to : o));
      n.inputs = n.inputs.map((i) => (i === value ? to : i));
    }
    return to;
  }

  /** A named initializer (a state_dict tensor under its key). */
  initializer(name: string, tensor: OnnxTensorData): string {
    this.used.add(name);
    this.initializers.push({ name, tensor });
    return name;
  }

  /** A float32 constant, shared by every node that asks for the same values and dims. */
  floats(values: number[] | Float32Array, dims: number[] = [values.length]): string {
    const data = Float32Array.from(values);
    return this.constant(`f${dims.join('x')}:${data.join(',')}`, 'const_f', {
      type: 'float32',
      dims,
      values: data,
    });
  }

  /** An int64 constant (shapes, axes, pads), shared like floats(). */
  ints(values: number[], dims: number[] = [values.length]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.constant(`i${dims.join('x')}:${values.join(',')}`, 'const_i', {
      type: 'int64',
      dims,
      values: data,
    });
  }

  private constant(key: string, base: string, tensor: OnnxTensorData): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh(base);
    this.initializers.push({ name, tensor });
    this.constants.set(key, name);
    return name;
  }
}

export interface ConvSpec {
  kernel: Pair;
  stride?: Pair;
  pad?: Pair;
  dilation?: Pair;
  groups?: number;
  /** ConvTranspose output_padding; makes the node a ConvTranspose. */
  outputPadding?: Pair;
  transposed?: boolean;
}

/** Conv or ConvTranspose with symmetric pads, as torch's Conv2d / ConvTranspose2d. */
export function convNode(
  g: NetGraph,
  x: string,
  weight: string,
  bias: string | null,
  spec: ConvSpec,
  scope: string,
): string {
  const [ph, pw] = spec.pad ?? [0, 0];
  const attributes: Record<string, OnnxAttribute> = {
    dilations: { ints: spec.dilation ?? [1, 1] },
    group: { int: spec.groups ?? 1 },
    kernel_shape: { ints: spec.kernel },
    pads: { ints: [ph, pw, ph, pw] },
    strides: { ints: spec.stride ?? [1, 1] },
  };
  if (spec.transposed) attributes.output_padding = { ints: spec.outputPadding ?? [0, 0] };
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return g.op(spec.transposed ? 'ConvTranspose' : 'Conv', inputs, scope, attributes);
}

/** The [H, W] of a 4D value, as an int64 [2] tensor. */
export function spatialSize(g: NetGraph, x: string, scope: string): string {
  return g.op('Shape', [x], scope, { start: { int: 2 }, end: { int: 4 } });
}

/** Zero-pads the bottom and right of a 4D value by `amounts` (an int64 [2] value: pad H, pad W). */
export function padBottomRight(g: NetGraph, x: string, amounts: string, scope: string): string {
  const pads = g.op('Concat', [g.ints([0, 0, 0, 0, 0, 0]), amounts], scope, { axis: { int: 0 } });
  return g.op('Pad', [x, pads], scope, { mode: { string: 'constant' } });
}

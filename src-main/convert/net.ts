/**
 * What an architecture builder works with: the graph, the state_dict as it consumes it, and a place
 * for warnings; plus the torch modules every architecture has (Conv2d, ConvTranspose2d) reading
 * their parameters by state_dict key.
 */
import type { OnnxValueInfo } from '../io';
import { convNode, type ConvSpec, type NetGraph } from './graph';
import type { Weights } from './weights';

export interface Net {
  g: NetGraph;
  w: Weights;
  warn(message: string): void;
  /** A fixed classifier crop size (ConvertInput.cropSize), when the caller knows it. */
  cropSize?: number;
}

/** The graph inputs and outputs an architecture builder declares. */
export interface ArchitectureIO {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** The scope of a module's nodes: its state_dict prefix as a path, e.g. `/encoders.0.0.conv1`. */
export const scopeOf = (key: string): string => `/${key}`;

/**
 * `nn.Conv2d` (or `nn.ConvTranspose2d` when `spec.transposed`) registered at `key`: weight
 * (out, in/groups, kh, kw) — (in, out/groups, kh, kw) when transposed — and bias (out,) if any.
 */
export function conv(
  net: Net,
  x: string,
  key: string,
  inC: number,
  outC: number,
  spec: ConvSpec & { bias: boolean },
): string {
  const [kh, kw] = spec.kernel;
  const groups = spec.groups ?? 1;
  const shape = spec.transposed ? [inC, outC / groups, kh, kw] : [outC, inC / groups, kh, kw];
  const weight = net.w.take(`${key}.weight`, shape);
  const bias = spec.bias ? net.w.take(`${key}.bias`, [outC]) : null;
  return convNode(net.g, x, weight, bias, spec, scopeOf(key));
}

/**
 * MONAI 1.5's 2D building blocks as HiTMicTools' models use them (monai.networks.blocks):
 *
 * - `Convolution`: `conv` (Conv2d, or ConvTranspose2d with output_padding = stride − 1) then
 *   `adn` (norm, dropout, activation in `adn_ordering`) unless conv_only, or when act, norm and
 *   dropout are all None; padding defaults to "same" ((k − 1)·dilation / 2, odd kernels only).
 * - `ResidualUnit`: `conv.unit0 … unit{n−1}` Convolutions (only the first strided, the last
 *   conv-only when last_conv_only) plus `residual`: the identity, or — when the stride is not 1 or
 *   the channel count changes — a Conv2d with the unit's kernel, stride and padding (1×1, padding 0,
 *   when only the channels change); output = conv path + residual.
 */
import { act, checkAct, checkNorm, norm } from './adn-layers';
import { ArchitectureArgsError } from './errors';
import { bool, layerSpec, pair, pairOf, type Args, type LayerSpec, type Pair } from './model-args';
import { conv, scopeOf, type Net } from './net';

/** The layer options every Convolution of a model shares. */
export interface MonaiOptions {
  act: LayerSpec | null;
  norm: LayerSpec | null;
  /** Whether a dropout is configured (it changes nothing at inference, only whether `adn` exists). */
  dropout: boolean;
  /** adn_ordering upper-cased, each letter once (a repeated letter replaces the module in place). */
  ordering: string;
  bias: boolean;
  dilation: Pair;
}

/**
 * Reads act, norm, dropout, adn_ordering, bias and dilation from model_args with MONAI's defaults
 * (PReLU, instance norm, "NDA", bias). `dropoutDefault` is the constructor's: 0.0 for UNet, None
 * for ResidualUnit.
 */
export function monaiOptions(args: Args, dropoutDefault: number | null): MonaiOptions {
  const a = layerSpec(args, 'act', { name: 'prelu', args: {} });
  const n = layerSpec(args, 'norm', { name: 'instance', args: {} });
  checkAct(a);
  checkNorm(n);
  const rawOrdering = args.adn_ordering ?? 'NDA';
  if (typeof rawOrdering !== 'string' || !/^[NDA]*$/i.test(rawOrdering))
    throw new ArchitectureArgsError(
      'adn_ordering',
      `must be a string of the letters N, D and A, got ${JSON.stringify(rawOrdering)}`,
    );
  const dropout = 'dropout' in args ? args.dropout : dropoutDefault;
  return {
    act: a,
    norm: n,
    dropout: dropout !== null && dropout !== undefined,
    ordering: [...new Set(rawOrdering.toUpperCase())].join(''),
    bias: bool(args, 'bias', true),
    dilation: pair(args, 'dilation', 1, 1),
  };
}

/** monai.networks.layers.convutils.same_padding, refusing even effective kernels as MONAI does. */
export function samePadding(kernel: Pair, dilation: Pair, argKey: string): Pair {
  const p = kernel.map((k, i) => {
    const span = (k - 1) * dilation[i];
    if (span % 2 === 1)
      throw new ArchitectureArgsError(
        argKey,
        `gives a kernel of ${kernel.join('×')} (dilation ${dilation.join('×')}) with no "same" padding; MONAI raises NotImplementedError for even kernels`,
      );
    return span / 2;
  });
  return [p[0], p[1]];
}

/** The norm → dropout → act block at `key` (`….adn`), in the configured order. */
export function adn(net: Net, x: string, key: string, channels: number, o: MonaiOptions): string {
  let y = x;
  for (const letter of o.ordering) {
    if (letter === 'N' && o.norm) y = norm(net, y, `${key}.N`, o.norm, channels);
    if (letter === 'A' && o.act) y = act(net, y, `${key}.A`, o.act, channels);
  }
  return y;
}

export interface ConvolutionSpec {
  inC: number;
  outC: number;
  kernel: Pair;
  stride: Pair;
  /** Explicit padding; "same" padding when absent. */
  padding?: Pair;
  transposed?: boolean;
  convOnly?: boolean;
  /** The model_args key the kernel comes from, for errors. */
  kernelArg: string;
}

/** MONAI `Convolution` registered at `key`. */
export function convolution(net: Net, x: string, key: string, s: ConvolutionSpec, o: MonaiOptions): string {
  const pad = s.padding ?? samePadding(s.kernel, o.dilation, s.kernelArg);
  const y = conv(net, x, `${key}.conv`, s.inC, s.outC, {
    kernel: s.kernel,
    stride: s.stride,
    pad,
    dilation: o.dilation,
    bias: o.bias,
    transposed: s.transposed,
    outputPadding: s.transposed ? [s.stride[0] - 1, s.stride[1] - 1] : undefined,
  });
  if (s.convOnly || (!o.act && !o.norm && !o.dropout)) return y;
  return adn(net, y, `${key}.adn`, s.outC, o);
}

export interface ResidualUnitSpec {
  inC: number;
  outC: number;
  stride: Pair;
  kernel: Pair;
  subunits: number;
  lastConvOnly: boolean;
  /** ResidualUnit's `padding` argument as given (null: "same"; MONAI treats a falsy 0 as null too). */
  padding: Pair | null;
  kernelArg: string;
}

/** MONAI `ResidualUnit` registered at `key`. */
export function residualUnit(net: Net, x: string, key: string, s: ResidualUnitSpec, o: MonaiOptions): string {
  const padding = s.padding ?? samePadding(s.kernel, o.dilation, s.kernelArg);
  const n = Math.max(1, s.subunits);
  let y = x;
  for (let su = 0; su < n; su++) {
    y = convolution(
      net,
      y,
      `${key}.conv.unit${su}`,
      {
        inC: su === 0 ? s.inC : s.outC,
        outC: s.outC,
        kernel: s.kernel,
        stride: su === 0 ? s.stride : [1, 1],
        padding,
        convOnly: s.lastConvOnly && su === n - 1,
        kernelArg: s.kernelArg,
      },
      o,
    );
  }
  const strided = s.stride[0] * s.stride[1] !== 1;
  if (!strided && s.inC === s.outC) return net.g.op('Add', [y, x], scopeOf(key));
  // The residual conv has no dilation; only the channels change → 1×1, padding 0.
  const res = conv(net, x, `${key}.residual`, s.inC, s.outC, {
    kernel: strided ? s.kernel : [1, 1],
    stride: s.stride,
    pad: strided ? padding : [0, 0],
    bias: o.bias,
  });
  return net.g.op('Add', [y, res], scopeOf(key));
}

/** ResidualUnit's `padding` argument: MONAI's `if not padding` makes None, 0 and [] "same". */
export function residualPadding(args: Args): Pair | null {
  const v = args.padding;
  if (v === undefined || v === null || v === 0 || (Array.isArray(v) && v.length === 0)) return null;
  return pairOf(v, 'padding');
}

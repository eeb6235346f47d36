/**
 * MONAI 1.5 `UNet` (monai.networks.nets.UNet, reference §5.3) in 2D as an ONNX graph, for any
 * channels, strides (an int or an [h, w] pair per level, 1 included), kernel_size, up_kernel_size,
 * num_res_units, act, norm, dropout (the identity at inference), bias and adn_ordering.
 *
 * `model` is built recursively as MONAI does: Sequential(down, SkipConnection(subblock), up), where
 * down is a ResidualUnit (num_res_units > 0) or a Convolution with the level's stride; the bottom is
 * a down layer with stride 1; the skip concatenates [x, subblock(x)] on channels; up is a transposed
 * Convolution (up_kernel_size, the level's stride, output_padding stride − 1), conv-only on the top
 * level when num_res_units is 0, else followed by a one-subunit ResidualUnit (last_conv_only on top).
 * No final activation: the output is logits, [N, out_channels, H, W].
 */
import { ArchitectureArgsError } from './errors';
import { convolution, monaiOptions, residualUnit, type MonaiOptions } from './monai-blocks';
import { int, intList, onlyKnownArgs, pair, pairOf, type Args, type Pair } from './model-args';
import { scopeOf, type ArchitectureIO, type Net } from './net';

export const MONAI_UNET_ARGS = [
  'spatial_dims',
  'in_channels',
  'out_channels',
  'channels',
  'strides',
  'kernel_size',
  'up_kernel_size',
  'num_res_units',
  'act',
  'norm',
  'dropout',
  'bias',
  'adn_ordering',
] as const;

interface UnetSpec {
  kernel: Pair;
  upKernel: Pair;
  resUnits: number;
  o: MonaiOptions;
}

function downLayer(
  net: Net,
  x: string,
  key: string,
  inC: number,
  outC: number,
  stride: Pair,
  u: UnetSpec,
): string {
  if (u.resUnits > 0)
    return residualUnit(
      net,
      x,
      key,
      {
        inC,
        outC,
        stride,
        kernel: u.kernel,
        subunits: u.resUnits,
        lastConvOnly: false,
        padding: null,
        kernelArg: 'kernel_size',
      },
      u.o,
    );
  return convolution(net, x, key, { inC, outC, kernel: u.kernel, stride, kernelArg: 'kernel_size' }, u.o);
}

function upLayer(
  net: Net,
  x: string,
  key: string,
  inC: number,
  outC: number,
  stride: Pair,
  isTop: boolean,
  u: UnetSpec,
): string {
  const transposed = { inC, outC, kernel: u.upKernel, stride, transposed: true, kernelArg: 'up_kernel_size' };
  if (u.resUnits === 0) return convolution(net, x, key, { ...transposed, convOnly: isTop }, u.o);
  const y = convolution(net, x, `${key}.0`, transposed, u.o);
  return residualUnit(
    net,
    y,
    `${key}.1`,
    {
      inC: outC,
      outC,
      stride: [1, 1],
      kernel: u.kernel,
      subunits: 1,
      lastConvOnly: isTop,
      padding: null,
      kernelArg: 'kernel_size',
    },
    u.o,
  );
}

function block(
  net: Net,
  x: string,
  key: string,
  inC: number,
  outC: number,
  channels: number[],
  strides: Pair[],
  isTop: boolean,
  u: UnetSpec,
): string {
  const c = channels[0];
  const down = downLayer(net, x, `${key}.0`, inC, c, strides[0], u);
  let sub: string;
  let upC: number;
  if (channels.length > 2) {
    sub = block(net, down, `${key}.1.submodule`, c, c, channels.slice(1), strides.slice(1), false, u);
    upC = 2 * c;
  } else {
    sub = downLayer(net, down, `${key}.1.submodule`, c, channels[1], [1, 1], u);
    upC = c + channels[1];
  }
  const cat = net.g.op('Concat', [down, sub], scopeOf(`${key}.1`), { axis: { int: 1 } });
  return upLayer(net, cat, `${key}.2`, upC, outC, strides[0], isTop, u);
}

export function buildMonaiUnet(net: Net, args: Args): ArchitectureIO {
  onlyKnownArgs(args, MONAI_UNET_ARGS, 'monai.networks.nets.UNet');
  const dims = int(args, 'spatial_dims');
  if (dims !== 2)
    throw new ArchitectureArgsError(
      'spatial_dims',
      `is ${dims}: HiTMicTools segments 2D frames and the converter builds 2D UNets only`,
      true,
    );
  const inC = int(args, 'in_channels', undefined, 1);
  const outC = int(args, 'out_channels', undefined, 1);
  const channels = intList(args, 'channels', undefined, 1);
  if (channels.length < 2) throw new ArchitectureArgsError('channels', 'needs at least 2 entries');
  const rawStrides = args.strides;
  if (!Array.isArray(rawStrides))
    throw new ArchitectureArgsError('strides', 'must be a list, one stride per level');
  if (rawStrides.length < channels.length - 1)
    throw new ArchitectureArgsError(
      'strides',
      `needs ${channels.length - 1} entries (one fewer than channels)`,
    );
  if (rawStrides.length > channels.length - 1)
    net.warn(
      `model_args.strides has ${rawStrides.length - channels.length + 1} more entries than levels; MONAI ignores them too`,
    );
  const strides = rawStrides.slice(0, channels.length - 1).map((s) => pairOf(s, 'strides', 1));
  const u: UnetSpec = {
    kernel: pair(args, 'kernel_size', 3, 1),
    upKernel: pair(args, 'up_kernel_size', 3, 1),
    resUnits: int(args, 'num_res_units', 0),
    o: monaiOptions(args, 0),
  };
  net.g.rename(block(net, 'input', 'model', inC, outC, channels, strides, true, u), 'output');
  return {
    inputs: [{ name: 'input', type: 'float32', dims: ['N', inC, 'H', 'W'] }],
    outputs: [{ name: 'output', type: 'float32', dims: ['N', outC, 'H', 'W'] }],
  };
}

/**
 * FlexResNet (HiTMicTools `model_arch/flexresnet.py`, reference §5.2) as an ONNX graph, for all its
 * arguments and the MONAI ResidualUnit keyword arguments it passes on (act, norm, dropout,
 * dropout_dim, dilation, bias, last_conv_only, padding, adn_ordering):
 *
 * input [N, in_channels, H, W] → zero-pad bottom/right up to min_size → `features.{i}`: ResidualUnit
 * (initial_filters·2^i channels, 3×3, stride 2 and 2 subunits for the first block, stride 1 and 3
 * subunits after) → global average pool (use_global_pool) or flatten → `classifier.0` (LazyLinear)
 * → logits [N, num_classes]; no softmax.
 *
 * With global pooling H and W are dynamic, unless the caller fixes the crop size (`cropSize`: the
 * classifier's min_size, the crops HiTMicTools' CellClassifier makes), which onnxruntime runs about
 * 5–10 % faster. Without pooling the Linear's in_features fixes the crop size: the graph takes
 * [N, C, S, S] with S = cropSize or min_size when that fits the checkpoint, else the largest S that
 * does (with a warning).
 */
import { ArchitectureArgsError } from './errors';
import { padBottomRight, spatialSize } from './graph';
import { monaiOptions, residualPadding, residualUnit, samePadding, type MonaiOptions } from './monai-blocks';
import { bool, int, onlyKnownArgs, type Args, type Pair } from './model-args';
import type { ArchitectureIO, Net } from './net';

const RESIDUAL_UNIT_KWARGS = [
  'act',
  'norm',
  'dropout',
  'dropout_dim',
  'dilation',
  'bias',
  'last_conv_only',
  'padding',
  'adn_ordering',
] as const;

export const FLEXRESNET_ARGS = [
  'num_classes',
  'in_channels',
  'min_size',
  'initial_filters',
  'num_blocks',
  'use_global_pool',
  ...RESIDUAL_UNIT_KWARGS,
] as const;

const KERNEL: Pair = [3, 3];
/** Largest crop side tried when the classifier's in_features has to tell the crop size. */
const MAX_CROP = 4096;

interface Block {
  stride: number;
  subunits: number;
}

const convOut = (size: number, pad: number, dilation: number, stride: number, k = 3): number =>
  Math.floor((size + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;

/**
 * The side of the feature map after the blocks for an S×S crop, or null when a block's conv path
 * and residual disagree in size (torch would fail to add them) or the map vanishes.
 */
function featureSide(S: number, blocks: Block[], pad: Pair, o: MonaiOptions): number | null {
  let size = S;
  for (const b of blocks) {
    let y = size;
    for (let su = 0; su < b.subunits; su++) y = convOut(y, pad[0], o.dilation[0], su === 0 ? b.stride : 1);
    const residual = b.stride === 1 ? size : convOut(size, pad[0], 1, b.stride);
    if (y !== residual || y < 1) return null;
    size = y;
  }
  return size;
}

export function buildFlexResNet(net: Net, args: Args): ArchitectureIO {
  onlyKnownArgs(args, FLEXRESNET_ARGS, 'FlexResNet');
  const classes = int(args, 'num_classes', undefined, 1);
  const inC = int(args, 'in_channels', 1, 1);
  const minSize = int(args, 'min_size', 32, 0);
  const filters = int(args, 'initial_filters', 64, 1);
  const count = int(args, 'num_blocks', 2, 0);
  const globalPool = bool(args, 'use_global_pool', true);
  const lastConvOnly = bool(args, 'last_conv_only', false);
  const o = monaiOptions(args, null);
  const padding = residualPadding(args) ?? samePadding(KERNEL, o.dilation, 'dilation');
  if (padding[0] !== padding[1] || o.dilation[0] !== o.dilation[1])
    throw new ArchitectureArgsError(
      'padding',
      'differs between height and width; the converter builds square crops only',
      true,
    );
  const blocks: Block[] = Array.from({ length: count }, (_, i) => ({
    stride: i === 0 ? 2 : 1,
    subunits: i === 0 ? 2 : 3,
  }));
  if (featureSide(Math.max(minSize, 32), blocks, padding, o) === null)
    throw new ArchitectureArgsError(
      o.dilation[0] !== 1 ? 'dilation' : 'padding',
      `(dilation ${o.dilation[0]}, padding ${padding[0]}) makes a block's conv path and its residual differ in size, so FlexResNet fails in PyTorch too; only "same" padding with dilation 1 works`,
    );
  const lastC = count > 0 ? filters * 2 ** (count - 1) : inC;
  const { g, w } = net;

  let x = 'input';
  let dims: (number | string)[];
  let inFeatures: number;
  const crop = net.cropSize;
  if (crop !== undefined) {
    // A fixed crop size: static dims (onnxruntime plans a fixed-size graph) and constant padding.
    dims = ['N', inC, crop, crop];
    if (crop < minSize) x = padBottomRight(g, x, g.ints([minSize - crop, minSize - crop]), '/pad');
    const side = featureSide(Math.max(crop, minSize), blocks, padding, o);
    if (side === null)
      throw new ArchitectureArgsError(
        'min_size',
        `with crops of ${crop}×${crop} leaves no feature map after ${count} blocks`,
      );
    inFeatures = globalPool ? lastC : lastC * side * side;
  } else if (globalPool) {
    dims = ['N', inC, 'H', 'W'];
    inFeatures = lastC;
    if (minSize > 0) {
      const size = spatialSize(g, x, '/pad');
      const short = g.op('Sub', [g.ints([minSize, minSize]), size], '/pad');
      x = padBottomRight(g, x, g.op('Max', [short, g.ints([0, 0])], '/pad'), '/pad');
    }
  } else {
    const fitted = fittedCrop(net, classes, lastC, Math.max(1, minSize), blocks, padding, o);
    dims = ['N', inC, fitted.side, fitted.side];
    inFeatures = fitted.features;
  }

  let c = inC;
  blocks.forEach((b, i) => {
    const out = filters * 2 ** i;
    x = residualUnit(
      net,
      x,
      `features.${i}`,
      {
        inC: c,
        outC: out,
        stride: [b.stride, b.stride],
        kernel: KERNEL,
        subunits: b.subunits,
        lastConvOnly,
        padding,
        kernelArg: 'padding',
      },
      o,
    );
    c = out;
  });
  if (globalPool) x = g.op('GlobalAveragePool', [x], `/features.${count}`);
  x = g.op('Flatten', [x], '/flatten', { axis: { int: 1 } });
  const weight = w.take('classifier.0.weight', [classes, inFeatures]);
  const bias = w.take('classifier.0.bias', [classes]);
  g.rename(
    g.op('Gemm', [x, weight, bias], '/classifier.0', {
      alpha: { float: 1 },
      beta: { float: 1 },
      transB: { int: 1 },
    }),
    'output',
  );
  return {
    inputs: [{ name: 'input', type: 'float32', dims }],
    outputs: [{ name: 'output', type: 'float32', dims: ['N', classes] }],
  };
}

/** The crop side S and the classifier's in_features without global pooling (see the file comment). */
function fittedCrop(
  net: Net,
  classes: number,
  lastC: number,
  minSize: number,
  blocks: Block[],
  padding: Pair,
  o: MonaiOptions,
): { side: number; features: number } {
  const atMin = featureSide(minSize, blocks, padding, o);
  if (atMin === null)
    throw new ArchitectureArgsError(
      'min_size',
      `${minSize} is too small for ${blocks.length} blocks with this padding`,
    );
  const features = (side: number): number => lastC * side * side;
  const actual = net.w.shapeOf('classifier.0.weight');
  if (!actual || actual.length !== 2 || actual[0] !== classes || actual[1] === features(atMin))
    return { side: minSize, features: features(atMin) };
  // Stride 2 maps S = 2k − 1 and 2k to the same k: take the largest S that fits (crops are
  // usually an even min_size).
  let fit = 0;
  for (let S = minSize + 1; S <= MAX_CROP; S++) {
    const side = featureSide(S, blocks, padding, o);
    if (side === null) continue;
    if (features(side) > actual[1]) break;
    if (features(side) === actual[1]) fit = S;
  }
  if (fit) {
    net.warn(
      `FlexResNet without global pooling: classifier.0.weight has ${actual[1]} inputs, which a ${fit}×${fit} crop gives (min_size ${minSize} would give ${features(atMin)}); the converted model takes ${fit}×${fit} crops, so set the classifier's min_size to ${fit}`,
    );
    return { side: fit, features: actual[1] };
  }
  return { side: minSize, features: features(atMin) };
}

/**
 * NAFNet (HiTMicTools `model_arch/nafnet.py`, reference §5.1) as an ONNX graph, for any img_channel,
 * width, middle_blk_num, enc_blk_nums and dec_blk_nums:
 *
 * input [N, img_channel, H, W] → zero-pad bottom/right to multiples of 2^len(enc_blk_nums) (dynamic)
 * → intro → per level: NAFBlocks, keep the skip, 2×2 stride-2 down conv → middle NAFBlocks → per
 * level: 1×1 conv + PixelShuffle(2) (DepthToSpace, CRD), + skip, NAFBlocks → ending + padded input
 * (global residual) → crop back to H×W → output.
 *
 * NAFBlock(c): LayerNorm2d (over channels, biased variance, eps 1e-6) → 1×1 → 3×3 depthwise →
 * SimpleGate → SCA (global mean → 1×1 → scale) → 1×1 → y = inp + ·β; FFN: LayerNorm2d → 1×1 →
 * SimpleGate → 1×1 → y + ·γ. The op pattern follows torch.onnx's export of the same module, except
 * that LayerNorm2d's affine, β and γ are folded into the 1×1 convs next to them (./fold.ts).
 */
import { ArchitectureArgsError } from './errors';
import { padBottomRight, spatialSize } from './graph';
import { int, intList, onlyKnownArgs, type Args } from './model-args';
import { foldedConv1x1 } from './fold';
import { conv, scopeOf, type ArchitectureIO, type Net } from './net';

export const NAFNET_ARGS = [
  'img_channel',
  'width',
  'middle_blk_num',
  'enc_blk_nums',
  'dec_blk_nums',
] as const;

/**
 * LayerNorm2d's normalisation over the channel axis of each pixel (biased variance, eps 1e-6), as
 * torch.onnx exports it; its weight and bias are folded into the 1×1 conv that follows.
 */
function normalise(net: Net, x: string, key: string): string {
  const { g } = net;
  const s = scopeOf(key);
  const axes = { axes: { ints: [1] }, keepdims: { int: 1 } };
  const mean = g.op('ReduceMean', [x], s, axes);
  const d = g.op('Sub', [x, mean], s);
  const variance = g.op('ReduceMean', [g.op('Pow', [d, g.floats([2], [])], s)], s, axes);
  const std = g.op('Sqrt', [g.op('Add', [variance, g.floats([1e-6], [])], s)], s);
  return g.op('Div', [d, std], s);
}

/** SimpleGate: the first half of the channels times the second half. */
function simpleGate(net: Net, x: string, half: number, scope: string): string {
  const [a, b] = net.g.ops('Split', [x, net.g.ints([half, half])], scope, 2, { axis: { int: 1 } });
  return net.g.op('Mul', [a, b], scope);
}

function nafBlock(net: Net, inp: string, key: string, c: number): string {
  const { g } = net;
  const s = scopeOf(key);
  const dw = 2 * c;
  const norm1 = { scale: `${key}.norm1.weight`, shift: `${key}.norm1.bias` };
  let x = foldedConv1x1(net, normalise(net, inp, `${key}.norm1`), `${key}.conv1`, c, dw, norm1);
  x = conv(net, x, `${key}.conv2`, dw, dw, { kernel: [3, 3], pad: [1, 1], groups: dw, bias: true });
  x = simpleGate(net, x, c, `${s}/sg`);
  const pooled = g.op('GlobalAveragePool', [x], `${s}/sca`);
  const attention = conv(net, pooled, `${key}.sca.1`, c, c, { kernel: [1, 1], bias: true });
  x = g.op('Mul', [x, attention], s);
  // y = inp + conv3(x)·β
  const y = g.op('Add', [inp, foldedConv1x1(net, x, `${key}.conv3`, c, c, { gain: `${key}.beta` })], s);
  const norm2 = { scale: `${key}.norm2.weight`, shift: `${key}.norm2.bias` };
  x = foldedConv1x1(net, normalise(net, y, `${key}.norm2`), `${key}.conv4`, c, 2 * c, norm2);
  x = simpleGate(net, x, c, `${s}/sg_1`);
  // y + conv5(x)·γ
  return g.op('Add', [y, foldedConv1x1(net, x, `${key}.conv5`, c, c, { gain: `${key}.gamma` })], s);
}

export function buildNafnet(net: Net, args: Args): ArchitectureIO {
  onlyKnownArgs(args, NAFNET_ARGS, 'NAFNet');
  const img = int(args, 'img_channel', 3, 1);
  const width = int(args, 'width', 16, 1);
  const middle = int(args, 'middle_blk_num', 1, 0);
  const enc = intList(args, 'enc_blk_nums', [], 0);
  const dec = intList(args, 'dec_blk_nums', [], 0);
  if (dec.length !== enc.length)
    throw new ArchitectureArgsError(
      'dec_blk_nums',
      `has ${dec.length} levels but enc_blk_nums has ${enc.length}: NAFNet's decoder must mirror its encoder (with fewer decoders the output has the wrong channel count; with more, their weights are never used)`,
    );
  const { g } = net;
  const input = 'input';
  const levels = enc.length;
  let padded = input;
  let size = '';
  if (levels > 0) {
    // pad = (p − size mod p) mod p, per spatial axis, p = 2^levels.
    const p = g.ints([2 ** levels, 2 ** levels]);
    size = spatialSize(g, input, '/pad');
    const amounts = g.op('Mod', [g.op('Sub', [p, g.op('Mod', [size, p], '/pad')], '/pad'), p], '/pad');
    padded = padBottomRight(g, input, amounts, '/pad');
  }
  let x = conv(net, padded, 'intro', img, width, { kernel: [3, 3], pad: [1, 1], bias: true });
  let chan = width;
  const skips: string[] = [];
  enc.forEach((n, i) => {
    for (let j = 0; j < n; j++) x = nafBlock(net, x, `encoders.${i}.${j}`, chan);
    skips.push(x);
    x = conv(net, x, `downs.${i}`, chan, 2 * chan, { kernel: [2, 2], stride: [2, 2], bias: true });
    chan *= 2;
  });
  for (let j = 0; j < middle; j++) x = nafBlock(net, x, `middle_blks.${j}`, chan);
  dec.forEach((n, i) => {
    x = conv(net, x, `ups.${i}.0`, chan, 2 * chan, { kernel: [1, 1], bias: false });
    x = g.op('DepthToSpace', [x], scopeOf(`ups.${i}.1`), { blocksize: { int: 2 }, mode: { string: 'CRD' } });
    chan /= 2;
    x = g.op('Add', [x, skips[levels - 1 - i]], scopeOf(`ups.${i}`));
    for (let j = 0; j < n; j++) x = nafBlock(net, x, `decoders.${i}.${j}`, chan);
  });
  x = conv(net, x, 'ending', width, img, { kernel: [3, 3], pad: [1, 1], bias: true });
  x = g.op('Add', [x, padded], '/residual');
  if (levels > 0) x = g.op('Slice', [x, g.ints([0, 0]), size, g.ints([2, 3])], '/crop');
  g.rename(x, 'output');
  return {
    inputs: [{ name: 'input', type: 'float32', dims: ['N', img, 'H', 'W'] }],
    outputs: [{ name: 'output', type: 'float32', dims: ['N', img, 'H', 'W'] }],
  };
}

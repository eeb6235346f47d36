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
 * SimpleGate → 1×1 → y + ·γ. The op pattern follows torch.onnx's export of the same module.
 */
import { ArchitectureArgsError } from './errors';
import { padBottomRight, spatialSize } from './graph';
import { int, intList, onlyKnownArgs, type Args } from './model-args';
import { conv, scopeOf, type ArchitectureIO, type Net } from './net';

export const NAFNET_ARGS = [
  'img_channel',
  'width',
  'middle_blk_num',
  'enc_blk_nums',
  'dec_blk_nums',
] as const;

/** LayerNorm2d at `key`: normalise over the channel axis of each pixel, then weight·y + bias. */
function layerNorm2d(net: Net, x: string, key: string, c: number): string {
  const { g, w } = net;
  const s = scopeOf(key);
  const axes = { axes: { ints: [1] }, keepdims: { int: 1 } };
  const mean = g.op('ReduceMean', [x], s, axes);
  const d = g.op('Sub', [x, mean], s);
  const variance = g.op('ReduceMean', [g.op('Pow', [d, g.floats([2], [])], s)], s, axes);
  const std = g.op('Sqrt', [g.op('Add', [variance, g.floats([1e-6], [])], s)], s);
  const y = g.op('Div', [d, std], s);
  const scaled = g.op('Mul', [w.take(`${key}.weight`, [c], [1, c, 1, 1]), y], s);
  return g.op('Add', [scaled, w.take(`${key}.bias`, [c], [1, c, 1, 1])], s);
}

/** SimpleGate: the first half of the channels times the second half. */
function simpleGate(net: Net, x: string, half: number, scope: string): string {
  const [a, b] = net.g.ops('Split', [x, net.g.ints([half, half])], scope, 2, { axis: { int: 1 } });
  return net.g.op('Mul', [a, b], scope);
}

function nafBlock(net: Net, inp: string, key: string, c: number): string {
  const { g, w } = net;
  const s = scopeOf(key);
  const dw = 2 * c;
  const one = { kernel: [1, 1] as [number, number], bias: true };
  let x = layerNorm2d(net, inp, `${key}.norm1`, c);
  x = conv(net, x, `${key}.conv1`, c, dw, one);
  x = conv(net, x, `${key}.conv2`, dw, dw, { kernel: [3, 3], pad: [1, 1], groups: dw, bias: true });
  x = simpleGate(net, x, c, `${s}/sg`);
  const attention = conv(net, g.op('GlobalAveragePool', [x], `${s}/sca`), `${key}.sca.1`, c, c, one);
  x = g.op('Mul', [x, attention], s);
  x = conv(net, x, `${key}.conv3`, c, c, one);
  const y = g.op('Add', [inp, g.op('Mul', [x, w.take(`${key}.beta`, [1, c, 1, 1])], s)], s);
  x = conv(net, layerNorm2d(net, y, `${key}.norm2`, c), `${key}.conv4`, c, 2 * c, one);
  x = conv(net, simpleGate(net, x, c, `${s}/sg_1`), `${key}.conv5`, c, c, one);
  return g.op('Add', [y, g.op('Mul', [x, w.take(`${key}.gamma`, [1, c, 1, 1])], s)], s);
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

/**
 * The norm ("N") and activation ("A") layers of MONAI's ADN block (monai.networks.blocks.ADN), as
 * MONAI's factories build them for 2D features of C channels, in ONNX opset 17. Dropout ("D") is the
 * identity at inference and has no parameters. `checkNorm`/`checkAct` validate a specifier up
 * front (so `collection inspect` reports it even without a checkpoint); the emitters assume it.
 *
 * Norms: instance (InstanceNorm2d; affine and track_running_stats honoured), batch / syncbatch
 * (BatchNorm2d with running statistics), group (GroupNorm), layer (LayerNorm over the trailing
 * `normalized_shape`). Activations: relu, leakyrelu, prelu (1 or C slopes), relu6, elu, selu,
 * celu, gelu (exact or tanh), sigmoid, tanh, swish, memswish, mish, softmax, logsoftmax.
 */
import { ArchitectureArgsError } from './errors';
import { flag, num, type LayerSpec } from './model-args';
import { scopeOf, type Net } from './net';

const NORMS = ['instance', 'instance_nvfuser', 'batch', 'syncbatch', 'group', 'layer'];
const ACTS = [
  'relu',
  'leakyrelu',
  'prelu',
  'relu6',
  'elu',
  'selu',
  'celu',
  'gelu',
  'sigmoid',
  'tanh',
  'swish',
  'memswish',
  'mish',
  'softmax',
  'logsoftmax',
];

function ints(spec: LayerSpec, key: string, argKey: string): number[] | undefined {
  const v = spec.args[argKey];
  if (v === undefined || v === null) return undefined;
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => Number.isInteger(x) && x > 0))
    throw new ArchitectureArgsError(
      key,
      `${spec.name} argument ${argKey} must be a positive integer or a list of them, got ${JSON.stringify(v)}`,
    );
  return list as number[];
}

export function checkNorm(spec: LayerSpec | null): void {
  if (!spec) return;
  if (spec.name === 'localresponse')
    throw new ArchitectureArgsError(
      'norm',
      'is "localresponse": the converter has no exact ONNX form for torch LocalResponseNorm; export this model with torch.onnx.export instead',
      true,
    );
  if (!NORMS.includes(spec.name))
    throw new ArchitectureArgsError(
      'norm',
      `names an unknown MONAI norm "${spec.name}" (MONAI has ${NORMS.join(', ')}, localresponse)`,
    );
  num(spec, 'norm', 'eps', 1e-5);
  flag(spec, 'norm', 'affine', true);
  flag(spec, 'norm', 'track_running_stats', true);
  if (
    (spec.name === 'batch' || spec.name === 'syncbatch') &&
    !flag(spec, 'norm', 'track_running_stats', true)
  )
    throw new ArchitectureArgsError(
      'norm',
      'is a BatchNorm without running statistics: at inference it normalises each batch by its own statistics, which a converted model cannot reproduce across sliding-window batches',
      true,
    );
  if (spec.name === 'group' && ints(spec, 'norm', 'num_groups') === undefined)
    throw new ArchitectureArgsError('norm', 'is "group" without num_groups (GroupNorm requires it)');
  if (spec.name === 'layer' && ints(spec, 'norm', 'normalized_shape') === undefined)
    throw new ArchitectureArgsError('norm', 'is "layer" without normalized_shape (LayerNorm requires it)');
}

export function checkAct(spec: LayerSpec | null): void {
  if (!spec) return;
  if (spec.name === 'geglu')
    throw new ArchitectureArgsError(
      'act',
      'is "geglu", which splits the width axis; the converter does not build it',
      true,
    );
  if (!ACTS.includes(spec.name))
    throw new ArchitectureArgsError(
      'act',
      `names an unknown MONAI activation "${spec.name}" (MONAI has ${ACTS.join(', ')}, geglu)`,
    );
  if (spec.name === 'gelu') {
    const a = spec.args.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh')
      throw new ArchitectureArgsError(
        'act',
        `gelu argument approximate must be "none" or "tanh", got ${JSON.stringify(a)}`,
      );
  }
  if (spec.name === 'prelu') ints(spec, 'act', 'num_parameters');
  for (const k of ['negative_slope', 'alpha', 'dim']) num(spec, 'act', k, 0);
}

const fill = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);

/** The norm layer registered at `key` (e.g. `model.0.adn.N`) on C channels. */
export function norm(net: Net, x: string, key: string, spec: LayerSpec, C: number): string {
  const { g, w } = net;
  const scope = scopeOf(key);
  const eps = num(spec, 'norm', 'eps', 1e-5);
  switch (spec.name) {
    case 'instance':
    case 'instance_nvfuser':
    case 'batch':
    case 'syncbatch': {
      const instance = spec.name.startsWith('instance');
      const affine = flag(spec, 'norm', 'affine', !instance);
      const track = flag(spec, 'norm', 'track_running_stats', !instance);
      const scale = affine ? w.take(`${key}.weight`, [C]) : g.floats(fill(C, 1));
      const bias = affine ? w.take(`${key}.bias`, [C]) : g.floats(fill(C, 0));
      if (!track) return g.op('InstanceNormalization', [x, scale, bias], scope, { epsilon: { float: eps } });
      // In eval mode a norm with running statistics is a per-channel affine map: BatchNormalization.
      const mean = w.take(`${key}.running_mean`, [C]);
      const variance = w.take(`${key}.running_var`, [C]);
      w.skip(`${key}.num_batches_tracked`, []);
      return g.op('BatchNormalization', [x, scale, bias, mean, variance], scope, { epsilon: { float: eps } });
    }
    case 'group': {
      const groups = (ints(spec, 'norm', 'num_groups') as number[])[0];
      if (C % groups !== 0)
        throw new ArchitectureArgsError(
          'norm',
          `group num_groups ${groups} does not divide the ${C} channels of ${key}`,
        );
      const affine = flag(spec, 'norm', 'affine', true);
      // GroupNormalization is opset 18: normalise [N, G, C/G·H·W] per row with InstanceNormalization.
      const shape = g.op('Shape', [x], scope);
      const rows = g.op('Reshape', [x, g.ints([0, groups, -1])], scope);
      const normed = g.op(
        'InstanceNormalization',
        [rows, g.floats(fill(groups, 1)), g.floats(fill(groups, 0))],
        scope,
        {
          epsilon: { float: eps },
        },
      );
      const y = g.op('Reshape', [normed, shape], scope);
      if (!affine) return y;
      const scaled = g.op('Mul', [y, w.take(`${key}.weight`, [C], [C, 1, 1])], scope);
      return g.op('Add', [scaled, w.take(`${key}.bias`, [C], [C, 1, 1])], scope);
    }
    case 'layer': {
      const shape = ints(spec, 'norm', 'normalized_shape') as number[];
      if (shape.length > 3)
        throw new ArchitectureArgsError(
          'norm',
          `layer normalized_shape (${shape.join(',')}) has more axes than a [N,C,H,W] feature map`,
        );
      const affine = flag(spec, 'norm', 'elementwise_affine', true);
      const withBias = affine && flag(spec, 'norm', 'bias', true);
      const n = shape.reduce((a, s) => a * s, 1);
      const scale = affine ? w.take(`${key}.weight`, shape) : g.floats(fill(n, 1), shape);
      const inputs = withBias ? [x, scale, w.take(`${key}.bias`, shape)] : [x, scale];
      return g.op('LayerNormalization', inputs, scope, {
        axis: { int: -shape.length },
        epsilon: { float: eps },
      });
    }
    default:
      throw new Error(`internal: norm ${spec.name} passed checkNorm`);
  }
}

/** The activation registered at `key` (e.g. `model.0.adn.A`) on C channels. */
export function act(net: Net, x: string, key: string, spec: LayerSpec, C: number): string {
  const { g, w } = net;
  const scope = scopeOf(key);
  const unary = (op: string, v = x): string => g.op(op, [v], scope);
  const scalar = (v: number): string => g.floats([v], []);
  switch (spec.name) {
    case 'relu':
      return unary('Relu');
    case 'leakyrelu':
      return g.op('LeakyRelu', [x], scope, { alpha: { float: num(spec, 'act', 'negative_slope', 0.01) } });
    case 'prelu': {
      const n = (ints(spec, 'act', 'num_parameters') ?? [1])[0];
      if (n !== 1 && n !== C)
        throw new ArchitectureArgsError(
          'act',
          `prelu num_parameters ${n} is neither 1 nor the ${C} channels of ${key}`,
        );
      // Slopes broadcast over [C, H, W] as torch exports them ([1,1,1] for one shared slope).
      return g.op('PRelu', [x, w.take(`${key}.weight`, [n], [n, 1, 1])], scope);
    }
    case 'relu6':
      return g.op('Clip', [x, scalar(0), scalar(6)], scope);
    case 'elu':
      return g.op('Elu', [x], scope, { alpha: { float: num(spec, 'act', 'alpha', 1) } });
    case 'selu':
      // torch's SELU constants (ONNX's defaults are their float32 roundings too).
      return g.op('Selu', [x], scope, {
        alpha: { float: 1.6732632423543772 },
        gamma: { float: 1.0507009873554805 },
      });
    case 'celu':
      return g.op('Celu', [x], scope, { alpha: { float: num(spec, 'act', 'alpha', 1) } });
    case 'gelu': {
      if ((spec.args.approximate ?? 'none') === 'tanh') {
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        const cube = g.op('Mul', [g.op('Mul', [x, x], scope), x], scope);
        const inner = g.op('Add', [x, g.op('Mul', [cube, scalar(0.044715)], scope)], scope);
        const t = unary('Tanh', g.op('Mul', [inner, scalar(Math.sqrt(2 / Math.PI))], scope));
        return g.op('Mul', [g.op('Mul', [x, g.op('Add', [t, scalar(1)], scope)], scope), scalar(0.5)], scope);
      }
      // x·0.5·(1 + erf(x/√2)), as torch.onnx exports it (onnxruntime fuses it into one Gelu).
      const erf = unary('Erf', g.op('Div', [x, scalar(Math.SQRT2)], scope));
      return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, scalar(1)], scope)], scope), scalar(0.5)], scope);
    }
    case 'sigmoid':
      return unary('Sigmoid');
    case 'tanh':
      return unary('Tanh');
    case 'swish':
    case 'memswish': {
      // MONAI Swish(alpha): x·sigmoid(alpha·x); MemoryEfficientSwish: x·sigmoid(x).
      const alpha = spec.name === 'swish' ? num(spec, 'act', 'alpha', 1) : 1;
      const z = alpha === 1 ? x : g.op('Mul', [x, scalar(alpha)], scope);
      return g.op('Mul', [x, unary('Sigmoid', z)], scope);
    }
    case 'mish':
      return g.op('Mul', [x, unary('Tanh', unary('Softplus'))], scope);
    case 'softmax':
    case 'logsoftmax':
      // nn.Softmax(dim=None) on a 4D input picks dim 1 (torch's _get_softmax_dim).
      return g.op(spec.name === 'softmax' ? 'Softmax' : 'LogSoftmax', [x], scope, {
        axis: { int: num(spec, 'act', 'dim', 1) },
      });
    default:
      throw new Error(`internal: activation ${spec.name} passed checkAct`);
  }
}

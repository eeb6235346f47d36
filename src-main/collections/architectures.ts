/**
 * The state_dict each HiTMicTools architecture has for given metadata `model_args`: NAFNet
 * (focus restorers), MONAI 1.5 UNet (segmentation) and FlexResNet (cell classifier), following
 * reference §5. Comparing a checkpoint against it names the missing key, the unexpected key or
 * the mismatching shape: the "invalid model metadata" HiTMicTools reports only as "Loaded state
 * dictionary does not match the model architecture".
 */
import type { CollectionProblem, StateDictTensor } from '../../src-shared/collections';

/** Expected tensor shapes by key; `null` dims match any size. */
export type ExpectedStateDict = Map<string, (number | null)[]>;

type Args = Record<string, unknown>;

function int(args: Args, key: string, fallback?: number): number {
  const v = args[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new ArchitectureArgsError(key, 'is required');
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new ArchitectureArgsError(key, `must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

function intList(args: Args, key: string, fallback?: number[]): number[] {
  const v = args[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new ArchitectureArgsError(key, 'is required');
    return fallback;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x)))
    throw new ArchitectureArgsError(key, `must be a list of integers, got ${JSON.stringify(v)}`);
  return v as number[];
}

/** Name of a MONAI layer option given as `"PRELU"` or `["prelu", {...}]`, lower-cased. */
function layerName(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v.toLowerCase();
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].toLowerCase();
  return v === null ? 'none' : fallback;
}
function layerOpts(v: unknown): Args {
  return Array.isArray(v) && v[1] && typeof v[1] === 'object' ? (v[1] as Args) : {};
}

export class ArchitectureArgsError extends Error {
  override readonly name = 'ArchitectureArgsError';
  constructor(
    readonly key: string,
    why: string,
  ) {
    super(`model_args.${key} ${why}`);
  }
}

interface MonaiOpts {
  dims: number;
  act: unknown;
  norm: unknown;
  bias: boolean;
}

class Builder {
  readonly sd: ExpectedStateDict = new Map();
  add(key: string, shape: (number | null)[]): void {
    this.sd.set(key, shape);
  }
  conv(p: string, out: number, inp: number, k: number, dims: number, bias = true, transposed = false): void {
    this.add(`${p}.weight`, [...(transposed ? [inp, out] : [out, inp]), ...Array(dims).fill(k)]);
    if (bias) this.add(`${p}.bias`, [out]);
  }
  /** MONAI Convolution: `conv` plus ADN (norm → dropout → act) unless conv_only. */
  monaiConv(
    p: string,
    inp: number,
    out: number,
    k: number,
    o: MonaiOpts,
    transposed: boolean,
    convOnly: boolean,
  ): void {
    this.conv(`${p}.conv`, out, inp, k, o.dims, o.bias, transposed);
    if (convOnly) return;
    const norm = layerName(o.norm, 'instance');
    const nopts = layerOpts(o.norm);
    if (norm === 'batch') {
      for (const s of ['weight', 'bias', 'running_mean', 'running_var']) this.add(`${p}.adn.N.${s}`, [out]);
      this.add(`${p}.adn.N.num_batches_tracked`, []);
    } else if ((norm === 'instance' && nopts.affine === true) || norm === 'group' || norm === 'layer') {
      this.add(`${p}.adn.N.weight`, [null]);
      this.add(`${p}.adn.N.bias`, [null]);
    }
    if (layerName(o.act, 'prelu') === 'prelu') {
      const n = layerOpts(o.act).num_parameters;
      this.add(`${p}.adn.A.weight`, [typeof n === 'number' ? n : 1]);
    }
  }
  /** MONAI ResidualUnit: `conv.unit{k}` subunits and a `residual` conv when shape changes. */
  residualUnit(
    p: string,
    inp: number,
    out: number,
    stride: number,
    k: number,
    subunits: number,
    lastConvOnly: boolean,
    o: MonaiOpts,
  ): void {
    const n = Math.max(1, subunits);
    for (let su = 0; su < n; su++)
      this.monaiConv(
        `${p}.conv.unit${su}`,
        su === 0 ? inp : out,
        out,
        k,
        o,
        false,
        lastConvOnly && su === n - 1,
      );
    if (stride !== 1 || inp !== out)
      this.conv(`${p}.residual`, out, inp, stride !== 1 ? k : 1, o.dims, o.bias);
  }
}

/** NAFNet(img_channel, width, middle_blk_num, enc_blk_nums, dec_blk_nums) (reference §5.1). */
export function nafnetStateDict(args: Args): ExpectedStateDict {
  const img = int(args, 'img_channel', 3);
  const width = int(args, 'width', 16);
  const middle = int(args, 'middle_blk_num', 1);
  const enc = intList(args, 'enc_blk_nums', []);
  const dec = intList(args, 'dec_blk_nums', []);
  const b = new Builder();
  const block = (p: string, c: number): void => {
    const dw = 2 * c;
    b.add(`${p}.beta`, [1, c, 1, 1]);
    b.add(`${p}.gamma`, [1, c, 1, 1]);
    b.conv(`${p}.conv1`, dw, c, 1, 2);
    b.conv(`${p}.conv2`, dw, 1, 3, 2);
    b.conv(`${p}.conv3`, c, dw / 2, 1, 2);
    b.conv(`${p}.sca.1`, dw / 2, dw / 2, 1, 2);
    b.conv(`${p}.conv4`, 2 * c, c, 1, 2);
    b.conv(`${p}.conv5`, c, c, 1, 2);
    for (const nrm of ['norm1', 'norm2']) {
      b.add(`${p}.${nrm}.weight`, [c]);
      b.add(`${p}.${nrm}.bias`, [c]);
    }
  };
  b.conv('intro', width, img, 3, 2);
  b.conv('ending', img, width, 3, 2);
  let chan = width;
  enc.forEach((n, i) => {
    for (let j = 0; j < n; j++) block(`encoders.${i}.${j}`, chan);
    b.conv(`downs.${i}`, 2 * chan, chan, 2, 2);
    chan *= 2;
  });
  for (let j = 0; j < middle; j++) block(`middle_blks.${j}`, chan);
  dec.forEach((n, i) => {
    b.conv(`ups.${i}.0`, 2 * chan, chan, 1, 2, false);
    chan /= 2;
    for (let j = 0; j < n; j++) block(`decoders.${i}.${j}`, chan);
  });
  return b.sd;
}

function monaiOpts(args: Args, dims: number): MonaiOpts {
  return { dims, act: args.act ?? 'PRELU', norm: args.norm ?? 'INSTANCE', bias: args.bias !== false };
}

/** FlexResNet(num_classes, in_channels, initial_filters, num_blocks, use_global_pool, **ResidualUnit kwargs) (§5.2). */
export function flexResNetStateDict(args: Args): ExpectedStateDict {
  const classes = int(args, 'num_classes');
  let inp = int(args, 'in_channels', 1);
  const filters = int(args, 'initial_filters', 64);
  const blocks = int(args, 'num_blocks', 2);
  const o = monaiOpts(args, 2);
  const b = new Builder();
  let out = inp;
  for (let i = 0; i < blocks; i++) {
    out = filters * 2 ** i;
    b.residualUnit(
      `features.${i}`,
      inp,
      out,
      i === 0 ? 2 : 1,
      3,
      i === 0 ? 2 : 3,
      args.last_conv_only === true,
      o,
    );
    inp = out;
  }
  b.add('classifier.0.weight', [classes, args.use_global_pool === false ? null : out]);
  b.add('classifier.0.bias', [classes]);
  return b.sd;
}

/** MONAI 1.5 `UNet` (§5.3): recursive down / SkipConnection(submodule) / up blocks under `model`. */
export function monaiUnetStateDict(args: Args): ExpectedStateDict {
  const dims = int(args, 'spatial_dims', 2);
  const inC = int(args, 'in_channels', 1);
  const outC = int(args, 'out_channels', 1);
  const channels = intList(args, 'channels');
  const strides = intList(args, 'strides');
  const k = int(args, 'kernel_size', 3);
  const upk = int(args, 'up_kernel_size', 3);
  const nres = int(args, 'num_res_units', 0);
  if (channels.length < 2) throw new ArchitectureArgsError('channels', 'needs at least 2 entries');
  if (strides.length < channels.length - 1)
    throw new ArchitectureArgsError(
      'strides',
      `needs ${channels.length - 1} entries (one fewer than channels)`,
    );
  const o = monaiOpts(args, dims);
  const b = new Builder();
  const down = (p: string, i: number, c: number, s: number): void => {
    if (nres > 0) b.residualUnit(p, i, c, s, k, nres, false, o);
    else b.monaiConv(p, i, c, k, o, false, false);
  };
  const up = (p: string, i: number, c: number, isTop: boolean): void => {
    if (nres > 0) {
      b.monaiConv(`${p}.0`, i, c, upk, o, true, false);
      b.residualUnit(`${p}.1`, c, c, 1, k, 1, isTop, o);
    } else b.monaiConv(p, i, c, upk, o, true, isTop);
  };
  const block = (p: string, inc: number, outc: number, ch: number[], st: number[], isTop: boolean): void => {
    const c = ch[0];
    let upc: number;
    if (ch.length > 2) {
      block(`${p}.1.submodule`, c, c, ch.slice(1), st.slice(1), false);
      upc = 2 * c;
    } else {
      down(`${p}.1.submodule`, c, ch[1], 1);
      upc = c + ch[1];
    }
    down(`${p}.0`, inc, c, st[0]);
    up(`${p}.2`, upc, outc, isTop);
  };
  block('model', inC, outC, channels, strides, true);
  return b.sd;
}

/** Architecture HiTMicTools builds for a key, or null when it has no state_dict check. */
export function expectedStateDict(architecture: string, modelArgs: Args): ExpectedStateDict | null {
  switch (architecture) {
    case 'NAFNet':
      return nafnetStateDict(modelArgs);
    case 'FlexResNet':
      return flexResNetStateDict(modelArgs);
    case 'MonaiUnet':
      return monaiUnetStateDict(modelArgs);
    default:
      return null;
  }
}

const LIST = 5;
function some(keys: string[]): string {
  return keys.slice(0, LIST).join(', ') + (keys.length > LIST ? ` and ${keys.length - LIST} more` : '');
}

/** Compares a checkpoint's tensors with the expected state_dict; one problem per kind of difference. */
export function compareStateDict(
  expected: ExpectedStateDict,
  actual: StateDictTensor[],
  architecture: string,
  where: string,
): CollectionProblem[] {
  const problems: CollectionProblem[] = [];
  const have = new Map(actual.map((t) => [t.name, t.shape]));
  if (actual.length && actual.every((t) => t.name.startsWith('_orig_mod.'))) {
    return [
      {
        severity: 'error',
        code: 'state-dict-mismatch',
        path: where,
        message: `Every key starts with '_orig_mod.': the checkpoint was saved from a torch.compile()d model`,
        fix: "Re-save in Python: torch.save({k.removeprefix('_orig_mod.'): v for k, v in sd.items()}, path).",
      },
    ];
  }
  const missing = [...expected.keys()].filter((k) => !have.has(k));
  const unexpected = [...have.keys()].filter((k) => !expected.has(k));
  const shapes: string[] = [];
  for (const [k, shape] of expected) {
    const got = have.get(k);
    if (!got) continue;
    if (got.length !== shape.length || shape.some((d, i) => d !== null && d !== got[i])) {
      shapes.push(
        `${k}: checkpoint has (${got.join(',')}), model_args imply (${shape.map((d) => d ?? '*').join(',')})`,
      );
    }
  }
  const fix = `The metadata's model_args do not describe this checkpoint: correct model_args in the metadata JSON (or use the matching weights) so ${architecture} is built with the shapes it was trained with.`;
  if (missing.length)
    problems.push({
      severity: 'error',
      code: 'state-dict-mismatch',
      path: where,
      message: `${missing.length} key(s) the ${architecture} of model_args needs are missing from the checkpoint: ${some(missing)}`,
      fix,
    });
  if (unexpected.length)
    problems.push({
      severity: 'error',
      code: 'state-dict-mismatch',
      path: where,
      message: `${unexpected.length} unexpected key(s) in the checkpoint for ${architecture}: ${some(unexpected)}`,
      fix,
    });
  if (shapes.length)
    problems.push({
      severity: 'error',
      code: 'state-dict-mismatch',
      path: where,
      message: `${shapes.length} shape mismatch(es): ${some(shapes)}`,
      fix,
    });
  return problems;
}

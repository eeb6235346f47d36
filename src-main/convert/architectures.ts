/**
 * The architectures HiTMicTools loads by name, and what each expects of a state_dict. Building an
 * architecture's graph is the one description of its state_dict (see ./weights.ts): the converter
 * builds it with the checkpoint's values; `collection inspect` builds it with only the checkpoint's
 * names and shapes and compares. A mismatch names the missing key, the unexpected key or the shape
 * that differs — the "invalid model metadata" HiTMicTools reports only as "Loaded state dictionary
 * does not match the model architecture".
 */
import type { CollectionProblem, StateDictTensor } from '../../src-shared/collections';
import { buildFlexResNet } from './flexresnet';
import { NetGraph } from './graph';
import type { Args } from './model-args';
import { buildMonaiUnet } from './monai-unet';
import { buildNafnet } from './nafnet';
import type { ArchitectureIO, Net } from './net';
import { Weights, type SourceTensor } from './weights';

export interface Architecture {
  /** The name HiTMicTools uses in its logs and metadata file names. */
  name: string;
  build(net: Net, args: Args): ArchitectureIO;
}

const NAFNET: Architecture = { name: 'NAFNet', build: buildNafnet };
const MONAI_UNET: Architecture = { name: 'MonaiUnet', build: buildMonaiUnet };
const FLEXRESNET: Architecture = { name: 'FlexResNet', build: buildFlexResNet };

/** Lower-cased spellings → architecture (metadata file prefixes, model_type values, class names). */
const BY_NAME: Record<string, Architecture> = {
  nafnet: NAFNET,
  monaiunet: MONAI_UNET,
  unet: MONAI_UNET,
  flexresnet: FLEXRESNET,
};

/** The convertible architecture of a name, case-insensitively ('NAFNet', 'MonaiUnet', 'UNet', 'FlexResNet'). */
export function architectureOf(name: string): Architecture | null {
  return BY_NAME[name.trim().toLowerCase()] ?? null;
}

/** Whether convertTorchModel can build `architecture` (case-insensitive). */
export function convertibleArchitecture(architecture: string): boolean {
  return architectureOf(architecture) !== null;
}

/** Expected tensor shapes by key; `null` dims match any size (kept for callers that compare loosely). */
export type ExpectedStateDict = Map<string, (number | null)[]>;

/**
 * The state_dict `architecture` has for `modelArgs`, or null for an architecture that is not
 * converted here (RF-DETR, the PI classifier). `tensors`, the checkpoint's listing, settles the
 * shapes model_args leave open (FlexResNet's LazyLinear without global pooling). Throws
 * ArchitectureArgsError for model_args the constructor would refuse.
 */
export function expectedStateDict(
  architecture: string,
  modelArgs: Args,
  tensors: StateDictTensor[] = [],
): ExpectedStateDict | null {
  const arch = architectureOf(architecture);
  if (!arch) return null;
  const source = new Map<string, SourceTensor>(tensors.map((t) => [t.name, { shape: t.shape }]));
  const weights = new Weights(source, null, false);
  arch.build({ g: new NetGraph(), w: weights, warn: () => undefined }, modelArgs);
  return new Map(weights.expected);
}

/** NAFNet(img_channel, width, middle_blk_num, enc_blk_nums, dec_blk_nums) (reference §5.1). */
export const nafnetStateDict = (args: Args): ExpectedStateDict =>
  expectedStateDict('NAFNet', args) as ExpectedStateDict;
/** FlexResNet(num_classes, …, **ResidualUnit kwargs) (reference §5.2). */
export const flexResNetStateDict = (args: Args, tensors?: StateDictTensor[]): ExpectedStateDict =>
  expectedStateDict('FlexResNet', args, tensors) as ExpectedStateDict;
/** MONAI 1.5 UNet (reference §5.3). */
export const monaiUnetStateDict = (args: Args): ExpectedStateDict =>
  expectedStateDict('MonaiUnet', args) as ExpectedStateDict;

const LIST = 5;
function some(keys: string[]): string {
  return keys.slice(0, LIST).join(', ') + (keys.length > LIST ? ` and ${keys.length - LIST} more` : '');
}

/** Why every key of a checkpoint carries a prefix HiTMicTools' load_state_dict would choke on, or null. */
export function wrappedStateDict(names: string[]): { prefix: string; why: string; fix: string } | null {
  if (!names.length) return null;
  for (const [prefix, why] of [
    ['_orig_mod.', 'the checkpoint was saved from a torch.compile()d model'],
    ['module.', 'the checkpoint was saved from a DataParallel/DistributedDataParallel wrapper'],
  ] as const) {
    if (names.every((n) => n.startsWith(prefix)))
      return {
        prefix,
        why,
        fix: `Re-save in Python: torch.save({k.removeprefix('${prefix}'): v for k, v in sd.items()}, path).`,
      };
  }
  return null;
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
  const wrapped = wrappedStateDict(actual.map((t) => t.name));
  if (wrapped) {
    return [
      {
        severity: 'error',
        code: 'state-dict-mismatch',
        path: where,
        message: `Every key starts with '${wrapped.prefix}': ${wrapped.why}`,
        fix: wrapped.fix,
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

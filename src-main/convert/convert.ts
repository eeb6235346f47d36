/**
 * convertTorchModel: a HiTMicTools PyTorch state_dict (`.pth`) plus its metadata's `model_args` →
 * an ONNX model (opset 17) that computes what the PyTorch module computes, with the interface of
 * the demo collection's torch exports: input `input` [N, C, H, W] (N, H, W dynamic), output
 * `output` (the same layout for restorers and the segmenter, [N, num_classes] logits for the
 * classifier). Every tensor of the state_dict must be used exactly once with the shape model_args
 * imply; anything else is a ConversionError naming the tensor.
 */
import { CheckpointError, encodeOnnxModel, readTorchStateDict, type TorchTensor } from '../io';
import { architectureOf, wrappedStateDict } from './architectures';
import { ArchitectureArgsError, ConversionError } from './errors';
import { NetGraph } from './graph';
import type { Args } from './model-args';
import { formatShape, Weights, type StateDictProblem } from './weights';

/** Bumped whenever the graphs this converter writes change, so cached conversions are redone. */
export const CONVERTER_VERSION = '1';
export const CONVERTER_OPSET = 17;
/** ONNX IR version 8 goes with opset 17 (ONNX 1.12), as torch 1.13 writes it. */
const IR_VERSION = 8;

export interface ConvertInput {
  /** The `.pth` file's bytes. */
  checkpoint: Uint8Array;
  /** HiTMicTools' architecture name, case-insensitive: NAFNet, MonaiUnet (or UNet), FlexResNet. */
  architecture: string;
  /** The metadata JSON's `model_args` (the constructor's keyword arguments). */
  modelArgs: Record<string, unknown>;
  /** The model key (e.g. `bf_focus`), recorded in the ONNX metadata and used in errors. */
  key?: string;
  /** The checkpoint's name for errors (e.g. `models/NAFNet-bf_focus_restoration.pth`). */
  file?: string;
  /**
   * FlexResNet only: the side of the crops the classifier will get (the run config's
   * cell_classifier min_size). Fixes the input's H and W, which onnxruntime runs 5–10 % faster than
   * dynamic ones; without it any crop size is accepted (and padded up to the architecture's
   * min_size), as in PyTorch. Part of what a cached conversion depends on.
   */
  cropSize?: number;
}

export interface ConvertResult {
  /** The ONNX model's bytes. */
  onnx: Uint8Array;
  /** How many state_dict tensors went into it (all of them). */
  tensors: number;
  opset: number;
  /** What the caller should show: weights widened or rounded to float32, inferred crop sizes. */
  warnings: string[];
}

const OUT_OF_SCOPE: Record<string, string> = {
  rfdetr: 'RF-DETR detectors are built by the rfdetr package',
  rfdetrbase: 'RF-DETR detectors are built by the rfdetr package',
  rfdetrsegm: 'RF-DETR-Seg / BacDETR segmenters are built by the rfdetr / bacdetr packages',
  rfdetrsegpreview: 'RF-DETR-Seg / BacDETR segmenters are built by the rfdetr / bacdetr packages',
  bacdetr: 'RF-DETR-Seg / BacDETR segmenters are built by the rfdetr / bacdetr packages',
  piclassifier: 'the PI classifier is a scikit-learn model, not a PyTorch one',
};

function describeProblem(
  p: StateDictProblem,
  arch: string,
): { what: string; expected: string; actual: string } {
  if (p.kind === 'missing')
    return {
      what: `the ${arch} that model_args describe needs tensor ${p.tensor} ${formatShape(p.expected ?? [])}, which the checkpoint lacks`,
      expected: formatShape(p.expected ?? []),
      actual: 'absent',
    };
  if (p.kind === 'unexpected')
    return {
      what: `the checkpoint holds tensor ${p.tensor} ${formatShape(p.actual ?? [])}, which the ${arch} that model_args describe has no place for`,
      expected: 'absent',
      actual: formatShape(p.actual ?? []),
    };
  return {
    what: `tensor ${p.tensor} has shape ${formatShape(p.actual ?? [])} in the checkpoint, model_args imply ${formatShape(p.expected ?? [])}`,
    expected: formatShape(p.expected ?? []),
    actual: formatShape(p.actual ?? []),
  };
}

/** Converts a PyTorch state_dict to ONNX. Every problem with the input rejects with a ConversionError. */
export async function convertTorchModel(input: ConvertInput): Promise<ConvertResult> {
  const file = input.file ?? input.key ?? 'the checkpoint';
  const fields = { file, architecture: input.architecture };
  const arch = architectureOf(input.architecture);
  if (!arch) {
    const why = OUT_OF_SCOPE[input.architecture.trim().toLowerCase()];
    throw new ConversionError(
      why
        ? `${why}, outside what this converter builds (NAFNet, MonaiUnet, FlexResNet)`
        : `'${input.architecture}' is not an architecture HiTMicTools loads from a state_dict (NAFNet, MonaiUnet, FlexResNet)`,
      {
        ...fields,
        fix: why
          ? "Export the model to ONNX (opset 17) with its own tool — rfdetr's model.export() or BacDETR's InferenceModel.export() for detectors and segmenters, skl2onnx for scikit-learn — and point model_path at the .onnx file."
          : 'Check the architecture name in the model table or metadata (NAFNet, MonaiUnet, FlexResNet), or export the model to ONNX with torch.onnx.export.',
      },
    );
  }
  if (typeof input.modelArgs !== 'object' || input.modelArgs === null || Array.isArray(input.modelArgs))
    throw new ConversionError(
      `model_args is ${JSON.stringify(input.modelArgs)}, not a mapping of argument names to values`,
      {
        ...fields,
        fix: `Give the metadata JSON a "model_args": {...} object with the ${arch.name} constructor arguments.`,
      },
    );
  const crop = input.cropSize;
  if (crop !== undefined && (!Number.isInteger(crop) || crop < 1))
    throw new ConversionError(`the crop size ${crop} is not a positive integer`, {
      ...fields,
      fix: "Pass the classifier's min_size from the run config (e.g. 32), or leave cropSize out for any size.",
    });
  const warnings: string[] = [];
  const tensors = await readCheckpoint(input.checkpoint, fields, warnings);
  const wrapped = wrappedStateDict(tensors.map((t) => t.name));
  if (wrapped)
    throw new ConversionError(
      `every key starts with '${wrapped.prefix}' (${tensors[0].name}, …): ${wrapped.why}`,
      {
        ...fields,
        tensor: tensors[0].name,
        fix: wrapped.fix,
      },
    );
  const graph = new NetGraph();
  const weights = new Weights(new Map(tensors.map((t) => [t.name, t])), graph);
  let io;
  try {
    const net = { g: graph, w: weights, warn: (m: string) => warnings.push(m), cropSize: crop };
    io = arch.build(net, input.modelArgs as Args);
  } catch (err) {
    if (!(err instanceof ArchitectureArgsError)) throw err;
    throw new ConversionError(err.message, {
      ...fields,
      modelArg: err.key,
      fix: err.unsupported
        ? 'Export this model to ONNX in Python with torch.onnx.export (opset 17, input "input", output "output") instead.'
        : `Correct model_args.${err.key} in the metadata JSON to the arguments the model was built with.`,
    });
  }
  const problems = weights.allProblems();
  if (problems.length) {
    const first = describeProblem(problems[0], arch.name);
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more: ${problems
            .slice(1, 4)
            .map((p) => p.tensor)
            .join(', ')}${problems.length > 4 ? ', …' : ''})`
        : '';
    throw new ConversionError(`${first.what}${more}`, {
      ...fields,
      tensor: problems[0].tensor,
      expected: first.expected,
      actual: first.actual,
      fix: `The metadata's model_args do not describe this checkpoint: correct model_args in the metadata JSON (or use the matching weights) so ${arch.name} is built with the shapes it was trained with.`,
    });
  }
  const metadata: Record<string, string> = {
    converted_by: `hitmic-studio convert ${CONVERTER_VERSION}`,
    architecture: arch.name,
    model_args: JSON.stringify(input.modelArgs),
  };
  if (input.file) metadata.source_file = input.file;
  if (input.key) metadata.hitmic_key = input.key;
  if (crop !== undefined && arch.name === 'FlexResNet') metadata.crop_size = String(crop);
  const onnx = encodeOnnxModel({
    graphName: arch.name,
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs: io.inputs,
    outputs: io.outputs,
    opsets: { '': CONVERTER_OPSET },
    irVersion: IR_VERSION,
    producerName: 'hitmic-studio convert',
    producerVersion: CONVERTER_VERSION,
    metadata,
  });
  return { onnx, tensors: tensors.length, opset: CONVERTER_OPSET, warnings };
}

async function readCheckpoint(
  bytes: Uint8Array,
  fields: { file: string; architecture: string },
  warnings: string[],
): Promise<TorchTensor[]> {
  let sd;
  try {
    sd = await readTorchStateDict(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    throw new ConversionError(err.message, { ...fields, tensor: err.tensor, fix: err.fix });
  }
  if (sd.container)
    warnings.push(
      `${fields.file}: the state_dict sits under '${sd.container}'; HiTMicTools' torch.load + load_state_dict expects it at the top level`,
    );
  const widened = sd.tensors.filter((t) => t.dtype !== 'float32' && t.dtype !== 'int64');
  if (widened.length)
    warnings.push(
      `${fields.file}: ${widened.length} tensor(s) stored as ${[...new Set(widened.map((t) => t.dtype))].join('/')} were converted to float32 (e.g. ${widened[0].name})`,
    );
  return sd.tensors;
}

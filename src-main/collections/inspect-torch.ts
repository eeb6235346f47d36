/**
 * `collection inspect` of a PyTorch checkpoint: its state_dict read (never unpickled into code),
 * checked tensor by tensor against the architecture its metadata's model_args describe, and
 * converted in memory as a run would convert it — a model that converts runs.
 */
import { MODEL_KEY_TABLE } from '../../src-shared/collections';
import type { ModelReport } from '../../src-shared/collections';
import {
  ArchitectureArgsError,
  compareStateDict,
  ConversionError,
  CONVERTER_VERSION,
  expectedStateDict,
} from '../convert';
import { CheckpointError, readOnnxGraph, readTorchCheckpoint } from '../io';
import { conversionRecipe } from './conversion';
import { convertInMemory, converterName } from './converted-models';
import type { ResolvedModel } from './layout';
import type { CollectionSource } from './source';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Converts the checkpoint in memory, as a run would: a model that converts runs, and its ONNX
 * inputs and outputs are what the settings are checked against; one that does not says why, whole.
 */
async function tryConversion(m: ResolvedModel, checkpoint: Uint8Array, report: ModelReport): Promise<void> {
  const weights = m.weights as string;
  try {
    const made = await convertInMemory({
      key: m.key,
      checkpointFile: weights,
      checkpoint,
      metadata: report.metadata,
      configModelArgs: m.modelArgs,
    });
    const g = readOnnxGraph(made.onnx, weights);
    report.inputs = g.inputs;
    report.outputs = g.outputs;
    report.runnable = true;
    report.runnableReason = `runs (converted from .pth by ${converterName()}, converter ${CONVERTER_VERSION})`;
    report.conversion = {
      converter: converterName(),
      converterVersion: CONVERTER_VERSION,
      warnings: made.warnings,
    };
    for (const w of made.warnings)
      report.problems.push({ severity: 'info', code: 'conversion-note', path: weights, message: w, fix: '' });
  } catch (err) {
    if (!(err instanceof ConversionError)) throw err;
    report.runnableReason = `${err.message}\nOr convert it yourself:\n${conversionRecipe(m.key, 'pytorch', weights, m.metadataPath)}`;
    report.problems.push({
      severity: 'error',
      code: 'not-convertible',
      path: weights,
      message: err.message,
      fix: err.fix,
    });
  }
}

export async function inspectTorch(
  src: CollectionSource,
  m: ResolvedModel,
  report: ModelReport,
): Promise<void> {
  const weights = m.weights as string;
  if (MODEL_KEY_TABLE[m.key].detector) {
    report.runnableReason = conversionRecipe(m.key, 'pytorch', weights, m.metadataPath);
    report.problems.push({
      severity: 'warning',
      code: 'needs-conversion',
      path: weights,
      message: `${m.key} is an RF-DETR PyTorch checkpoint: HiTMic Studio does not rebuild RF-DETR networks (out of scope); it runs the ONNX export`,
      fix: report.runnableReason,
    });
  }
  try {
    const bytes = await src.read(weights);
    const ck = await readTorchCheckpoint(bytes);
    report.stateDict = ck.tensors;
    for (const p of ck.problems)
      report.problems.push({
        severity: 'error',
        code: 'damaged-checkpoint',
        path: weights,
        message: p,
        fix: 'Copy or save the checkpoint again.',
      });
    const arch = MODEL_KEY_TABLE[m.key].architecture;
    const args = report.metadata?.model_args;
    if (MODEL_KEY_TABLE[m.key].detector) {
      const bias = ck.tensors.find((t) => t.name === 'class_embed.bias');
      if (bias)
        report.problems.push({
          severity: 'info',
          code: 'detector-classes',
          path: weights,
          message: `class_embed.bias has ${bias.shape[0]} entries: ${bias.shape[0] - 1} class(es) when no class_dict is given`,
          fix: '',
        });
      return;
    }
    if (!isRecord(args)) {
      if (report.metadata)
        report.problems.push({
          severity: 'error',
          code: 'invalid-metadata',
          path: m.metadataPath ?? weights,
          message: `The metadata has no model_args; HiTMicTools cannot build the ${arch} (KeyError 'model_args')`,
          fix: `Add "model_args": {...} with the ${arch} constructor arguments to ${m.metadataPath}.`,
        });
      return;
    }
    const expected = expectedStateDict(arch, args, ck.tensors);
    if (expected) report.problems.push(...compareStateDict(expected, ck.tensors, arch, weights));
    if (!report.problems.some((p) => p.severity === 'error')) await tryConversion(m, bytes, report);
  } catch (err) {
    if (err instanceof CheckpointError)
      report.problems.push({
        severity: 'error',
        code: 'unreadable-checkpoint',
        path: weights,
        message: `${weights}: ${err.message}`,
        fix: err.fix,
      });
    else if (err instanceof ArchitectureArgsError && err.unsupported)
      // HiTMicTools builds it; only our converter and state_dict check cannot.
      report.problems.push({
        severity: 'warning',
        code: 'not-convertible',
        path: m.metadataPath ?? weights,
        message: `${m.metadataPath}: ${err.message}; the state_dict was not checked`,
        fix: 'Export the model to ONNX with torch.onnx.export (opset 17) in Python.',
      });
    else if (err instanceof ArchitectureArgsError)
      report.problems.push({
        severity: 'error',
        code: 'invalid-metadata',
        path: m.metadataPath ?? weights,
        message: `${m.metadataPath}: ${err.message}`,
        fix: `Correct model_args.${err.key} in the metadata JSON.`,
      });
    else throw err;
  }
}

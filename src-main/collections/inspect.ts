/**
 * `hitmic collection inspect`: everything a microscopist needs to judge a collection before using
 * it — per model its files with sha256, format, architecture, ONNX inputs/outputs read from the
 * graph (never run), PyTorch state_dict checked against the metadata's model_args, whether it is
 * runnable and why not; the tracker configuration; collection-level problems.
 */
import { MODEL_KEY_TABLE, type ModelKey } from '../../src-shared/collections';
import type {
  CollectionFile,
  CollectionProblem,
  InspectReport,
  ModelReport,
} from '../../src-shared/collections';
import { OnnxFormatError, readOnnxGraph } from '../io';
import { ArchitectureArgsError, compareStateDict, expectedStateDict } from '../convert';
import { conversionRecipe, formatOf } from './conversion';
import { resolveCollection, type ResolvedModel } from './layout';
import { FolderSource, unwrapSingleFolder, type CollectionSource } from './source';
import { CheckpointError, readTorchCheckpoint } from '../io';
import { summariseTracker } from './tracking';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Inspects an opened collection source. Throws CollectionError only when no model can be found. */
export async function inspectCollection(opened: CollectionSource): Promise<InspectReport> {
  const src = unwrapSingleFolder(opened);
  const resolved = await resolveCollection(src);
  const problems = [...resolved.problems];
  if (opened instanceof FolderSource) {
    for (const l of opened.skippedLinks)
      problems.push({
        severity: 'warning',
        code: 'symlink',
        path: l,
        message: `${l} is a symbolic link and was ignored`,
        fix: 'Replace the link with the file itself.',
      });
  }
  const models: ModelReport[] = [];
  const seen = new Set<ModelKey>();
  for (const m of resolved.models) {
    if (seen.has(m.key))
      problems.push({
        severity: 'warning',
        code: 'duplicate-key',
        path: m.writtenAs,
        message: `${m.key} appears twice; the later section wins in HiTMicTools`,
        fix: 'Keep one section per model key.',
      });
    seen.add(m.key);
    models.push(await inspectModel(src, m));
  }
  let tracking = null;
  if (resolved.trackingPath)
    tracking = summariseTracker(
      (await src.read(resolved.trackingPath)).toString('utf8'),
      resolved.trackingPath,
    );
  if (resolved.manifest) {
    const listed = new Set(resolved.manifest.files.map((f) => f.path));
    for (const f of resolved.manifest.files)
      if (!src.has(f.path))
        problems.push({
          severity: 'error',
          code: 'missing-file',
          path: f.path,
          message: `manifest.json lists ${f.path}, which the collection does not have`,
          fix: 'The collection is incomplete: get a complete copy.',
        });
    for (const f of src.files())
      if (f.path !== 'manifest.json' && !listed.has(f.path))
        problems.push({
          severity: 'warning',
          code: 'unlisted-file',
          path: f.path,
          message: `${f.path} is not listed in manifest.json`,
          fix: 'Files added after the collection was made are not checksummed; recreate the collection.',
        });
    for (const [key, t] of Object.entries(resolved.manifest.tests ?? {})) {
      for (const p of [t.input, t.output])
        if (!src.has(p))
          problems.push({
            severity: 'error',
            code: 'missing-file',
            path: p,
            message: `Test tensor ${p} of ${key} is missing`,
            fix: 'Recreate the collection.',
          });
    }
  }
  return {
    layout: resolved.layout,
    source: src.label,
    models,
    tracking,
    manifest: resolved.manifest,
    bundleMetadata: resolved.bundleMetadata,
    problems,
  };
}

async function fileInfo(src: CollectionSource, p: string): Promise<CollectionFile> {
  const size = src.files().find((f) => f.path === p)?.size ?? 0;
  return { path: p, size, sha256: await src.sha256(p) };
}

async function inspectModel(src: CollectionSource, m: ResolvedModel): Promise<ModelReport> {
  const problems: CollectionProblem[] = [...m.problems];
  const format = m.weights ? formatOf(m.weights) : 'unknown';
  const report: ModelReport = {
    key: m.key,
    format,
    architecture: null,
    weights: m.weights,
    metadataPath: m.metadataPath,
    files: [],
    inputs: [],
    outputs: [],
    metadata: null,
    infererArgs: m.infererArgs,
    modelArgs: m.modelArgs,
    runnable: false,
    runnableReason: '',
    problems,
  };
  if (m.metadataPath && src.has(m.metadataPath)) {
    report.files.push(await fileInfo(src, m.metadataPath));
    try {
      const meta = JSON.parse((await src.read(m.metadataPath)).toString('utf8')) as unknown;
      if (isRecord(meta)) report.metadata = meta;
      else
        problems.push({
          severity: 'error',
          code: 'invalid-metadata',
          path: m.metadataPath,
          message: `${m.metadataPath} must be a JSON object`,
          fix: 'Write the metadata as {"model_args": {...}}.',
        });
    } catch (err) {
      problems.push({
        severity: 'error',
        code: 'invalid-metadata',
        path: m.metadataPath,
        message: `${m.metadataPath} is not valid JSON: ${(err as Error).message}`,
        fix: 'Fix the JSON syntax (double quotes, no trailing commas).',
      });
    }
  }
  const metaType = typeof report.metadata?.model_type === 'string' ? report.metadata.model_type : null;
  report.architecture = metaType ?? MODEL_KEY_TABLE[m.key].architecture;
  if (!m.weights || !src.has(m.weights)) {
    report.runnableReason = m.weights ? `weights file ${m.weights} is missing` : 'no weights file';
    return report;
  }
  report.files.unshift(await fileInfo(src, m.weights));
  if (format === 'onnx') await inspectOnnx(src, m.weights, report);
  else if (format === 'pytorch') await inspectTorch(src, m, report);
  else if (format === 'sklearn') {
    report.runnableReason = conversionRecipe(m.key, format, m.weights, m.metadataPath);
    problems.push({
      severity: 'warning',
      code: 'needs-conversion',
      path: m.weights,
      message: `${m.key} is a scikit-learn pickle: it needs conversion to ONNX before HiTMic Studio can run it`,
      fix: report.runnableReason,
    });
  } else {
    report.runnableReason = conversionRecipe(m.key, format, m.weights, m.metadataPath);
    problems.push({
      severity: 'error',
      code: 'unsupported-format',
      path: m.weights,
      message: `${m.weights}: unsupported weights format (expected .onnx, .pth/.pt, .joblib/.pkl)`,
      fix: 'Export the model to ONNX.',
    });
  }
  if (m.key === 'pi_classification' && format === 'onnx' && report.inputs.length) {
    const generic = ['input', 'X', 'input_0', 'input.1'].includes(report.inputs[0].name);
    if (generic || !report.onnx?.metadata.feature_names) {
      problems.push({
        severity: 'warning',
        code: 'pi-feature-names',
        path: m.weights,
        message: `The PI classifier ${generic ? `has the generic input name '${report.inputs[0].name}'` : 'has no feature_names metadata'}: HiTMicTools then selects zero measurement columns`,
        fix: 'Export with a named input (e.g. "features") and a feature_names metadata entry (comma-separated column names).',
      });
    }
  }
  return report;
}

async function inspectOnnx(src: CollectionSource, weights: string, report: ModelReport): Promise<void> {
  try {
    const g = readOnnxGraph(await src.read(weights), weights);
    report.inputs = g.inputs;
    report.outputs = g.outputs;
    report.onnx = {
      opset: g.opsets[''] ?? null,
      irVersion: g.irVersion,
      producer: g.producer,
      metadata: g.metadata,
    };
    report.runnable = true;
    report.runnableReason = `ONNX opset ${g.opsets[''] ?? '?'}${g.opsets['ai.onnx.ml'] ? ` (+ ai.onnx.ml ${g.opsets['ai.onnx.ml']})` : ''}`;
    if (g.inputs.length === 0)
      report.problems.push({
        severity: 'error',
        code: 'invalid-onnx',
        path: weights,
        message: `${weights} declares no graph input`,
        fix: 'Re-export the model.',
      });
  } catch (err) {
    const why = err instanceof OnnxFormatError ? err.detail : String(err);
    report.runnableReason = `not a readable ONNX model: ${why}`;
    report.problems.push({
      severity: 'error',
      code: 'invalid-onnx',
      path: weights,
      message: `${weights} is not a readable ONNX model (${why})`,
      fix: 'Re-export the model with torch.onnx.export, or copy the file again (it may be truncated).',
    });
  }
}

async function inspectTorch(src: CollectionSource, m: ResolvedModel, report: ModelReport): Promise<void> {
  const weights = m.weights as string;
  report.runnableReason = conversionRecipe(m.key, 'pytorch', weights, m.metadataPath);
  report.problems.push({
    severity: 'warning',
    code: 'needs-conversion',
    path: weights,
    message: `${m.key} is a PyTorch checkpoint: it needs conversion to ONNX before HiTMic Studio can run it`,
    fix: report.runnableReason,
  });
  try {
    const ck = await readTorchCheckpoint(await src.read(weights));
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

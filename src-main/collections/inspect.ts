/**
 * `hitmic collection inspect`: everything a microscopist needs to judge a collection before using
 * it — per model its files with sha256, format, architecture, ONNX inputs/outputs read from the
 * graph (never run), PyTorch state_dict checked against the metadata's model_args and converted in
 * memory (a model that converts runs), whether it is runnable and why not; the tracker configuration; collection-level problems.
 */
import { MODEL_KEY_TABLE, type ModelKey } from '../../src-shared/collections';
import type {
  CollectionFile,
  CollectionProblem,
  InspectReport,
  ModelReport,
} from '../../src-shared/collections';
import { OnnxFormatError, readOnnxGraph } from '../io';
import { inspectTorch } from './inspect-torch';
import { conversionRecipe, formatOf } from './conversion';
import { loadSklearnModel, SklearnModelError } from '../inference';
import { infererArgsRequired } from '../../src-shared/config';
import { resolveCollection, type ResolvedModel } from './layout';
import { FolderSource, unwrapSingleFolder, type CollectionSource } from './source';
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
  else if (format === 'sklearn') await inspectSklearn(src, m.key, m.weights, report);
  else {
    report.runnableReason = conversionRecipe(m.key, format, m.weights, m.metadataPath);
    problems.push({
      severity: 'error',
      code: 'unsupported-format',
      path: m.weights,
      message: `${m.weights}: unsupported weights format (expected .onnx, .pth/.pt, .joblib/.pkl)`,
      fix: 'Export the model to ONNX.',
    });
  }
  report.problems.push(...settingsProblems(m.key, report));
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

/**
 * What the model's settings and its file disagree on, or lack, that would make a run fail or
 * silently compute something else: inferer_args HiTMicTools requires (it raises; defaults would
 * run e.g. range01 instead of fixed_range), an image model that does not take one channel
 * (HiTMicTools feeds a single grey channel), class names that do not match the classifier's outputs.
 */
function settingsProblems(key: ModelKey, report: ModelReport): CollectionProblem[] {
  const out: CollectionProblem[] = [];
  const where = report.weights ?? key;
  if (infererArgsRequired(key) && (!report.infererArgs || Object.keys(report.infererArgs).length === 0))
    out.push({
      severity: 'error',
      code: 'missing-inferer-args',
      path: where,
      message: `${key} has no inferer_args: HiTMicTools raises KeyError 'inferer_args', and running on defaults would scale the frames differently (e.g. range01 instead of the model's fixed_range)`,
      fix: `Add inferer_args (scale_method, patch_size, overlap_ratio, scaler_args) to the ${key} section of the collection's config.yml.`,
    });
  const facts = MODEL_KEY_TABLE[key];
  const input = report.inputs[0];
  const channels = input?.shape && input.shape.length === 4 ? input.shape[1] : null;
  if (facts.output !== 'table' && !facts.detector && typeof channels === 'number' && channels !== 1)
    out.push({
      severity: 'error',
      code: 'input-channels',
      path: where,
      message: `${key} takes ${channels} channels (input '${input.name}' ${JSON.stringify(input.shape)}); HiTMicTools feeds it one grey channel`,
      fix: `Export the ${key} model with in_channels 1, or use the model made for this collection.`,
    });
  const classes = report.modelArgs?.classes;
  const output = report.outputs[0];
  const outputs = output?.shape && output.shape.length === 2 ? output.shape[1] : null;
  if (key === 'cell_classifier' && classes && typeof classes === 'object' && typeof outputs === 'number') {
    const named = Object.keys(classes).length;
    if (named !== outputs)
      out.push({
        severity: 'error',
        code: 'class-count',
        path: where,
        message: `cell_classifier names ${named} class(es) in model_args.classes but the model has ${outputs} outputs: objects of the unnamed classes would be called Unknown_Class_N`,
        fix: `Give model_args.classes exactly ${outputs} names (index: name), in the order the model was trained on.`,
      });
  }
  return out;
}

/**
 * A scikit-learn pickle, read with the safe reader (nothing in it is executed) and checked as the
 * PI classifier it must be: its estimator, classes and feature columns.
 */
async function inspectSklearn(
  src: CollectionSource,
  key: ModelKey,
  weights: string,
  report: ModelReport,
): Promise<void> {
  try {
    const model = loadSklearnModel(await src.read(weights), weights);
    const estimator = model.estimator
      .split(' > ')
      .map((c) => c.split('.').pop())
      .join(' > ');
    report.architecture = estimator;
    report.inputs = model.inputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] }));
    report.outputs = model.outputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] }));
    report.runnable = key === 'pi_classification';
    report.runnableReason = report.runnable
      ? `scikit-learn ${estimator}${model.sklearnVersion ? ` (saved with scikit-learn ${model.sklearnVersion})` : ''}, read and evaluated by HiTMic Studio without Python; classes ${model.classes.join(', ')}; features ${model.featureNames?.join(', ') ?? '(none named)'}`
      : `scikit-learn models run only as the PI classifier, not as ${key}`;
    if (!model.featureNames)
      report.problems.push({
        severity: 'error',
        code: 'pi-feature-names',
        path: weights,
        message: `${weights} was fitted without column names (no feature_names_in_): HiTMicTools selects its features by those names`,
        fix: 'Fit the classifier on a pandas DataFrame of the measurement columns and save it again.',
      });
    const pi = ['piNEG', 'piPOS'];
    if (model.classes.length !== 2 || !pi.every((c) => model.classes.includes(c)))
      report.problems.push({
        severity: 'error',
        code: 'pi-classes',
        path: weights,
        message: `${weights} predicts ${model.classes.join(', ')}; a PI classifier predicts piNEG and piPOS`,
        fix: 'Train the classifier on the labels piNEG and piPOS.',
      });
  } catch (err) {
    if (!(err instanceof SklearnModelError)) throw err;
    report.runnableReason = err.message;
    report.problems.push({
      severity: 'error',
      code: err.global ? 'refused-pickle' : 'unreadable-pickle',
      path: weights,
      message: err.message,
      fix: err.fix,
    });
  }
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

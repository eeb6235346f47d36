import fs from 'node:fs';
import path from 'node:path';
import type { ModelKey } from '../../src-shared/collections';
import { MODEL_KEY_TABLE, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import type { RunConfig } from '../../src-shared/config';
import { resolveCollection } from './layout';
import { defaultLibraryDir, importCollection } from './library';
import { FolderSource } from './source';
import { conversionRecipe, formatOf } from './conversion';
import {
  conversionFailure,
  convertedModel,
  convertedModelsDir,
  type ConversionFacts,
} from './converted-models';

/** One model as a movie job needs it: an absolute ONNX path and its settings. */
export interface ModelPlan {
  key: ModelKey;
  /** The file that runs: ONNX (the collection's, or converted from its `.pth`) or a scikit-learn pickle. */
  weights: string;
  /** For a PyTorch model: what it was converted from, by which converter, and where the ONNX is. */
  converted?: ConversionFacts;
  metadata: Record<string, unknown> | null;
  infererArgs: Record<string, unknown>;
  modelArgs: Record<string, unknown>;
}

export interface ModelsPlan {
  /** The collection folder used (ZIPs are imported into the library once and used from there). */
  collectionDir: string | null;
  models: Partial<Record<ModelKey, ModelPlan>>;
  trackerConfig: string | null;
  warnings: string[];
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

function readJson(file: string | null): Record<string, unknown> | null {
  if (!file) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new PlanError(
      `Cannot read model metadata ${file}: ${err instanceof Error ? err.message : String(err)}. Fix or remove the file.`,
    );
  }
}

/** A model's plan from its resolved paths and settings: metadata read, missing args as {}. */
function modelPlan(
  key: ModelKey,
  weights: string,
  metaPath: string | null,
  infererArgs: Record<string, unknown> | null | undefined,
  modelArgs: Record<string, unknown> | null | undefined,
): ModelPlan {
  return {
    key,
    weights,
    metadata: readJson(metaPath),
    infererArgs: infererArgs ?? {},
    modelArgs: modelArgs ?? {},
  };
}

/**
 * A model's plan as it will run: ONNX and scikit-learn PI classifiers as they are, PyTorch
 * checkpoints converted to ONNX (from the library's cache when converted before). Anything else is
 * refused with what to do.
 */
async function runnablePlan(plan: ModelPlan, metaPath: string | null, cacheDir: string): Promise<ModelPlan> {
  const { key, weights } = plan;
  if (!fs.existsSync(weights))
    throw new PlanError(`Model file for '${key}' not found: ${weights}. Check model_path.`, key);
  const format = formatOf(weights);
  // scikit-learn PI classifiers are read safely and evaluated in TypeScript (inference/sklearn).
  if (format === 'onnx' || (format === 'sklearn' && key === 'pi_classification')) return plan;
  if (format === 'pytorch' && !MODEL_KEY_TABLE[key].detector) {
    try {
      const converted = await convertedModel(
        {
          key,
          checkpointFile: weights,
          checkpoint: fs.readFileSync(weights),
          metadata: plan.metadata,
          configModelArgs: plan.modelArgs,
        },
        cacheDir,
      );
      return { ...plan, weights: converted.onnx, converted };
    } catch (err) {
      throw new PlanError(conversionFailure(key, err), key);
    }
  }
  throw new PlanError(
    `Model '${key}' (${path.basename(weights)}) is ${format}, which HiTMic Studio cannot run${format === 'pytorch' ? ' or convert (RF-DETR networks are built by their own packages)' : ''}; convert it to ONNX:\n${conversionRecipe(key, format, weights, metaPath)}`,
    key,
  );
}

/**
 * Finds every model the pipeline needs: from `models.model_collection` (a ZIP, imported into the
 * library once, or a folder) or, without one, from the top-level model sections — as
 * HiTMicTools does. Models that are not ONNX are refused with the conversion steps.
 */
export async function planModels(
  config: RunConfig,
  resolved: { modelCollection: string | null; trackerConfig: string | null },
  options: {
    libraryDir?: string;
    pipeline: string;
    /** Folder relative model paths are read from (the config's). */ baseDir?: string;
  },
): Promise<ModelsPlan> {
  const required = PIPELINE_REQUIRED_MODELS[options.pipeline] ?? [];
  const cacheDir = convertedModelsDir(options.libraryDir ?? defaultLibraryDir());
  const warnings: string[] = [];
  const models: Partial<Record<ModelKey, ModelPlan>> = {};
  let collectionDir: string | null = null;
  let trackerConfig = resolved.trackerConfig;
  if (resolved.modelCollection) {
    const src = resolved.modelCollection;
    if (!fs.existsSync(src))
      throw new PlanError(`Model collection not found: ${src}. Check models.model_collection.`);
    collectionDir = fs.statSync(src).isDirectory()
      ? src
      : (await importCollection(src, options.libraryDir ?? defaultLibraryDir())).entry.path;
    const collection = await resolveCollection(new FolderSource(collectionDir));
    for (const key of required) {
      const m = collection.models.find((x) => x.key === key);
      if (!m || !m.weights)
        throw new PlanError(
          `The model collection ${src} has no '${key}' model, which ${options.pipeline} needs.`,
          key,
        );
      const weights = path.join(collectionDir, m.weights);
      const metaPath = m.metadataPath ? path.join(collectionDir, m.metadataPath) : null;
      models[key] = await runnablePlan(
        modelPlan(key, weights, metaPath, m.infererArgs, m.modelArgs),
        metaPath,
        cacheDir,
      );
      for (const w of models[key].converted?.warnings ?? []) warnings.push(`${key}: ${w}`);
    }
    if (!trackerConfig && collection.trackingPath)
      trackerConfig = path.join(collectionDir, collection.trackingPath);
    const individual = Object.keys(config.models);
    if (individual.length > 0)
      warnings.push(
        `models.model_collection is set, so the individual model sections (${individual.join(', ')}) are ignored, as HiTMicTools does.`,
      );
  } else {
    for (const key of required) {
      const section = config.models[key];
      if (!section?.model_path)
        throw new PlanError(
          `No model for '${key}': set models.model_collection or a top-level '${key}' section with model_path.`,
          key,
        );
      const base = options.baseDir ?? process.cwd();
      const weights = path.resolve(base, section.model_path);
      const metaPath = section.model_metadata ? path.resolve(base, section.model_metadata) : null;
      models[key] = await runnablePlan(
        modelPlan(key, weights, metaPath, section.inferer_args, section.model_args),
        metaPath,
        cacheDir,
      );
      for (const w of models[key].converted?.warnings ?? []) warnings.push(`${key}: ${w}`);
    }
  }
  return { collectionDir, models, trackerConfig, warnings };
}

/**
 * Every model of a collection that can run (ZIP imported into the library first; PyTorch models
 * converted), for `hitmic infer` and previews; the others are listed with the reason.
 */
export async function planCollection(
  collection: string,
  libraryDir?: string,
): Promise<{ dir: string; models: Partial<Record<ModelKey, ModelPlan>>; skipped: string[] }> {
  if (!fs.existsSync(collection))
    throw new PlanError(`Model collection not found: ${collection}. Give a collection ZIP or folder.`);
  const dir = fs.statSync(collection).isDirectory()
    ? collection
    : (await importCollection(collection, libraryDir ?? defaultLibraryDir())).entry.path;
  const resolved = await resolveCollection(new FolderSource(dir));
  const cacheDir = convertedModelsDir(libraryDir ?? defaultLibraryDir());
  const models: Partial<Record<ModelKey, ModelPlan>> = {};
  const skipped: string[] = [];
  for (const m of resolved.models) {
    if (!m.weights) continue;
    const weights = path.join(dir, m.weights);
    const metaPath = m.metadataPath ? path.join(dir, m.metadataPath) : null;
    try {
      models[m.key] = await runnablePlan(
        modelPlan(m.key, weights, metaPath, m.infererArgs, m.modelArgs),
        metaPath,
        cacheDir,
      );
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      skipped.push(`${m.key} (${path.basename(weights)}: ${err.message.split('\n')[0]})`);
    }
  }
  return { dir, models, skipped };
}

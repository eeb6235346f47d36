/**
 * Finds the models of a collection in either known layout (reference §1.1 and the user guide):
 * - the HiTMicTools bundle: `config.yml` naming each model's `model_path` / `model_metadata`,
 *   `models/`, `metadata/`, optional `config_tracker.yml`;
 * - the guide's per-model folders: `bf_focus_restorer/model.pth` + `model_metadata.json`, …,
 *   `tracking/tracking_config.json`.
 * Collections written by HiTMic Studio add `manifest.json` (files with sha256, test tensors).
 */
import { parse as parseYaml } from 'yaml';
import {
  BUNDLE_METADATA_KEY,
  canonicalModelKey,
  GUIDE_FOLDER_KEYS,
  isModelKey,
  MODEL_KEYS,
  type ModelKey,
} from '../../src-shared/collections';
import type { CollectionLayout, CollectionManifest, CollectionProblem } from '../../src-shared/collections';
import { CollectionError } from './errors';
import { SubfolderSource, type CollectionSource } from './source';

export interface ResolvedModel {
  key: ModelKey;
  /** The key as written (may be an alias or a folder name). */
  writtenAs: string;
  weights: string | null;
  metadataPath: string | null;
  infererArgs: Record<string, unknown> | null;
  modelArgs: Record<string, unknown> | null;
  problems: CollectionProblem[];
}

export interface ResolvedCollection {
  layout: CollectionLayout;
  models: ResolvedModel[];
  trackingPath: string | null;
  manifest: CollectionManifest | null;
  bundleMetadata: Record<string, unknown> | null;
  problems: CollectionProblem[];
}

const WEIGHT_EXT = /\.(onnx|pth|pt|joblib|pkl)$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Normalises a path written in config.yml (`./models/x.pth`, `models\x.pth`) to the entry name. */
export function normaliseRef(p: string): string {
  return p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/** Reads the layout; throws CollectionError MISSING_CONFIG / UNKNOWN_LAYOUT / INVALID_CONFIG when no model can be found. */
export async function resolveCollection(src: CollectionSource): Promise<ResolvedCollection> {
  const problems: CollectionProblem[] = [];
  if (src instanceof SubfolderSource) {
    problems.push({
      severity: 'warning',
      code: 'wrapped-in-folder',
      path: `${src.prefix}/`,
      message: `The collection's files sit inside the folder ${src.prefix}/; HiTMicTools needs config.yml at the root of the ZIP and refuses this archive`,
      fix: `Zip the contents of ${src.prefix}/, not the folder itself (or recreate it with hitmic collection create).`,
    });
  }
  const manifest = await readManifest(src, problems);
  if (src.has('config.yml') || src.has('config.yaml'))
    return { ...(await resolveBundle(src, problems)), manifest };
  const folders = resolveFolders(src, problems);
  if (folders) return { ...folders, manifest };
  const nested = src.files().find((f) => /^[^/]+\/config\.ya?ml$/.test(f.path));
  const hint = nested
    ? ` It has ${nested.path}: the files sit one folder too deep; zip the contents of that folder, not the folder.`
    : '';
  throw new CollectionError(
    'MISSING_CONFIG',
    `${src.label} is not a model collection: no config.yml at its root and no per-model folders (bf_focus_restorer/model.pth, …).${hint} Create one with 'hitmic collection create'.`,
    { path: src.label, entry: 'config.yml' },
  );
}

async function readManifest(
  src: CollectionSource,
  problems: CollectionProblem[],
): Promise<CollectionManifest | null> {
  if (!src.has('manifest.json')) return null;
  try {
    const m = JSON.parse((await src.read('manifest.json')).toString('utf8')) as unknown;
    if (!isRecord(m) || !Array.isArray(m.files)) throw new Error('expected an object with a files list');
    if (m.schema_version !== 1)
      problems.push({
        severity: 'warning',
        code: 'manifest-version',
        path: 'manifest.json',
        message: `manifest.json has schema_version ${JSON.stringify(m.schema_version)}; this version of HiTMic Studio reads 1`,
        fix: 'Update HiTMic Studio, or recreate the collection.',
      });
    return m as unknown as CollectionManifest;
  } catch (err) {
    problems.push({
      severity: 'error',
      code: 'invalid-manifest',
      path: 'manifest.json',
      message: `manifest.json cannot be read: ${(err as Error).message}`,
      fix: 'Recreate the collection with hitmic collection create, or delete manifest.json.',
    });
    return null;
  }
}

async function resolveBundle(
  src: CollectionSource,
  problems: CollectionProblem[],
): Promise<Omit<ResolvedCollection, 'manifest'>> {
  const configName = src.has('config.yml') ? 'config.yml' : 'config.yaml';
  if (configName === 'config.yaml')
    problems.push({
      severity: 'warning',
      code: 'config-name',
      path: configName,
      message: 'HiTMicTools only opens config.yml; this collection has config.yaml',
      fix: 'Rename it to config.yml so HiTMicTools can load the collection too.',
    });
  let config: unknown;
  try {
    config = parseYaml((await src.read(configName)).toString('utf8'), { version: '1.1', maxAliasCount: 100 });
  } catch (err) {
    throw new CollectionError(
      'INVALID_CONFIG',
      `${src.label}: ${configName} is not valid YAML (${(err as Error).message.split('\n')[0]}). Fix the file or recreate the collection.`,
      { path: src.label, entry: configName },
    );
  }
  if (!isRecord(config))
    throw new CollectionError(
      'INVALID_CONFIG',
      `${src.label}: ${configName} must be a mapping of model keys (bf_focus:, segmentation:, …), got ${config === null ? 'an empty file' : typeof config}.`,
      { path: src.label, entry: configName },
    );
  for (const prefix of ['models/', 'metadata/']) {
    if (!src.files().some((f) => f.path.startsWith(prefix)))
      problems.push({
        severity: 'warning',
        code: 'bundle-structure',
        path: prefix,
        message: `No entry under ${prefix}: HiTMicTools refuses such a bundle ("Invalid model bundle structure: Missing ${prefix}")`,
        fix: `Keep weights under models/ and metadata under metadata/ (hitmic collection create does).`,
      });
  }
  const models: ResolvedModel[] = [];
  let bundleMetadata: Record<string, unknown> | null = null;
  for (const [written, section] of Object.entries(config)) {
    if (written === BUNDLE_METADATA_KEY) {
      bundleMetadata = isRecord(section) ? section : null;
      continue;
    }
    const key = canonicalModelKey(written);
    if (!key) {
      problems.push({
        severity: 'warning',
        code: 'unknown-key',
        path: `${configName}:${written}`,
        message: `Unknown model key '${written}' in ${configName} (known: ${MODEL_KEYS.join(', ')}); HiTMicTools ignores it`,
        fix: `Rename it to a known key or remove it.`,
      });
      continue;
    }
    const mp: CollectionProblem[] = [];
    if (!isModelKey(written))
      mp.push({
        severity: 'warning',
        code: 'alias-key',
        path: `${configName}:${written}`,
        message: `'${written}' is HiTMicTools' internal name; its bundle loader only loads '${key}'`,
        fix: `Rename '${written}' to '${key}' in ${configName}.`,
      });
    if (!isRecord(section)) {
      problems.push({
        severity: 'error',
        code: 'invalid-section',
        path: `${configName}:${written}`,
        message: `Section '${written}' of ${configName} must be a mapping with model_path and model_metadata`,
        fix: 'Recreate the collection with hitmic collection create.',
      });
      continue;
    }
    const ref = (field: string): string | null => {
      const v = section[field];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') {
        mp.push({
          severity: 'error',
          code: 'invalid-section',
          path: `${configName}:${written}.${field}`,
          message: `${field} must be a path inside the collection, got ${JSON.stringify(v)}`,
          fix: `Write ${field}: models/<file>.`,
        });
        return null;
      }
      const p = normaliseRef(v);
      if (!src.has(p))
        mp.push({
          severity: 'error',
          code: 'dangling-reference',
          path: `${configName}:${written}.${field}`,
          message: `${configName} names ${field} '${v}' for ${key}, but the collection has no such file`,
          fix: `Add ${p} to the collection or correct ${field} in ${configName}.`,
        });
      return p;
    };
    const weights = ref('model_path');
    const metadataPath = ref('model_metadata');
    if (weights === null && !mp.some((p) => p.code === 'invalid-section'))
      mp.push({
        severity: 'error',
        code: 'missing-file',
        path: `${configName}:${written}`,
        message: `${key} has no model_path in ${configName}`,
        fix: `Add model_path: models/<weights> to the ${written} section.`,
      });
    if (metadataPath === null && key !== 'pi_classification')
      mp.push({
        severity: 'error',
        code: 'missing-file',
        path: `${configName}:${written}`,
        message: `${key} has no model_metadata in ${configName}; HiTMicTools needs it to build the architecture`,
        fix: `Add model_metadata: metadata/<file>.json to the ${written} section.`,
      });
    models.push({
      key,
      writtenAs: written,
      weights,
      metadataPath,
      infererArgs: isRecord(section.inferer_args) ? section.inferer_args : null,
      modelArgs: isRecord(section.model_args) ? section.model_args : null,
      problems: mp,
    });
  }
  if (models.length === 0)
    problems.push({
      severity: 'error',
      code: 'no-models',
      path: configName,
      message: `${configName} names no model`,
      fix: 'Add sections such as bf_focus: {model_path, model_metadata}.',
    });
  const trackingPath = src.has('config_tracker.yml') ? 'config_tracker.yml' : null;
  return { layout: 'hitmictools-bundle', models, trackingPath, bundleMetadata, problems };
}

function resolveFolders(
  src: CollectionSource,
  problems: CollectionProblem[],
): Omit<ResolvedCollection, 'manifest'> | null {
  const byFolder = new Map<string, string[]>();
  for (const f of src.files()) {
    const i = f.path.indexOf('/');
    if (i < 0) continue;
    const folder = f.path.slice(0, i);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), f.path.slice(i + 1)]);
  }
  const models: ResolvedModel[] = [];
  for (const [folder, files] of byFolder) {
    const key = GUIDE_FOLDER_KEYS[folder] ?? (isModelKey(folder) ? folder : undefined);
    if (!key) continue;
    const mp: CollectionProblem[] = [];
    const weights = files.filter((f) => /^model\.[^/]+$/.test(f));
    const chosen = weights.find((f) => f.endsWith('.onnx')) ?? weights[0];
    if (!chosen)
      mp.push({
        severity: 'error',
        code: 'missing-file',
        path: `${folder}/`,
        message: `${folder}/ has no model.<ext> weights file`,
        fix: `Put the weights at ${folder}/model.onnx (or .pth/.joblib).`,
      });
    if (weights.length > 1)
      mp.push({
        severity: 'info',
        code: 'several-weights',
        path: `${folder}/`,
        message: `${folder}/ has ${weights.join(', ')}; using ${chosen}`,
        fix: 'Keep one weights file per model, or keep the ONNX export beside the original on purpose.',
      });
    const others = files.filter((f) => WEIGHT_EXT.test(f) && !weights.includes(f));
    if (others.length)
      mp.push({
        severity: 'warning',
        code: 'unknown-file',
        path: `${folder}/`,
        message: `${folder}/ has weights not named model.<ext>: ${others.join(', ')}`,
        fix: 'Rename the weights to model.<ext>.',
      });
    const meta = files.includes('model_metadata.json')
      ? 'model_metadata.json'
      : files.includes('config.json')
        ? 'config.json'
        : null;
    if (!meta && key !== 'pi_classification')
      mp.push({
        severity: 'error',
        code: 'missing-file',
        path: `${folder}/model_metadata.json`,
        message: `${folder}/ has no model_metadata.json`,
        fix: `Add ${folder}/model_metadata.json with the architecture's model_args.`,
      });
    models.push({
      key,
      writtenAs: folder,
      weights: chosen ? `${folder}/${chosen}` : null,
      metadataPath: meta ? `${folder}/${meta}` : null,
      infererArgs: null,
      modelArgs: null,
      problems: mp,
    });
  }
  if (models.length === 0) return null;
  problems.push({
    severity: 'warning',
    code: 'guide-layout',
    path: '',
    message:
      'Per-model folder layout (from the HiTMicTools user guide): HiTMicTools itself cannot load it; it reads config.yml + models/ + metadata/',
    fix: 'Rebuild it with hitmic collection create to get a collection both tools read.',
  });
  const trackingPath = src.files().find((f) => /^tracking\/[^/]+\.(json|ya?ml)$/.test(f.path))?.path ?? null;
  return { layout: 'per-model-folders', models, trackingPath, bundleMetadata: null, problems };
}

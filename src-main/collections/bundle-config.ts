/**
 * Reads the input of `hitmic collection create`, accepting both forms people have:
 * - the user guide's bundle config: `model_collection: {name, version, description,
 *   models: {key: {model_path, metadata_path}}, tracking: {config_path}}` (the guide's example
 *   indents `tracking` under `models`; both places are accepted);
 * - HiTMicTools' `models_info` YAML: top-level model keys with `model_path`, `model_metadata`,
 *   `inferer_args`, `model_args`, and `tracker: {config_path}`.
 * Our extension, in either form: `test_input` / `test_output` (.npy) per model for verify.
 * Relative paths resolve against the bundle config's folder, then the working directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { canonicalModelKey, MODEL_KEYS, type ModelKey } from '../../src-shared/collections';
import { CollectionError } from './errors';

export interface BundleModelSpec {
  key: ModelKey;
  weights: string;
  metadata: string | null;
  infererArgs: Record<string, unknown> | null;
  modelArgs: Record<string, unknown> | null;
  testInput: string | null;
  testOutput: string | null;
}

export interface BundleSpec {
  form: 'guide' | 'models_info';
  name: string | null;
  version: string | null;
  description: string | null;
  models: BundleModelSpec[];
  tracker: string | null;
  /** Non-fatal notes (e.g. a path found only relative to the working directory). */
  warnings: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks a bundle config; every referenced file must exist. Throws CollectionError BAD_INPUT. */
export function readBundleConfig(file: string, cwd: string): BundleSpec {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    throw new CollectionError(
      'NOT_FOUND',
      `Models info file not found: ${abs}. Give the bundle config YAML with -i.`,
      { path: abs },
    );
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1' });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lc.linePos(e.pos[0]);
    throw new CollectionError(
      'INVALID_CONFIG',
      `${abs}:${line}:${col}: YAML syntax: ${e.message.split('\n')[0]}. Fix the file and run again.`,
      { path: abs },
    );
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!isRecord(value))
    throw new CollectionError(
      'INVALID_CONFIG',
      `${abs} must be a mapping: either 'model_collection: {models: …}' or top-level model keys (bf_focus: …).`,
      { path: abs },
    );
  const base = path.dirname(abs);
  const warnings: string[] = [];
  const resolve = (p: unknown, where: string): string => {
    if (typeof p !== 'string' || p === '')
      throw new CollectionError(
        'BAD_INPUT',
        `${abs}: ${where} must be a file path, got ${JSON.stringify(p)}.`,
        { path: abs, key: where },
      );
    const candidates = path.isAbsolute(p) ? [p] : [path.resolve(base, p), path.resolve(cwd, p)];
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!found)
      throw new CollectionError(
        'BAD_INPUT',
        `${abs}: ${where} '${p}' does not exist (looked at ${[...new Set(candidates)].join(' and ')}). Correct the path.`,
        { path: abs, key: where, expected: 'an existing file', actual: p },
      );
    if (found !== candidates[0])
      warnings.push(`${where} '${p}' was found relative to the working directory, not to ${base}`);
    return found;
  };
  const opt = (p: unknown, where: string): string | null =>
    p === undefined || p === null ? null : resolve(p, where);
  const section = (written: string, s: unknown, prefix: string, metaKeys: string[]): BundleModelSpec => {
    const key = canonicalModelKey(written);
    if (!key)
      throw new CollectionError(
        'BAD_INPUT',
        `${abs}: unknown model key '${written}' (known: ${MODEL_KEYS.join(', ')}).`,
        { path: abs, key: written },
      );
    if (!isRecord(s))
      throw new CollectionError(
        'BAD_INPUT',
        `${abs}: ${prefix}${written} must be a mapping with model_path.`,
        { path: abs, key: written },
      );
    // The user guide writes the PI classifier's file as pi_classifier_path.
    const weightsField =
      'model_path' in s
        ? 'model_path'
        : key === 'pi_classification' && 'pi_classifier_path' in s
          ? 'pi_classifier_path'
          : null;
    if (!weightsField)
      throw new CollectionError(
        'BAD_INPUT',
        `${abs}: 'model_path' not found for ${written}; a collection without the weights would name a missing file. Add ${prefix}${written}.model_path.`,
        { path: abs, key: `${written}.model_path` },
      );
    const metaField = metaKeys.find((k) => k in s);
    return {
      key,
      weights: resolve(s[weightsField], `${prefix}${written}.${weightsField}`),
      metadata: metaField ? opt(s[metaField], `${prefix}${written}.${metaField}`) : null,
      infererArgs: isRecord(s.inferer_args) ? s.inferer_args : null,
      modelArgs: isRecord(s.model_args) ? s.model_args : null,
      testInput: opt(s.test_input, `${prefix}${written}.test_input`),
      testOutput: opt(s.test_output, `${prefix}${written}.test_output`),
    };
  };
  const models: BundleModelSpec[] = [];
  let tracker: string | null = null;
  if (isRecord(value.model_collection)) {
    const mc = value.model_collection;
    const ms = isRecord(mc.models) ? mc.models : {};
    for (const [k, s] of Object.entries(ms)) {
      if (k === 'tracking') {
        tracker = isRecord(s) ? opt(s.config_path, 'model_collection.models.tracking.config_path') : null;
        continue;
      }
      models.push(section(k, s, 'model_collection.models.', ['metadata_path', 'model_metadata']));
    }
    if (isRecord(mc.tracking))
      tracker = opt(mc.tracking.config_path, 'model_collection.tracking.config_path') ?? tracker;
    if (models.length === 0)
      throw new CollectionError('BAD_INPUT', `${abs}: model_collection.models names no model.`, {
        path: abs,
      });
    const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
    return {
      form: 'guide',
      name: str(mc.name),
      version: str(mc.version),
      description: str(mc.description),
      models,
      tracker,
      warnings,
    };
  }
  for (const [k, s] of Object.entries(value)) {
    if (k === 'tracker') {
      tracker = isRecord(s) ? opt(s.config_path, 'tracker.config_path') : null;
      continue;
    }
    if (!canonicalModelKey(k)) {
      warnings.push(`top-level key '${k}' is not a model key and was ignored`);
      continue;
    }
    models.push(section(k, s, '', ['model_metadata', 'metadata_path']));
  }
  if (models.length === 0)
    throw new CollectionError(
      'BAD_INPUT',
      `${abs} names no model: expected top-level keys such as bf_focus or a model_collection section.`,
      { path: abs },
    );
  return { form: 'models_info', name: null, version: null, description: null, models, tracker, warnings };
}

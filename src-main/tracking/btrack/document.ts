/**
 * Reading a btrack configuration document: text → plain object (JSON, JSON with trailing text,
 * or YAML — HiTMicTools stores whatever file it was given as `config_tracker.yml`), and
 * normalisation of the legacy layouts to btrack 0.7's flat lower-case layout:
 *
 * - `{"TrackerConfig": {"MotionModel": …, "ObjectModel": …, "HypothesisModel": …}}` (btrack < 0.4
 *   and its examples) and the same without the `TrackerConfig` wrapper: `MotionModel` →
 *   `motion_model`, `ObjectModel` → `object_model` (an empty `{}` becomes null), `HypothesisModel`
 *   → `hypothesis_model`, any other CamelCase key → snake_case.
 * - Flat `{"motion_model": …, "max_search_radius": …}` (btrack ≥ 0.5) is kept as is.
 */
import { parse as parseYaml } from 'yaml';
import { BtrackConfigError } from '../errors';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** End offset of the first complete top-level JSON object/array (string-aware), or −1. */
function firstJsonValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/**
 * Parses config text as JSON; if that fails and the text starts with a complete JSON object
 * followed by extra text (btrack's own 2019 `cell_config.json` ends with a stray `}`), uses the
 * object and adds a warning; otherwise parses YAML 1.1 (as PyYAML's safe_load).
 * @throws BtrackConfigError when it is none of these, or not a mapping.
 */
export function readBtrackDocument(
  text: string,
  file = '',
): { doc: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (jsonErr) {
    const end = firstJsonValueEnd(text);
    let recovered = false;
    if (end > 0 && text.trimStart().startsWith('{')) {
      try {
        value = JSON.parse(text.slice(0, end));
        recovered = true;
        const extra = JSON.stringify(text.slice(end).trim().slice(0, 20));
        const at = end + (text.slice(end).length - text.slice(end).trimStart().length);
        warnings.push(
          `${file || 'config'}: extra text ${extra} at line ${lineOf(text, at)}, after the end of the configuration, was ignored (btrack's JSON reader would refuse the file; delete it)`,
        );
      } catch {
        recovered = false;
      }
    }
    if (!recovered) {
      try {
        value = parseYaml(text, { version: '1.1', maxAliasCount: 100 });
      } catch (yamlErr) {
        throw new BtrackConfigError(
          file,
          'document',
          'JSON or YAML',
          `neither (JSON: ${(jsonErr as Error).message}; YAML: ${(yamlErr as Error).message.split('\n')[0]})`,
          'Export the configuration again from btrack (TrackerConfig JSON) or fix the syntax at the position given.',
        );
      }
    }
  }
  if (!isRecord(value)) {
    throw new BtrackConfigError(
      file,
      'document',
      'a mapping with motion_model (or TrackerConfig.MotionModel)',
      value === null ? 'an empty document' : typeof value,
      "Use a btrack config file (e.g. btrack's cell_config.json).",
    );
  }
  return { doc: value, warnings };
}

const LEGACY_KEYS: Record<string, string> = {
  MotionModel: 'motion_model',
  ObjectModel: 'object_model',
  HypothesisModel: 'hypothesis_model',
};

const snake = (k: string): string => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Maps a legacy layout to the flat lower-case layout; returns a new object (input untouched). */
export function normaliseBtrackDocument(doc: Record<string, unknown>): {
  doc: Record<string, unknown>;
  format: 'nested' | 'flat';
} {
  let src = doc;
  let nested = false;
  if (isRecord(doc.TrackerConfig)) {
    src = doc.TrackerConfig;
    nested = true;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k in LEGACY_KEYS) {
      nested = true;
      const key = LEGACY_KEYS[k];
      out[key] = key === 'object_model' && isRecord(v) && Object.keys(v).length === 0 ? null : v;
    } else {
      out[nested && /[A-Z]/.test(k) ? snake(k) : k] = v;
    }
  }
  if (nested) for (const k of Object.keys(doc)) if (k !== 'TrackerConfig' && !(k in out)) out[k] = doc[k];
  return { doc: structuredClone(out), format: nested ? 'nested' : 'flat' };
}

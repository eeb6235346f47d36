/**
 * Where a run config's models come from: the `models:` section (model_collection), model sections
 * nested under `models:` (README form, accepted with a warning) or at the top level, "the
 * collection wins" when both are given, and the models the pipeline needs. The checks inside one
 * model section are in model-section.ts.
 */
import { canonicalModelKey, isModelKey, PIPELINE_REQUIRED_MODELS, type ModelKey } from '../collections';
import type { Diagnostic } from './diagnostics';
import { checkModelSection, type ModelSectionConfig } from './model-section';
import { MODELS_SPEC } from './schema';
import { checkSection, isMapping, typeOf } from './section-check';
import { diag, type YamlSource } from './yaml-source';

export function checkModels(
  src: YamlSource,
  value: Record<string, unknown>,
  pipeline: string | null,
  options: { strict?: boolean },
  ds: Diagnostic[],
): { sections: Partial<Record<ModelKey, ModelSectionConfig>>; collection: string | null } {
  const sections: Partial<Record<ModelKey, ModelSectionConfig>> = {};
  let collection: string | null = null;
  if ('models' in value) {
    const m = value.models;
    if (m === null || m === undefined) {
      ds.push(
        diag(
          src,
          'error',
          ['models'],
          "'models' is empty; HiTMicTools fails with AttributeError on an empty models section",
          "Give 'models: {model_collection: path.zip}' or remove the 'models:' line.",
          'key',
        ),
      );
    } else if (!isMapping(m)) {
      ds.push(
        diag(
          src,
          'error',
          ['models'],
          `'models' must be a mapping, got ${typeOf(m)}`,
          "Write 'models:' then an indented 'model_collection: path.zip'.",
          'key',
        ),
      );
    } else {
      const own = Object.fromEntries(Object.entries(m).filter(([k]) => !canonicalModelKey(k)));
      ds.push(
        ...checkSection(src, ['models'], own, MODELS_SPEC, {
          unknownKeys: 'warning',
          unknownReason: '; only model_collection is read',
        }),
      );
      collection =
        typeof m.model_collection === 'string' && m.model_collection !== '' ? m.model_collection : null;
      if (collection && !collection.endsWith('.zip'))
        ds.push(
          diag(
            src,
            'info',
            ['models', 'model_collection'],
            `model_collection '${collection}' does not end with .zip: HiTMicTools refuses it ("Model bundle must be a .zip file"); HiTMic Studio also reads an unzipped collection folder`,
            'Point it at the collection ZIP to use the config with hitmictools run too.',
          ),
        );
      for (const [k, v] of Object.entries(m)) {
        const key = canonicalModelKey(k);
        if (!key) continue;
        if (k in value || key in value) {
          ds.push(
            diag(
              src,
              'warning',
              ['models', k],
              `'models.${k}' is ignored: a top-level '${key}' section is also given`,
              `Remove 'models.${k}'.`,
              'key',
            ),
          );
          continue;
        }
        ds.push(
          diag(
            src,
            'warning',
            ['models', k],
            `Model section '${k}' nested under 'models:' (README form) is not read by HiTMicTools, which looks for it at the top level; HiTMic Studio reads it here`,
            `Move '${k}:' to the top level (no indentation), as its own section.`,
            'key',
          ),
        );
        const r = checkModelSection(src, ['models', k], key, v);
        ds.push(...r.diagnostics);
        if (r.section) sections[key] = r.section;
      }
    }
  }
  for (const k of Object.keys(value)) {
    const key = isModelKey(k) ? k : undefined;
    if (!key) continue;
    const r = checkModelSection(src, [k], key, value[k]);
    ds.push(...r.diagnostics);
    if (r.section) sections[key] = r.section;
  }
  const present = Object.keys(sections) as ModelKey[];
  if (collection && present.length) {
    ds.push(
      diag(
        src,
        options.strict ? 'error' : 'warning',
        ['models', 'model_collection'],
        `Both a model collection and individual model sections (${present.join(', ')}) are given; the collection wins and the sections are ignored`,
        'Remove the individual sections, or remove model_collection to use them.',
      ),
    );
  }
  if (pipeline && !collection) {
    const missing = PIPELINE_REQUIRED_MODELS[pipeline].filter((k) => !sections[k]);
    if (missing.length) {
      ds.push(
        diag(
          src,
          'error',
          ['pipeline_setup', 'name'],
          `Pipeline ${pipeline} needs the models ${missing.join(', ')}, which have no section and no model collection is set`,
          `Add 'models: {model_collection: collection.zip}' or top-level sections for ${missing.join(', ')}.`,
        ),
      );
    }
  }
  if (pipeline && !collection) {
    for (const k of present) {
      if (!PIPELINE_REQUIRED_MODELS[pipeline].includes(k))
        ds.push(
          diag(
            src,
            'info',
            [k],
            `Section '${k}' is not used by ${pipeline}`,
            `Remove '${k}' or choose a pipeline that uses it.`,
            'key',
          ),
        );
    }
  }
  return { sections, collection };
}

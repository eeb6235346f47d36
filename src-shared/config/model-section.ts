/**
 * Checks of one model section of a run config (`bf_focus:`, `segmentation:`, …), accepting the
 * documented variants of the HiTMicTools guide with a warning that names the canonical form:
 * `scaler_args` beside `inferer_args`, `classes` beside `model_args`, `pi_classifier_path`,
 * `metadata_path`. The canonical form is what HiTMicTools 0.5.15 actually reads (reference §2.4).
 */
import type { ModelKey } from '../collections';
import type { Diagnostic } from './diagnostics';
import { checkClassKeys, checkInfererValues } from './model-args';
import {
  CLASSIFIER_MODEL_ARGS_SPEC,
  FOCUS_INFERER_SPEC,
  OOF_INFERER_SPEC,
  SC_INFERER_SPEC,
  SEGMENTATION_INFERER_SPEC,
  type SectionSpec,
} from './schema';
import { checkSection, isMapping, typeOf } from './section-check';
import { diag, type YamlPath, type YamlSource } from './yaml-source';

/**
 * Schema of each key's `inferer_args` and whether HiTMicTools fails without them (reference
 * §2.4); `null` when HiTMicTools reads none for the key. A Record over every key, so a new key
 * in the model-key table does not compile until it is given one.
 */
const INFERER_ARGS: Readonly<Record<ModelKey, { spec: SectionSpec; required: boolean } | null>> = {
  bf_focus: { spec: FOCUS_INFERER_SPEC, required: true },
  fl_focus: { spec: FOCUS_INFERER_SPEC, required: true },
  segmentation: { spec: SEGMENTATION_INFERER_SPEC, required: true },
  cell_classifier: null,
  pi_classification: null,
  oof_detector: { spec: OOF_INFERER_SPEC, required: false },
  sc_segmenter: { spec: SC_INFERER_SPEC, required: false },
};

/** Whether HiTMicTools fails on a model section of `key` without `inferer_args` (KeyError). */
export function infererArgsRequired(key: ModelKey): boolean {
  return INFERER_ARGS[key]?.required === true;
}

/** A model section as HiTMic Studio uses it, after variants were moved to their canonical place. */
export interface ModelSectionConfig {
  model_path: string | null;
  model_metadata: string | null;
  inferer_args: Record<string, unknown> | null;
  model_args: Record<string, unknown> | null;
}

const SECTION_KEYS = ['model_path', 'model_metadata', 'inferer_args', 'model_args'];
const VARIANT_KEYS = ['pi_classifier_path', 'metadata_path', 'scaler_args', 'classes'];

/** Older or bundle-config key names a run config may hold: [old, HiTMicTools' name, why it matters]. */
const RENAMED_KEYS: readonly [string, 'model_path' | 'model_metadata', string][] = [
  [
    'pi_classifier_path',
    'model_path',
    `'pi_classifier_path' is the old name; HiTMicTools 0.5.15 reads only 'model_path' and would not find this model`,
  ],
  [
    'metadata_path',
    'model_metadata',
    `'metadata_path' is the bundle-config name; a run config uses 'model_metadata'`,
  ],
];

/**
 * Checks one model section and returns it normalised. `path` is where the section sits in the
 * file (`['bf_focus']`, or `['models', 'bf_focus']` for the README variant).
 */
export function checkModelSection(
  src: YamlSource,
  path: YamlPath,
  key: ModelKey,
  value: unknown,
): { diagnostics: Diagnostic[]; section: ModelSectionConfig | null } {
  const out: Diagnostic[] = [];
  const where = path.join('.');
  if (!isMapping(value)) {
    out.push(
      diag(
        src,
        'error',
        path,
        `Model section '${where}' must be a mapping, got ${typeOf(value)}`,
        `Give '${where}' indented keys model_path, model_metadata, …`,
      ),
    );
    return { diagnostics: out, section: null };
  }
  const section: ModelSectionConfig = {
    model_path: typeof value.model_path === 'string' ? value.model_path : null,
    model_metadata: typeof value.model_metadata === 'string' ? value.model_metadata : null,
    inferer_args: isMapping(value.inferer_args) ? { ...value.inferer_args } : null,
    model_args: isMapping(value.model_args) ? { ...value.model_args } : null,
  };

  // Documented variants, moved to where HiTMicTools reads them.
  for (const [oldKey, newKey, whyOld] of RENAMED_KEYS) {
    if (!(oldKey in value)) continue;
    const p = [...path, oldKey];
    if (section[newKey] === null && typeof value[oldKey] === 'string') {
      section[newKey] = value[oldKey];
      out.push(diag(src, 'warning', p, whyOld, `Rename '${oldKey}' to '${newKey}'.`, 'key'));
    } else {
      out.push(
        diag(
          src,
          'warning',
          p,
          `'${oldKey}' is ignored because '${newKey}' is also given`,
          `Remove '${oldKey}'.`,
          'key',
        ),
      );
    }
  }
  // The guide's variants: `scaler_args` beside inferer_args, `classes` beside model_args.
  for (const [variant, args, hint] of [
    ['scaler_args', 'inferer_args', ' (indent it one level under inferer_args)'],
    ['classes', 'model_args', ''],
  ] as const) {
    if (!(variant in value)) continue;
    const p = [...path, variant];
    const inner = section[args];
    if (inner && variant in inner) {
      out.push(
        diag(
          src,
          'warning',
          p,
          `'${where}.${variant}' beside ${args} is ignored; ${args}.${variant} is also given and wins`,
          `Remove the outer '${variant}'.`,
          'key',
        ),
      );
    } else if (isMapping(value[variant])) {
      section[args] = { ...(inner ?? {}), [variant]: { ...value[variant] } };
      out.push(
        diag(
          src,
          'warning',
          p,
          `'${variant}' beside '${args}' is ignored by HiTMicTools (it reads ${args}.${variant}); HiTMic Studio uses it as ${args}.${variant}`,
          `Move '${variant}' inside '${args}'${hint}.`,
          'key',
        ),
      );
    }
  }
  for (const k of Object.keys(value)) {
    if (SECTION_KEYS.includes(k) || VARIANT_KEYS.includes(k)) continue;
    out.push(
      diag(
        src,
        'warning',
        [...path, k],
        `Unknown key '${k}' in model section '${where}'; HiTMicTools ignores it`,
        `Remove '${k}'; a model section has ${SECTION_KEYS.join(', ')}.`,
        'key',
      ),
    );
  }

  // Required keys and their types.
  if (section.model_path === null) {
    const bad = 'model_path' in value;
    out.push(
      diag(
        src,
        'error',
        bad ? [...path, 'model_path'] : path,
        bad
          ? `'${where}.model_path' must be a file path, got ${typeOf(value.model_path)}`
          : `Model section '${where}' has no 'model_path' (HiTMicTools: KeyError "Required key 'model_path' missing")`,
        `Add 'model_path: /path/to/weights' under '${where}'.`,
        bad ? 'value' : 'key',
      ),
    );
  } else if (key === 'pi_classification' && !/\.(pkl|joblib|onnx)$/i.test(section.model_path)) {
    out.push(
      diag(
        src,
        'error',
        [...path, 'model_path'],
        `The PI classifier must be a .pkl, .joblib or .onnx file, got '${section.model_path}'`,
        'Point model_path at the scikit-learn pickle or its ONNX export.',
      ),
    );
  }
  if (key === 'cell_classifier' && section.model_path !== null && /\.onnx$/i.test(section.model_path)) {
    out.push(
      diag(
        src,
        'info',
        [...path, 'model_path'],
        'HiTMicTools loads the cell classifier with torch.load and cannot read .onnx (the guide shows model.onnx); HiTMic Studio runs it',
        'Keep the .pth next to it if the same config must also run with hitmictools.',
      ),
    );
  }
  if (key !== 'pi_classification' && section.model_metadata === null) {
    out.push(
      diag(
        src,
        'error',
        path,
        `Model section '${where}' has no 'model_metadata' (the JSON with the architecture's model_args)`,
        `Add 'model_metadata: /path/to/metadata.json' under '${where}'.`,
        'key',
      ),
    );
  }

  const inferer = INFERER_ARGS[key];
  const spec = inferer?.spec ?? null;
  const ia = [...path, 'inferer_args'];
  if (inferer?.required && !('inferer_args' in value) && !section.inferer_args) {
    out.push(
      diag(
        src,
        'error',
        path,
        `Model section '${where}' has no 'inferer_args' (HiTMicTools: KeyError 'inferer_args')`,
        `Add inferer_args with patch_size, overlap_ratio and scale_method under '${where}'.`,
        'key',
      ),
    );
  }
  if (spec && 'inferer_args' in value) {
    out.push(
      ...checkSection(src, ia, value.inferer_args, spec, {
        unknownKeys: 'error',
        unknownReason: '; HiTMicTools passes inferer_args as keyword arguments and fails with TypeError',
      }),
    );
  } else if (!spec && 'inferer_args' in value) {
    out.push(
      diag(
        src,
        'warning',
        ia,
        `'inferer_args' is not used by ${key}`,
        `Remove 'inferer_args' from '${where}'.`,
        'key',
      ),
    );
  }
  if (spec && section.inferer_args)
    out.push(
      ...checkInfererValues(
        src,
        ia,
        key,
        section.inferer_args,
        'scaler_args' in value && !(isMapping(value.inferer_args) && 'scaler_args' in value.inferer_args)
          ? [...path, 'scaler_args']
          : [...ia, 'scaler_args'],
      ),
    );

  const ma = [...path, 'model_args'];
  if (key === 'cell_classifier') {
    if (!('model_args' in value) && !section.model_args) {
      out.push(
        diag(
          src,
          'error',
          path,
          `Model section '${where}' has no 'model_args' (HiTMicTools: KeyError 'model_args')`,
          `Add model_args with batch_size, min_size and classes under '${where}'.`,
          'key',
        ),
      );
    }
    if ('model_args' in value) {
      out.push(
        ...checkSection(src, ma, value.model_args, CLASSIFIER_MODEL_ARGS_SPEC, {
          unknownKeys: 'error',
          unknownReason: '; HiTMicTools passes model_args to CellClassifier and fails with TypeError',
        }),
      );
    }
    const classesPath =
      isMapping(value.model_args) && 'classes' in value.model_args
        ? [...ma, 'classes']
        : [...path, 'classes'];
    out.push(...checkClassKeys(src, classesPath));
  } else if ('model_args' in value) {
    out.push(
      diag(
        src,
        'warning',
        ma,
        `'model_args' in a run config is only read for cell_classifier; for ${key} the architecture comes from the metadata JSON`,
        `Remove 'model_args' from '${where}'.`,
        'key',
      ),
    );
  }
  return { diagnostics: out, section };
}

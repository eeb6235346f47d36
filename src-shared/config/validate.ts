/**
 * Validation of a HiTMicTools run config (the YAML given to `hitmictools run -c`), pure so the
 * Config view can run it on every keystroke. Accepts the config as HiTMicTools reads it and the
 * documented guide variants (with warnings naming the canonical form); reports every finding
 * with YAML path, line:column and a fix; never throws.
 */
import { canonicalModelKey, MODEL_KEYS, type ModelKey } from '../collections';
import { resultOf, type Diagnostic, type ValidationResult } from './diagnostics';
import type { ModelSectionConfig } from './model-section';
import { INPUT_DATA_SPEC, PIPELINE_SETUP_SPEC, HUNGARIAN_PARAMETERS_SPEC, TRACKING_SPEC } from './schema';
import { checkSection, isMapping, typeOf, withDefaults } from './section-check';
import { checkCluster } from './cluster-section';
import { checkModels } from './model-sources';
import { checkPipeline } from './pipeline-setup';
import { diag, YamlSource } from './yaml-source';

export interface ValidateOptions {
  /** Warnings become errors (accept only what HiTMicTools itself reads the same way). */
  strict?: boolean;
  /** Channels in the movies, when known: channel indices must be below it. */
  channelCount?: number;
}

/** The run config as HiTMic Studio uses it: variants moved to canonical places, defaults applied. */
export interface RunConfig {
  input_data: Record<string, unknown>;
  pipeline_setup: Record<string, unknown>;
  /** Canonical pipeline name, or null when unknown. */
  pipeline: string | null;
  model_collection: string | null;
  /** Individual model sections (ignored by HiTMicTools when model_collection is set). */
  models: Partial<Record<ModelKey, ModelSectionConfig>>;
  /** The `tracking` section with defaults when pipeline_setup.tracking is true, else null. */
  tracking: Record<string, unknown> | null;
  extra: Record<string, unknown>;
  /** HiTMic Studio's `cluster:` section for `hitmic submit --slurm` (HiTMicTools ignores it), or null. */
  cluster?: Record<string, unknown> | null;
}

export interface ConfigValidation extends ValidationResult {
  /** Best-effort normalised config; trustworthy only when `ok`. Null when the YAML did not parse. */
  config: RunConfig | null;
  source: YamlSource;
}

const TOP_LEVEL = ['input_data', 'pipeline_setup', 'models', 'tracking', 'extra', 'cluster', ...MODEL_KEYS];

/** A run config is a few KB; far larger text is refused before parsing (a 50 MB YAML took 12 s and 1.7 GB). */
export const MAX_CONFIG_BYTES = 1_000_000;

export function validateRunConfig(text: string, options: ValidateOptions = {}): ConfigValidation {
  if (text.length > MAX_CONFIG_BYTES) {
    const src = new YamlSource('');
    const diagnostic: Diagnostic = {
      severity: 'error',
      message: `The config is ${(text.length / 1e6).toFixed(1)} MB; a run config is a few KB, at most ${MAX_CONFIG_BYTES / 1e6} MB`,
      path: '',
      line: 1,
      column: 1,
      fix: 'Open the right file: a HiTMicTools run config (input_data, pipeline_setup, models sections).',
    };
    return { ...resultOf([diagnostic]), config: null, source: src };
  }
  const src = new YamlSource(text);
  const ds: Diagnostic[] = [...src.syntaxDiagnostics];
  let config: RunConfig | null = null;
  if (!src.doc.errors.length && src.value !== undefined) {
    try {
      config = checkDocument(src, src.value, options, ds);
    } catch (err) {
      // A bug here must not take the editor down: report it as a diagnostic instead.
      ds.push({
        severity: 'error',
        message: `Internal validator error: ${err instanceof Error ? err.message : String(err)}`,
        path: '',
        line: 1,
        column: 1,
        fix: 'Please report this config to the HiTMic Studio developers.',
      });
    }
  }
  const final = options.strict
    ? ds.map((d) =>
        d.severity === 'warning' ? { ...d, severity: 'error' as const, message: `${d.message} (strict)` } : d,
      )
    : ds;
  return { ...resultOf(final), config, source: src };
}

function checkDocument(
  src: YamlSource,
  value: unknown,
  options: ValidateOptions,
  ds: Diagnostic[],
): RunConfig | null {
  if (value === null || value === undefined) {
    ds.push(
      diag(
        src,
        'error',
        [],
        'The config is empty',
        'Start from the example in docs/collections-and-config.md: input_data, pipeline_setup and models sections.',
      ),
    );
    return null;
  }
  if (!isMapping(value)) {
    ds.push(
      diag(
        src,
        'error',
        [],
        `The config must be a mapping of sections, got ${typeOf(value)}`,
        'Write sections as "input_data:", "pipeline_setup:", "models:" at the start of a line.',
      ),
    );
    return null;
  }
  for (const key of Object.keys(value)) {
    if (TOP_LEVEL.includes(key)) continue;
    const canonical = canonicalModelKey(key);
    if (canonical)
      ds.push(
        diag(
          src,
          'warning',
          [key],
          `'${key}' is HiTMicTools' internal name; the config key it looks for is '${canonical}'`,
          `Rename '${key}' to '${canonical}'.`,
          'key',
        ),
      );
    else
      ds.push(
        diag(
          src,
          'warning',
          [key],
          `Unknown top-level section '${key}'; HiTMicTools ignores it`,
          `Remove it or check its spelling; sections are ${TOP_LEVEL.join(', ')}.`,
          'key',
        ),
      );
  }

  // input_data
  let inputData: Record<string, unknown> = {};
  if (!('input_data' in value))
    ds.push(
      diag(
        src,
        'error',
        [],
        "Missing section 'input_data' (input_folder, output_folder, file_type, file_pattern, export_labelled_masks)",
        "Add an 'input_data:' section.",
        'key',
      ),
    );
  else {
    const raw = value.input_data;
    const stripped = isMapping(raw)
      ? Object.fromEntries(
          Object.entries(raw).filter(([k]) => k !== 'export_aligned_image' && k !== 'file_list'),
        )
      : raw;
    ds.push(
      ...checkSection(src, ['input_data'], stripped, INPUT_DATA_SPEC, {
        unknownKeys: 'warning',
        unknownReason: '; HiTMicTools ignores it',
      }),
    );
    if (isMapping(raw)) {
      inputData = withDefaults(raw, INPUT_DATA_SPEC);
      if ('export_aligned_image' in raw)
        ds.push(
          diag(
            src,
            'warning',
            ['input_data', 'export_aligned_image'],
            "'export_aligned_image' is documented but never read: export_labelled_masks drives both exports",
            'Remove it and set export_labelled_masks.',
            'key',
          ),
        );
      if ('file_list' in raw)
        ds.push(
          diag(
            src,
            'warning',
            ['input_data', 'file_list'],
            "'file_list' is documented but never read",
            'Remove it; pass a worklist (.txt) with -w / --input instead.',
            'key',
          ),
        );
    }
  }

  // pipeline_setup
  let setup: Record<string, unknown> = {};
  let pipeline: string | null = null;
  if (!('pipeline_setup' in value))
    ds.push(
      diag(
        src,
        'error',
        [],
        "Missing section 'pipeline_setup' (name, parallel_processing, reference_channel, …)",
        "Add a 'pipeline_setup:' section.",
        'key',
      ),
    );
  else {
    const raw = value.pipeline_setup;
    ds.push(
      ...checkSection(src, ['pipeline_setup'], raw, PIPELINE_SETUP_SPEC, {
        unknownKeys: 'warning',
        unknownReason: '; HiTMicTools copies it onto the pipeline where nothing reads it',
      }),
    );
    if (isMapping(raw)) {
      setup = withDefaults(raw, PIPELINE_SETUP_SPEC);
      pipeline = checkPipeline(src, raw, options, ds);
      if (pipeline) setup.name = pipeline;
    }
  }

  const { sections, collection } = checkModels(src, value, pipeline, options, ds);

  // tracking
  const trackingOn = setup.tracking === true;
  let tracking: Record<string, unknown> | null = null;
  if ('tracking' in value) {
    if (!trackingOn)
      ds.push(
        diag(
          src,
          'info',
          ['tracking'],
          "The 'tracking' section is ignored because pipeline_setup.tracking is not true",
          'Set pipeline_setup.tracking: true to track cells.',
          'key',
        ),
      );
    ds.push(
      ...checkSection(src, ['tracking'], value.tracking, TRACKING_SPEC, {
        unknownKeys: 'warning',
        unknownReason: '; the tracker ignores it',
      }),
    );
    const params = isMapping(value.tracking) ? value.tracking.parameters : undefined;
    if (isMapping(params))
      ds.push(
        ...checkSection(src, ['tracking', 'parameters'], params, HUNGARIAN_PARAMETERS_SPEC, {
          unknownKeys: 'warning',
          unknownReason: '; the Hungarian trackers do not read it',
        }),
      );
  }
  if (trackingOn) {
    const t = isMapping(value.tracking) ? value.tracking : {};
    tracking = withDefaults(t, TRACKING_SPEC);
    if (
      tracking.backend === 'btrack' &&
      !collection &&
      !(typeof t.config_path === 'string' && t.config_path)
    ) {
      ds.push(
        diag(
          src,
          'error',
          'tracking' in value ? ['tracking'] : ['pipeline_setup', 'tracking'],
          'Tracking with btrack needs a config: a model collection with config_tracker.yml, or tracking.config_path (HiTMicTools exits with "Tracking enabled but no config source provided")',
          "Add 'tracking: {config_path: btrack_config.json}' or use a model collection that has one.",
          'key',
        ),
      );
    }
    if (
      tracking.backend === 'hungarian' &&
      !('version' in t) &&
      isMapping(t.parameters) &&
      typeof t.parameters.version === 'string'
    ) {
      tracking.version = t.parameters.version.toLowerCase();
    }
  }

  // extra
  let extra: Record<string, unknown> = {};
  if ('extra' in value) {
    if (isMapping(value.extra)) {
      extra = value.extra;
      if (Object.keys(extra).length)
        ds.push(
          diag(
            src,
            'warning',
            ['extra'],
            `'extra' forwards ${Object.keys(extra).join(', ')} to every analysis call; no HiTMicTools pipeline accepts extra arguments, so every file would fail with TypeError`,
            "Remove 'extra' (or leave it empty).",
            'key',
          ),
        );
    } else if (value.extra !== null) {
      ds.push(
        diag(
          src,
          'error',
          ['extra'],
          `'extra' must be a mapping, got ${typeOf(value.extra)}`,
          "Remove 'extra'.",
          'key',
        ),
      );
    }
  }

  // cluster: ours; HiTMicTools reads only the sections it knows, so it passes this one by.
  const cluster = 'cluster' in value && value.cluster !== null ? checkCluster(src, value.cluster, ds) : null;

  return {
    input_data: inputData,
    pipeline_setup: setup,
    pipeline,
    model_collection: collection,
    models: sections,
    tracking,
    extra,
    cluster,
  };
}

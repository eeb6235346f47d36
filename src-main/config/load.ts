/**
 * Loading a HiTMicTools run config from disk: the pure validation of src-shared/config plus what
 * needs the file system — `.yml` and `.yaml` both accepted, relative paths resolved against the
 * config's folder (HiTMicTools uses the working directory: both are tried and a difference is a
 * warning), referenced files checked, and the model collection opened to check it holds the
 * models the pipeline needs and a tracker config when btrack tracking is on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { formatDiagnostic, resultOf, type Diagnostic } from '../../src-shared/config';
import {
  MAX_CONFIG_BYTES,
  validateRunConfig,
  type ConfigValidation,
  type RunConfig,
  type ValidateOptions,
} from '../../src-shared/config';
import { diag, type YamlPath } from '../../src-shared/config';
import {
  CollectionError,
  inspectCollection,
  openSource,
  resolveCollection,
  type CollectionSource,
} from '../collections';

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface LoadOptions extends ValidateOptions {
  /** Working directory HiTMicTools would run from (default process.cwd()). */
  cwd?: string;
  /** Skip opening the model collection (faster; for the editor's keystroke validation). */
  skipCollection?: boolean;
}

export interface LoadedConfig extends ConfigValidation {
  file: string;
  /** Absolute paths as HiTMic Studio resolves them (config folder first). */
  resolved: { modelCollection: string | null; trackerConfig: string | null };
}

/** A config that does not validate, with every diagnostic formatted as file:line:column. */
export class ConfigInvalidError extends Error {
  constructor(
    readonly file: string,
    readonly lines: string[],
  ) {
    super(`the config ${file} has errors:\n${lines.join('\n')}`);
    this.name = 'ConfigInvalidError';
  }
}

/** Reads and validates a run config. Throws ConfigFileError only when the file cannot be read. */
export async function loadRunConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    // Refuse a huge file before reading it (the validator would refuse its text anyway).
    const size = (await fs.promises.stat(abs)).size;
    if (size > MAX_CONFIG_BYTES)
      throw new ConfigFileError(
        `${abs} is ${(size / 1e6).toFixed(1)} MB; a run config is a few KB (at most ${MAX_CONFIG_BYTES / 1e6} MB). Check that this is your config file.`,
        abs,
      );
    text = await fs.promises.readFile(abs, 'utf8');
  } catch (err) {
    if (err instanceof ConfigFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigFileError(
      code === 'ENOENT'
        ? `Config file not found: ${abs}. Check the path.`
        : `Cannot read config ${abs}: ${code ?? String(err)}`,
      abs,
    );
  }
  return checkRunConfigText(text, abs, options);
}

/**
 * The checks of {@link loadRunConfig} on a config's text that is not (or not yet) saved, as if it
 * were the file `file` (relative paths resolve against its folder and `cwd`): what `hitmic config
 * validate` reports, for the Config editor. Never throws for a bad config; only its diagnostics say.
 */
export async function checkRunConfigText(
  text: string,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  const v = validateRunConfig(text, options);
  const ds: Diagnostic[] = [...v.diagnostics];
  const ext = path.extname(abs).toLowerCase();
  if (ext !== '.yml' && ext !== '.yaml')
    ds.push({
      severity: 'warning',
      message: `The config file ends with '${ext || '(nothing)'}'; HiTMicTools only accepts .yml`,
      path: '',
      line: 1,
      column: 1,
      fix: 'Rename the file to end with .yml.',
    });
  else if (ext === '.yaml')
    ds.push({
      severity: 'info',
      message:
        "HiTMicTools' command line rejects .yaml ('File must have .yml extension'); HiTMic Studio accepts it",
      path: '',
      line: 1,
      column: 1,
      fix: 'Rename to .yml to use the same file with hitmictools run.',
    });
  const resolved = { modelCollection: null as string | null, trackerConfig: null as string | null };
  if (v.config) {
    const base = path.dirname(abs);
    const check = (
      rel: unknown,
      p: YamlPath,
      kind: 'file' | 'dir' | 'any',
      severity: 'error' | 'warning',
    ): string | null => {
      if (typeof rel !== 'string' || rel === '') return null;
      const fromConfig = path.resolve(base, rel);
      const fromCwd = path.resolve(cwd, rel);
      const ok = (x: string): boolean =>
        fs.existsSync(x) &&
        (kind === 'any' || (kind === 'dir' ? fs.statSync(x).isDirectory() : fs.statSync(x).isFile()));
      const a = ok(fromConfig);
      const b = ok(fromCwd);
      if (!a && !b) {
        ds.push(
          diag(
            v.source,
            severity,
            p,
            `${kind === 'dir' ? 'Folder' : kind === 'any' ? 'Path' : 'File'} '${rel}' not found (looked at ${[...new Set([fromConfig, fromCwd])].join(' and ')})`,
            'Correct the path; absolute paths avoid surprises when running from another folder.',
          ),
        );
        return null;
      }
      if (!path.isAbsolute(rel) && fromConfig !== fromCwd && a !== b) {
        ds.push(
          diag(
            v.source,
            'warning',
            p,
            `'${rel}' is found relative to ${a ? 'the config folder' : 'the working directory'} only; HiTMicTools resolves it against the working directory${a ? ' and would not find it' : ', HiTMic Studio against the config folder'}`,
            `Write the absolute path ${a ? fromConfig : fromCwd}.`,
          ),
        );
      } else if (!path.isAbsolute(rel) && fromConfig !== fromCwd && a && b) {
        ds.push(
          diag(
            v.source,
            'warning',
            p,
            `'${rel}' exists both beside the config and in the working directory, as different files; HiTMicTools uses ${fromCwd}, HiTMic Studio ${fromConfig}`,
            'Write an absolute path.',
          ),
        );
      }
      return a ? fromConfig : fromCwd;
    };
    const c: RunConfig = v.config;
    check(c.input_data.input_folder, ['input_data', 'input_folder'], 'dir', 'warning');
    if (c.model_collection)
      resolved.modelCollection = check(c.model_collection, ['models', 'model_collection'], 'any', 'error');
    for (const [key, s] of Object.entries(c.models)) {
      if (c.model_collection || !s) continue;
      const top = (v.source.value ?? {}) as Record<string, unknown>;
      const nested = !(key in top);
      const raw = ((nested ? (top.models as Record<string, unknown>)?.[key] : top[key]) ?? {}) as Record<
        string,
        unknown
      >;
      const variant: Record<string, string> = {
        model_path: 'pi_classifier_path',
        model_metadata: 'metadata_path',
      };
      const at = (f: string): YamlPath => {
        const field = f in raw ? f : variant[f] in raw ? variant[f] : f;
        return nested ? ['models', key, field] : [key, field];
      };
      check(s.model_path, at('model_path'), 'file', 'error');
      check(s.model_metadata, at('model_metadata'), 'file', 'error');
    }
    if (c.tracking && typeof c.tracking.config_path === 'string')
      resolved.trackerConfig = check(c.tracking.config_path, ['tracking', 'config_path'], 'file', 'error');
    if (resolved.modelCollection && !options.skipCollection)
      await checkCollection(resolved.modelCollection, c, v, ds);
  }
  return {
    ...v,
    ...resultOf(
      options.strict
        ? ds.map((d) =>
            d.severity === 'warning' && !d.message.endsWith('(strict)')
              ? { ...d, severity: 'error' as const, message: `${d.message} (strict)` }
              : d,
          )
        : ds,
    ),
    file: abs,
    resolved,
  };
}

async function checkCollection(
  zip: string,
  c: RunConfig,
  v: ConfigValidation,
  ds: Diagnostic[],
): Promise<void> {
  const at: YamlPath = ['models', 'model_collection'];
  let src: CollectionSource | null = null;
  try {
    src = await openSource(zip);
    const r = await resolveCollection(src);
    const have = new Set(r.models.map((m) => m.key));
    if (c.pipeline) {
      const missing = PIPELINE_REQUIRED_MODELS[c.pipeline].filter((k) => !have.has(k));
      if (missing.length)
        ds.push(
          diag(
            v.source,
            'error',
            at,
            `The collection lacks ${missing.join(', ')}, which ${c.pipeline} needs (it has ${[...have].join(', ') || 'no model'})`,
            `Use a collection made for ${c.pipeline}, or choose a pipeline this collection serves.`,
          ),
        );
    }
    // What `hitmic collection inspect` finds wrong with a model the run needs is an error here too:
    // a run would stop at it, or compute something else without saying so.
    const needed = new Set(c.pipeline ? PIPELINE_REQUIRED_MODELS[c.pipeline] : have);
    const report = await inspectCollection(src);
    for (const m of report.models) {
      if (!needed.has(m.key)) continue;
      const errors = m.problems.filter((x) => x.severity === 'error');
      if (!m.runnable && errors.length === 0)
        ds.push(
          diag(
            v.source,
            'error',
            at,
            `The collection's ${m.key} model cannot run: ${m.runnableReason.split('\n')[0]}`,
            'See `hitmic collection inspect` for the details and the fix.',
          ),
        );
      for (const problem of errors)
        ds.push(
          diag(
            v.source,
            'error',
            at,
            `The collection's ${m.key} model: ${problem.message}`,
            problem.fix ?? '',
          ),
        );
    }
    if (
      c.tracking &&
      c.tracking.backend === 'btrack' &&
      !r.trackingPath &&
      !(typeof c.tracking.config_path === 'string' && c.tracking.config_path)
    ) {
      ds.push(
        diag(
          v.source,
          'error',
          at,
          'Tracking with btrack is on but the collection has no config_tracker.yml (HiTMicTools: "config_tracker.yml not found in zip root")',
          'Add tracking.config_path, or use a collection with a tracker config, or set pipeline_setup.tracking: false.',
        ),
      );
    }
  } catch (err) {
    const why = err instanceof CollectionError ? err.message : String(err);
    ds.push(
      diag(
        v.source,
        'error',
        at,
        `The model collection cannot be used: ${why}`,
        'Point model_collection at a valid collection ZIP (check it with hitmic collection inspect).',
      ),
    );
  } finally {
    await src?.close();
  }
}

/** A config that validated: the config, its warnings formatted as file:line:column, and its resolved paths. */
export interface ValidRunConfig {
  file: string;
  config: RunConfig;
  warnings: string[];
  resolved: LoadedConfig['resolved'];
}

/**
 * Loads a run config for running it: throws ConfigFileError when it cannot be read and
 * ConfigInvalidError (every error as file:line:column) when it does not validate.
 */
export async function loadValidRunConfig(file: string, options: LoadOptions = {}): Promise<ValidRunConfig> {
  const loaded = await loadRunConfig(file, options);
  if (!loaded.ok || !loaded.config)
    throw new ConfigInvalidError(
      loaded.file,
      loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(loaded.file, d)),
    );
  return {
    file: loaded.file,
    config: loaded.config,
    warnings: loaded.diagnostics
      .filter((d) => d.severity === 'warning')
      .map((d) => formatDiagnostic(loaded.file, d)),
    resolved: loaded.resolved,
  };
}

/**
 * Tracker selection from a HiTMicTools `tracking:` config section (`build_pipeline.py` /
 * `BasePipeline.load_tracker`):
 *
 * - `backend`: `'btrack'` (the default, as in HiTMicTools) or `'hungarian'`; anything else is an
 *   error naming the accepted backends.
 * - Hungarian: version = `tracking.version`, else `tracking.parameters.version`, else `'v2'`,
 *   lower-cased; `v1`, `v2`, `legacy` → v2, `v5` → v5, anything else is an error naming the
 *   accepted versions. `parameters` (minus `version`) are the tracker's keyword arguments over its
 *   defaults; an unknown key is an error listing the accepted ones (Python raises TypeError).
 * - btrack: the config comes from the collection's `config_tracker.yml` text when given, else from
 *   `config_path` (read with `readFile`); `parameters_override` is deep-merged in both cases
 *   (HiTMicTools skips it on the `config_path` route — a bug we do not copy). The tracker is the
 *   Kalman linker (btrack/linker.ts); no config source is an error.
 * - `lineage` (ours): `ctc` (default) writes divisions as the Cell Tracking Challenge does — the
 *   mother's track ends, both daughters start with her as parent — for every backend (v2's
 *   divisions are inferred, v5's are split off the mother's continuing track, lineage.ts);
 *   `hitmictools` keeps HiTMicTools' columns exactly (v2 without parents, v5's mother continuing
 *   through one daughter, btrack without parents as HiTMicTools discards btrack's lineage).
 */
import { readFileSync } from 'node:fs';
import { applyBtrackOverrides } from './btrack/override';
import { readBtrackDocument } from './btrack/document';
import { createKalmanLinker, type KalmanLinkerOptions } from './btrack/linker';
import { parseBtrackConfig } from './btrack/parse';
import type { BtrackConfig } from './btrack/types';
import { TrackingConfigError } from './errors';
import { createHungarianV2, HUNGARIAN_V2_DEFAULTS, type HungarianV2Params } from './hungarian-v2';
import { createHungarianV5 } from './hungarian-v5';
import { HUNGARIAN_V5_DEFAULTS, type HungarianV5Params } from './hungarian-v5-params';
import { ctcLineage, type LineageSource } from './lineage';
import type { Tracker } from './types';

export const HUNGARIAN_VERSIONS = ['legacy', 'v1', 'v2', 'v5'] as const;
export const TRACKING_BACKENDS = ['btrack', 'hungarian'] as const;
export const LINEAGE_MODES = ['ctc', 'hitmictools'] as const;
export type LineageMode = (typeof LINEAGE_MODES)[number];

/** The tracker with `tracking.lineage` applied to what it returns. */
function withLineage(tracker: Tracker, mode: LineageMode, source: LineageSource): Tracker {
  if (mode === 'ctc' && source === 'ctc') return tracker;
  return {
    description: tracker.description,
    track: (table, logger) => {
      const r = tracker.track(table, logger);
      if (mode === 'ctc') return ctcLineage(table, r, source);
      if (source !== 'ctc') return r;
      return { ...r, parent_track_id: new Int32Array(r.trackid.length).fill(-1) };
    },
  };
}

function lineageMode(t: Record<string, unknown>): LineageMode {
  const v = t.lineage ?? 'ctc';
  if (v === 'ctc' || v === 'hitmictools') return v;
  throw new TrackingConfigError(
    'tracking.lineage',
    `one of: ${LINEAGE_MODES.join(', ')}`,
    JSON.stringify(v),
    "Use ctc (mother ends, both daughters start; the default) or hitmictools (HiTMicTools' columns as they are).",
  );
}

export interface TrackerSources {
  /** Text of the collection's `config_tracker.yml` and its name for messages. */
  bundleTrackerConfig?: { text: string; file: string };
  /** Reads `config_path` (defaults to fs.readFileSync utf8). */
  readFile?: (path: string) => string;
  /** Options of the btrack-config linker (the field of view, when the caller knows it). */
  linkerOptions?: KalmanLinkerOptions;
}

export type TrackerSelection =
  | {
      backend: 'hungarian';
      version: 'v2';
      params: HungarianV2Params;
      tracker: Tracker;
      message: string;
      log: string[];
    }
  | {
      backend: 'hungarian';
      version: 'v5';
      params: HungarianV5Params;
      tracker: Tracker;
      message: string;
      log: string[];
    }
  | { backend: 'btrack'; config: BtrackConfig; tracker: Tracker; message: string; log: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function hungarianParams<T extends object>(defaults: T, given: Record<string, unknown>, version: string): T {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(given)) {
    if (k === 'version') continue;
    if (!(k in defaults)) {
      throw new TrackingConfigError(
        `tracking.parameters.${k}`,
        `one of ${Object.keys(defaults).join(', ')} (Hungarian ${version})`,
        `'${k}'`,
        `Remove '${k}' or check its spelling.`,
      );
    }
    out[k] = v;
  }
  return out as T;
}

/** Builds the tracker a `tracking:` section asks for. @throws TrackingConfigError / BtrackConfigError. */
export function selectTracker(section: unknown, sources: TrackerSources = {}): TrackerSelection {
  const t = isRecord(section) ? section : {};
  if (section !== undefined && section !== null && !isRecord(section)) {
    throw new TrackingConfigError(
      'tracking',
      'a mapping (backend, version, parameters, …)',
      JSON.stringify(section),
      'Write tracking: as a YAML mapping.',
    );
  }
  const backend = t.backend ?? 'btrack';
  const lineage = lineageMode(t);
  if (backend === 'hungarian') {
    const params = t.parameters ?? {};
    if (!isRecord(params))
      throw new TrackingConfigError(
        'tracking.parameters',
        'a mapping of tracker parameters',
        JSON.stringify(params),
        'Write parameters as a mapping, e.g. {max_distance: 25.0}.',
      );
    const raw = t.version ?? params.version ?? 'v2';
    const version = String(raw).toLowerCase();
    if (version === 'v5') {
      const p = hungarianParams<HungarianV5Params>(HUNGARIAN_V5_DEFAULTS, params, 'v5');
      const tracker = createHungarianV5(p);
      return {
        backend,
        version: 'v5',
        params: tracker.params,
        tracker: withLineage(tracker, lineage, 'mother-continues'),
        message: `Tracking enabled: Hungarian v5 (max_distance=${tracker.params.max_distance})`,
        log: [],
      };
    }
    if (version === 'v1' || version === 'v2' || version === 'legacy') {
      const p = hungarianParams<HungarianV2Params>(HUNGARIAN_V2_DEFAULTS, params, 'v2');
      const tracker = createHungarianV2(p);
      return {
        backend,
        version: 'v2',
        params: tracker.params,
        tracker: withLineage(tracker, lineage, 'none'),
        message: `Tracking enabled: Hungarian ${version} (max_distance=${tracker.params.max_distance})`,
        log: [],
      };
    }
    throw new TrackingConfigError(
      'tracking.version',
      `one of: ${HUNGARIAN_VERSIONS.join(', ')}`,
      `'${String(raw)}'`,
      `Unknown Hungarian tracker version: ${String(raw)}. Use v2 (default) or v5.`,
    );
  }
  if (backend === 'btrack') {
    let text: string;
    let file: string;
    if (sources.bundleTrackerConfig) ({ text, file } = sources.bundleTrackerConfig);
    else if (typeof t.config_path === 'string' && t.config_path) {
      file = t.config_path;
      try {
        text = (sources.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(file);
      } catch (e) {
        throw new TrackingConfigError(
          'tracking.config_path',
          'a readable btrack config file',
          `${file} (${(e as Error).message})`,
          'Fix the path, or use a model collection that contains config_tracker.yml.',
        );
      }
    } else {
      throw new TrackingConfigError(
        'tracking',
        'a btrack config source (a collection with config_tracker.yml, or tracking.config_path)',
        'none',
        'Tracking enabled but no config source provided: set tracking.config_path, or use backend: hungarian.',
      );
    }
    const overrides = t.parameters_override;
    if (overrides !== undefined && overrides !== null && !isRecord(overrides)) {
      throw new TrackingConfigError(
        'tracking.parameters_override',
        'a mapping (deep-merged into the btrack config)',
        JSON.stringify(overrides),
        'Write e.g. parameters_override: {motion_model: {max_lost: 3}}.',
      );
    }
    const { doc, warnings } = readBtrackDocument(text, file);
    const merged = applyBtrackOverrides(doc, overrides ?? null);
    const config = parseBtrackConfig(merged.doc, file, [...warnings, ...merged.warnings]);
    const tracker = createKalmanLinker(config, sources.linkerOptions);
    return {
      backend,
      config,
      tracker: withLineage(tracker, lineage, 'ctc'),
      message: `Tracking enabled: btrack config '${file}' (${tracker.description})`,
      log: merged.changes,
    };
  }
  throw new TrackingConfigError(
    'tracking.backend',
    `one of: ${TRACKING_BACKENDS.join(', ')}`,
    `'${String(backend)}'`,
    `Unknown tracker backend: ${String(backend)}.`,
  );
}

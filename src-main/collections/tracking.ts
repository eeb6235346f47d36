/**
 * Reads a btrack tracker configuration (the collection's `config_tracker.yml`, which HiTMicTools
 * copies verbatim from a JSON or YAML file) and summarises it: both the nested
 * `{"TrackerConfig": {"MotionModel": …}}` format of older btrack and the flat
 * `{"motion_model": …, "max_search_radius": …}` format of btrack ≥ 0.5.
 */
import { parse as parseYaml } from 'yaml';
import type { CollectionProblem, TrackingReport } from '../../src-shared/collections/types';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** End offset of the first complete JSON value in `text` (string-aware brace matching), or -1. */
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

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Parses the text as JSON, falling back to YAML; trailing junk after a complete JSON value is a warning. */
export function parseTrackerConfig(
  text: string,
  file: string,
): { value: unknown; problems: CollectionProblem[] } {
  const problems: CollectionProblem[] = [];
  try {
    return { value: JSON.parse(text), problems };
  } catch (jsonErr) {
    const end = firstJsonValueEnd(text);
    if (end > 0 && text.trimStart().startsWith('{')) {
      try {
        const value = JSON.parse(text.slice(0, end));
        const junk = end + (text.slice(end).length - text.slice(end).trimStart().length);
        problems.push({
          severity: 'warning',
          code: 'tracker-trailing-content',
          path: file,
          message: `${file} has extra text after the configuration at line ${lineOf(text, junk)} (${JSON.stringify(text.slice(junk).trim().slice(0, 20))}); btrack's JSON reader would refuse it`,
          fix: `Delete everything from line ${lineOf(text, junk)} on.`,
        });
        return { value, problems };
      } catch {
        // fall through to YAML
      }
    }
    try {
      return { value: parseYaml(text, { version: '1.1', maxAliasCount: 100 }), problems };
    } catch (yamlErr) {
      problems.push({
        severity: 'error',
        code: 'tracker-unreadable',
        path: file,
        message: `${file} is neither JSON (${(jsonErr as Error).message}) nor YAML (${(yamlErr as Error).message.split('\n')[0]})`,
        fix: 'Export the tracker configuration again from btrack (config.json).',
      });
      return { value: null, problems };
    }
  }
}

/** Summarises a btrack configuration: motion model name, accuracy, max_lost, max_search_radius. */
export function summariseTracker(text: string, file: string): TrackingReport {
  const { value, problems } = parseTrackerConfig(text, file);
  const report: TrackingReport = {
    path: file,
    style: 'unknown',
    name: null,
    motionModel: null,
    maxSearchRadius: null,
    problems,
  };
  if (!isRecord(value)) {
    if (value !== null)
      problems.push({
        severity: 'error',
        code: 'tracker-unreadable',
        path: file,
        message: `${file} must be a mapping (btrack configuration), got ${Array.isArray(value) ? 'a list' : typeof value}`,
        fix: 'Use a btrack config.json.',
      });
    return report;
  }
  let motion: unknown;
  if (isRecord(value.TrackerConfig)) {
    report.style = 'nested';
    const tc = value.TrackerConfig;
    motion = tc.MotionModel;
    report.name = typeof tc.name === 'string' ? tc.name : null;
    report.maxSearchRadius = num(tc.max_search_radius);
  } else if ('motion_model' in value) {
    report.style = 'flat';
    motion = value.motion_model;
    report.name = typeof value.name === 'string' ? value.name : null;
    report.maxSearchRadius = num(value.max_search_radius);
  }
  if (isRecord(motion)) {
    report.motionModel = {
      name: typeof motion.name === 'string' ? motion.name : null,
      accuracy: num(motion.accuracy),
      maxLost: num(motion.max_lost),
      probNotAssign: num(motion.prob_not_assign),
    };
  } else {
    problems.push({
      severity: 'error',
      code: 'tracker-no-motion-model',
      path: file,
      message: `${file} has no motion model (TrackerConfig.MotionModel or motion_model)`,
      fix: "Use a complete btrack configuration such as btrack's cell_config.json.",
    });
  }
  if (report.maxSearchRadius === null && report.style !== 'unknown') {
    problems.push({
      severity: 'info',
      code: 'tracker-default-radius',
      path: file,
      message: `${file} sets no max_search_radius; btrack uses its default`,
      fix: 'Set max_search_radius (pixels) to the largest expected cell displacement between frames.',
    });
  }
  return report;
}

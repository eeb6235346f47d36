/**
 * Reads a btrack tracker configuration (the collection's `config_tracker.yml`, which HiTMicTools
 * copies verbatim from a JSON or YAML file) and summarises it: both the nested
 * `{"TrackerConfig": {"MotionModel": …}}` format of older btrack and the flat
 * `{"motion_model": …, "max_search_radius": …}` format of btrack ≥ 0.5.
 */
import type { CollectionProblem, TrackingReport } from '../../src-shared/collections';
import { readBtrackDocument } from '../tracking';
import { BtrackConfigError } from '../tracking';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Parses the text as JSON (a complete JSON value followed by stray text is accepted with a
 * warning, as btrack's own 2019 config needs), else YAML — the tracking module's reader, with its
 * findings as collection problems.
 */
export function parseTrackerConfig(
  text: string,
  file: string,
): { value: unknown; problems: CollectionProblem[] } {
  try {
    const { doc, warnings } = readBtrackDocument(text, file);
    return {
      value: doc,
      problems: warnings.map((message) => ({
        severity: 'warning' as const,
        code: 'tracker-trailing-content',
        path: file,
        message,
        fix: 'Delete the text after the end of the configuration.',
      })),
    };
  } catch (err) {
    if (!(err instanceof BtrackConfigError)) throw err;
    return {
      value: null,
      problems: [
        {
          severity: 'error',
          code: 'tracker-unreadable',
          path: file,
          message: err.message,
          fix: 'Export the tracker configuration again from btrack (config.json).',
        },
      ],
    };
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

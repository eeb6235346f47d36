/**
 * Errors of the tracking core. Each carries the fields a caller needs (where, expected, actual,
 * hint) and a message that says what went wrong, where, what was expected and how to fix it.
 */

export interface TrackingErrorFields {
  /** Config field path, table column, matrix entry or file concerned. */
  where: string;
  expected: string;
  actual: string;
  /** How to fix it. */
  hint: string;
}

export class TrackingError extends Error {
  readonly where: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint: string;

  constructor(what: string, f: TrackingErrorFields) {
    super(`tracking, ${f.where}: ${what}: expected ${f.expected}, got ${f.actual}. ${f.hint}`);
    this.name = new.target.name;
    this.where = f.where;
    this.expected = f.expected;
    this.actual = f.actual;
    this.hint = f.hint;
  }
}

/** A cost matrix the assignment solver cannot use (shape, NaN/−∞ entry, infeasible). */
export class AssignmentInputError extends TrackingError {
  constructor(where: string, expected: string, actual: string) {
    super('invalid assignment input', {
      where,
      expected,
      actual,
      hint: 'Build the cost matrix with finite distances (use +Infinity only for forbidden pairs).',
    });
  }
}

/** The detection table handed to a tracker is malformed (missing column, lengths differ, NaN). */
export class DetectionTableError extends TrackingError {
  constructor(where: string, expected: string, actual: string, hint: string) {
    super('invalid detection table', { where, expected, actual, hint });
  }
}

/** A `tracking:` config section (backend, version, parameters) that cannot be used. */
export class TrackingConfigError extends TrackingError {
  constructor(where: string, expected: string, actual: string, hint: string) {
    super('invalid tracking config', { where, expected, actual, hint });
  }
}

/** A btrack configuration (config_tracker.yml / JSON) that cannot be parsed or fails validation. */
export class BtrackConfigError extends TrackingError {
  /** The file the config came from ('' when given as an object). */
  readonly file: string;
  /** The config field path, e.g. `motion_model.H` (`where` adds the file). */
  readonly field: string;
  constructor(file: string, field: string, expected: string, actual: string, hint: string) {
    super('invalid btrack config', { where: file ? `${file}, ${field}` : field, expected, actual, hint });
    this.file = file;
    this.field = field;
  }
}

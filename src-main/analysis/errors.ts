/**
 * Errors of the image-analysis core (measurements, background, drift, tables). Each carries the
 * fields a caller needs and a message that says what went wrong, where, what was expected and how
 * to fix it.
 */

export interface AnalysisErrorFields {
  /** Function argument, option, file or column concerned. */
  where: string;
  expected: string;
  actual: string;
  /** How to fix it. */
  hint: string;
}

export class AnalysisError extends Error {
  readonly where: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint: string;

  constructor(what: string, f: AnalysisErrorFields) {
    super(`${f.where}: ${what}: expected ${f.expected}, got ${f.actual}. ${f.hint}`);
    this.name = new.target.name;
    this.where = f.where;
    this.expected = f.expected;
    this.actual = f.actual;
    this.hint = f.hint;
  }
}

/** An image (frame, label image, stack) whose size or shape does not match what was declared. */
export class ImageShapeError extends AnalysisError {
  constructor(where: string, expected: string, actual: string, hint: string) {
    super('image shape mismatch', { where, expected, actual, hint });
  }
}

/** An option or numeric argument outside its allowed range. */
export class AnalysisOptionError extends AnalysisError {
  readonly option: string;
  constructor(option: string, expected: string, actual: string, hint = `Set '${option}' to ${expected}.`) {
    super('invalid option', { where: `option '${option}'`, expected, actual, hint });
    this.option = option;
  }
}

/** A table (rows or columns) that cannot be aggregated or written. */
export class TableError extends AnalysisError {
  constructor(where: string, expected: string, actual: string, hint: string) {
    super('invalid table', { where, expected, actual, hint });
  }
}

/** Throws ImageShapeError unless `data.length === width * height` with positive integer sizes. */
export function checkFrame(where: string, data: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageShapeError(
      where,
      'positive integer width and height',
      `${width}×${height}`,
      'Pass the frame size in pixels (width = columns, height = rows).',
    );
  }
  if (data.length !== width * height) {
    throw new ImageShapeError(
      where,
      `${width * height} values (width ${width} × height ${height}, row-major)`,
      `${data.length} values`,
      'Pass one frame of exactly width × height pixels in row-major order.',
    );
  }
}

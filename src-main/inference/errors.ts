/**
 * Errors of the inference core. Each carries the fields a caller needs (model key, input name,
 * expected, actual) and a message that says what went wrong, where, what was expected and how to fix it.
 */

export interface InferenceErrorFields {
  /** Model key or file name; '' when no model is involved. */
  modelKey: string;
  /** Input/output name, frame field or table column concerned. */
  where: string;
  expected: string;
  actual: string;
  /** How to fix it. */
  hint: string;
}

export class InferenceError extends Error {
  readonly modelKey: string;
  readonly where: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint: string;

  constructor(what: string, f: InferenceErrorFields) {
    const model = f.modelKey ? `model '${f.modelKey}'` : 'inference';
    super(`${model}, ${f.where}: ${what}: expected ${f.expected}, got ${f.actual}. ${f.hint}`);
    this.name = new.target.name;
    this.modelKey = f.modelKey;
    this.where = f.where;
    this.expected = f.expected;
    this.actual = f.actual;
    this.hint = f.hint;
  }
}

/** A model input does not match what the model declares (rank, channels, size, batch). */
export class ModelInputError extends InferenceError {
  constructor(modelKey: string, inputName: string, expected: string, actual: string, hint: string) {
    super('input does not match the model', {
      modelKey,
      where: `input '${inputName}'`,
      expected,
      actual,
      hint,
    });
  }
}

/** A model produced an output whose shape or type the adapter cannot use. */
export class ModelOutputError extends InferenceError {
  constructor(modelKey: string, outputName: string, expected: string, actual: string, hint: string) {
    super('unexpected model output', { modelKey, where: `output '${outputName}'`, expected, actual, hint });
  }
}

/** A frame (image) that cannot be processed: empty, wrong size, non-finite pixels. */
export class FrameError extends InferenceError {
  constructor(where: string, expected: string, actual: string, hint: string, modelKey = '') {
    super('invalid frame', { modelKey, where, expected, actual, hint });
  }
}

/** An option outside its allowed range. */
export class InferenceOptionError extends InferenceError {
  constructor(option: string, expected: string, actual: string, modelKey = '') {
    super('invalid option', {
      modelKey,
      where: `option '${option}'`,
      expected,
      actual,
      hint: `Set '${option}' to ${expected}.`,
    });
  }
}

/** Feature columns a tabular model needs are missing from the table. */
export class MissingFeaturesError extends InferenceError {
  readonly missing: readonly string[];
  constructor(modelKey: string, missing: readonly string[], available: readonly string[]) {
    super('feature columns missing', {
      modelKey,
      where: 'feature table',
      expected: `columns ${missing.map((m) => `'${m}'`).join(', ')}`,
      actual: `columns ${available.map((m) => `'${m}'`).join(', ') || '(none)'}`,
      hint: 'Measure these features before classification, or use a model trained on the available columns.',
    });
    this.missing = missing;
  }
}

/** A model file that cannot be opened as an ONNX session (the worker's session host throws it). */
export class ModelLoadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Cannot load model '${file}': ${reason}`);
    this.name = 'ModelLoadError';
  }
}

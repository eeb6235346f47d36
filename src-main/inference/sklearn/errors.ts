/**
 * The one error of the scikit-learn model reader: it names the file, the estimator class (when
 * known), the refused Python global (when that is the cause), what is wrong and how to fix it.
 */
export interface SklearnModelErrorFields {
  /** The model file as the caller named it. */
  file: string;
  /** The class path concerned, e.g. 'sklearn.svm._classes.SVC'. */
  estimator?: string;
  /** A Python global the file names that the reader refuses (never imported or called). */
  global?: string;
  /** What is wrong, with the value found. */
  reason: string;
  /** What to do about it. */
  fix: string;
}

export class SklearnModelError extends Error {
  readonly file: string;
  readonly estimator?: string;
  readonly global?: string;
  readonly reason: string;
  readonly fix: string;

  constructor(f: SklearnModelErrorFields) {
    const what = f.estimator ? ` (${f.estimator})` : '';
    super(`Cannot use scikit-learn model '${f.file}'${what}: ${f.reason}. ${f.fix}`);
    this.name = 'SklearnModelError';
    this.file = f.file;
    this.estimator = f.estimator;
    this.global = f.global;
    this.reason = f.reason;
    this.fix = f.fix;
  }
}

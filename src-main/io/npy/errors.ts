/**
 * The one error of `.npy` reading: which file, what is wrong with it, and how to fix it, as fields
 * so a caller can show them apart (a verify report, a CLI line) without parsing the message.
 */
export class NpyError extends Error {
  override readonly name = 'NpyError';
  constructor(
    /** The file (or the name the caller gave the buffer). */
    readonly file: string,
    /** What is wrong, e.g. "dtype '<c8' is not supported (…)". */
    readonly detail: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(`'${file}': cannot read as .npy: ${detail}. ${fix}`);
  }
}

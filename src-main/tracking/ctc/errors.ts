import { TrackingError } from '../errors';

/**
 * A Cell Tracking Challenge folder or track table that cannot be used: a malformed `L B E P` line,
 * a track table that disagrees with the masks, a missing frame.
 */
export class CtcFormatError extends TrackingError {
  /** The file or folder concerned ('' when built in memory). */
  readonly file: string;
  constructor(file: string, where: string, expected: string, actual: string, hint: string) {
    super('not a valid Cell Tracking Challenge result', {
      where: file ? `${file}, ${where}` : where,
      expected,
      actual,
      hint,
    });
    this.file = file;
  }
}

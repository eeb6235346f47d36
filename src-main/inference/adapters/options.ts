import { InferenceOptionError } from '../errors';

/** HiTMicTools' inferer_args checks (FocusRestorer / Segmentator constructors). */
export function checkPatchAndOverlap(patchSize: number, overlap: number, modelKey: string): void {
  if (!Number.isInteger(patchSize) || patchSize <= 0)
    throw new InferenceOptionError('patch_size', 'a positive integer', String(patchSize), modelKey);
  if (!(typeof overlap === 'number' && overlap >= 0 && overlap < 1)) {
    throw new InferenceOptionError('overlap_ratio', 'a number in [0, 1)', String(overlap), modelKey);
  }
}

export interface StageTimings {
  /** Milliseconds per stage, in the order they ran. */
  [stage: string]: number;
}

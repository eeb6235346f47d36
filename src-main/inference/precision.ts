/**
 * `half_precision`: which model file to load. With a GPU execution provider and an fp16 export in the
 * collection, use fp16; otherwise fp32. On CPU, onnxruntime has few fp16 kernels and inserts casts
 * (often ~2× slower, onnxruntime #16778), so half precision is ignored with a note given once per process.
 */
export interface PrecisionChoice {
  file: string;
  precision: 'fp16' | 'fp32';
  /** A message to show the user, or undefined. */
  note?: string;
}

let cpuNoteGiven = false;

export function chooseModelFile(opts: {
  fp32File: string;
  fp16File?: string;
  halfPrecision: boolean;
  provider: string;
}): PrecisionChoice {
  const gpu = opts.provider !== 'cpu';
  if (!opts.halfPrecision) return { file: opts.fp32File, precision: 'fp32' };
  if (gpu && opts.fp16File) return { file: opts.fp16File, precision: 'fp16' };
  if (gpu) {
    return {
      file: opts.fp32File,
      precision: 'fp32',
      note: `half_precision: the collection has no fp16 model for '${opts.fp32File}'; using fp32.`,
    };
  }
  if (cpuNoteGiven) return { file: opts.fp32File, precision: 'fp32' };
  cpuNoteGiven = true;
  return {
    file: opts.fp32File,
    precision: 'fp32',
    note: 'half_precision is ignored on CPU: fp16 brings no speed there (onnxruntime casts to fp32); using the fp32 models.',
  };
}

/** For tests: forget that the CPU note was given. */
export function resetPrecisionNotes(): void {
  cpuNoteGiven = false;
}

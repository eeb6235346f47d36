import type { ModelKey } from '../../src-shared/collections';
import type { ModelPlan } from '../collections';

/**
 * A model step that ran out of memory: which stage, on which device, how much it had booked, and
 * the remedies of the HiTMicTools guide with the numbers of this run (a smaller patch_size, a
 * smaller batch, fewer workers; half precision on a GPU provider).
 */
export class OutOfMemoryError extends Error {
  constructor(
    readonly stage: string,
    readonly model: ModelKey,
    readonly device: string,
    readonly bookedGb: number,
    readonly reason: string,
    readonly remedies: string[],
    readonly frame?: number,
  ) {
    super(
      `Out of memory in ${stage}${frame !== undefined ? ` (frame ${frame})` : ''} on ${device}, with ${bookedGb} GB booked: ${reason}.` +
        (remedies.length ? ` Remedies: ${remedies.join('; ')}.` : ''),
    );
    this.name = 'OutOfMemoryError';
  }
}

/** Messages of a failed allocation: onnxruntime's arena, C++ bad_alloc, V8 array buffers, the OS. */
const ALLOCATION_FAILURE =
  /Failed to allocate memory|bad_alloc|Array buffer allocation failed|Invalid typed array length|out of memory|Cannot allocate memory|ENOMEM|CUDNN_STATUS_ALLOC_FAILED|CUBLAS_STATUS_ALLOC_FAILED/i;

export function isAllocationFailure(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return ALLOCATION_FAILURE.test(message);
}

/** The part of an allocation error a person can read (onnxruntime's ends in the size it wanted). */
export function allocationReason(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const size = /buffer of size (\d+)/.exec(message);
  if (size)
    return `onnxruntime could not allocate ${(Number(size[1]) / 2 ** 30).toFixed(2)} GB for one tensor`;
  if (/Array buffer allocation failed|Invalid typed array length/i.test(message))
    return 'the worker could not allocate an image buffer';
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

export interface RemedyFacts {
  plan?: ModelPlan;
  /** Frame size in pixels. */
  width?: number;
  height?: number;
  /** Worker processes of the run. */
  workers?: number;
  /** Execution provider the models run on: half precision helps on GPU providers only. */
  provider?: string;
}

/** The guide's remedies with this run's numbers, most effective first. */
export function memoryRemedies(model: ModelKey, facts: RemedyFacts): string[] {
  const out: string[] = [];
  const a = facts.plan?.infererArgs ?? {};
  const patch = typeof a.patch_size === 'number' ? a.patch_size : undefined;
  const frame = facts.width && facts.height ? Math.max(facts.width, facts.height) : undefined;
  if (patch !== undefined && frame !== undefined && patch > frame) {
    const fit = 2 ** Math.ceil(Math.log2(frame));
    out.push(
      `${model} patch_size ${patch} is larger than the ${facts.width}×${facts.height} frame: ${fit} covers it with ~${Math.round((fit / patch) ** 2 * 100)} % of the memory per window`,
    );
  } else if (patch !== undefined && patch >= 64) {
    out.push(`${model} patch_size ${patch} → ${patch / 2} needs ~¼ of the memory per window`);
  }
  if (
    facts.provider &&
    facts.provider !== 'cpu' &&
    model !== 'pi_classification' &&
    a.half_precision !== true
  )
    out.push(
      `${model} half_precision: true runs an fp16 graph on ${facts.provider}: about half the memory for weights and activations`,
    );
  const batch = facts.plan?.modelArgs.batch_size;
  if (model === 'cell_classifier' && typeof batch === 'number' && batch > 1)
    out.push(
      `cell_classifier batch_size ${batch} → ${Math.max(1, Math.floor(batch / 2))} halves the crops held at once`,
    );
  if (facts.workers !== undefined && facts.workers > 1)
    out.push(
      `num_workers ${facts.workers} → ${facts.workers - 1}: each worker holds its own copy of the models`,
    );
  return out;
}

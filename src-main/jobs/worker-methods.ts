import { MODEL_KEYS } from '../../src-shared/collections';
import type { WorkerProbe } from '../../src-shared/api';
import type {
  InferFrameParams,
  InferFrameResult,
  MovieJobParams,
  MovieJobResult,
  MovieProgress,
  TestModeOutput,
  TestModeParams,
} from '../pipeline';
import type { WaitingForMemory } from './protocol';

/** `run-test-tensor`: one ONNX model on one `.npy` test input (collection verify). */
export interface TestTensorParams {
  modelPath: string;
  inputNpy: string;
  /** Output to return; default the first. Naming it also keeps ONNX-ML non-tensor outputs unfetched. */
  outputName?: string;
}

/** `execution-providers`: whether a session of a small real model could be created with each provider. */
export interface ProviderProbe {
  provider: string;
  ok: boolean;
  error?: string;
}

/**
 * Every method a worker process answers, with what goes in, what comes back and what its
 * progress messages carry — the typed contract between host (WorkerClient, WorkerPool) and worker
 * (workers/handlers.ts), like HitmicApi is between renderer and backend. The host's calls are
 * checked against it at compile time; the worker checks what arrives with WORKER_PARAM_CHECKS.
 */
export interface WorkerMethods {
  probe: { params: undefined; result: WorkerProbe; progress: never };
  /** Keeps the worker busy (tests and the Resources view's crash demo). */
  sleep: { params: { ms: number }; result: WorkerProbe; progress: never };
  'analyse-movie': { params: MovieJobParams; result: MovieJobResult; progress: MovieProgress };
  'infer-frame': { params: InferFrameParams; result: InferFrameResult; progress: never };
  /** A config's whole pipeline on a few frames, through the worker's cache of stage outputs. */
  'test-mode': { params: TestModeParams; result: TestModeOutput; progress: never };
  'run-test-tensor': { params: TestTensorParams; result: Float32Array; progress: never };
  'execution-providers': { params: { modelPath: string }; result: ProviderProbe[]; progress: never };
}

export type WorkerMethod = keyof WorkerMethods;
export type WorkerParams<M extends WorkerMethod> = WorkerMethods[M]['params'];
export type WorkerResult<M extends WorkerMethod> = WorkerMethods[M]['result'];
/** A method's own progress, or the worker's report that the call waits for its memory booking. */
export type WorkerProgress<M extends WorkerMethod> = WorkerMethods[M]['progress'] | WaitingForMemory;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isString = (v: unknown) => typeof v === 'string' && v.length > 0;

/** Which of `fields` are not non-empty strings. */
function missingStrings(v: Record<string, unknown>, fields: string[]): string[] {
  return fields.filter((f) => !isString(v[f]));
}

function bookingProblem(v: unknown): string | null {
  if (!isObject(v)) return 'booking {device, pipeline}';
  const missing = missingStrings(v, ['device', 'pipeline']);
  return missing.length ? `booking.${missing.join(', booking.')}` : null;
}

/**
 * Runtime checks of what arrives at the worker (a message is data, whatever the host's types
 * said): each returns what is missing or wrong, or null when the params are usable.
 */
export const WORKER_PARAM_CHECKS: { readonly [M in WorkerMethod]: (params: unknown) => string | null } = {
  probe: () => null,
  sleep: (p) => {
    const ms = isObject(p) ? p.ms : undefined;
    return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 600_000
      ? null
      : `ms between 0 and 600000, got ${String(ms)}`;
  },
  'analyse-movie': (p) => {
    if (!isObject(p)) return '{movie, outputDir, pipeline, setup, models, booking, …}';
    const missing = missingStrings(p, ['movie', 'outputDir', 'pipeline']);
    if (!isObject(p.setup)) missing.push('setup');
    if (!isObject(p.models)) missing.push('models');
    if (!isObject(p.compute) || typeof p.compute.provider !== 'string') missing.push('compute {provider, deviceId}');
    const booking = bookingProblem(p.booking);
    if (booking) missing.push(booking);
    return missing.length ? missing.join(', ') : null;
  },
  'infer-frame': (p) => {
    if (!isObject(p)) return '{key, models, movie, frame, booking}';
    const missing = missingStrings(p, ['movie']);
    if (!(MODEL_KEYS as readonly unknown[]).includes(p.key))
      missing.push(`key (one of ${MODEL_KEYS.join(', ')})`);
    if (!isObject(p.models)) missing.push('models');
    if (typeof p.frame !== 'number') missing.push('frame');
    const booking = bookingProblem(p.booking);
    if (booking) missing.push(booking);
    return missing.length ? missing.join(', ') : null;
  },
  'test-mode': (p) => {
    if (!isObject(p)) return '{movie, pipeline, setup, models, frames, show, compute, booking}';
    const missing = missingStrings(p, ['movie', 'pipeline']);
    if (!isObject(p.setup)) missing.push('setup');
    if (!isObject(p.models)) missing.push('models');
    if (!(Array.isArray(p.frames) && p.frames.length === 2 && p.frames.every((f) => typeof f === 'number')))
      missing.push('frames [start, end]');
    if (typeof p.show !== 'number') missing.push('show');
    if (!isObject(p.compute) || typeof p.compute.provider !== 'string') missing.push('compute {provider, deviceId}');
    const booking = bookingProblem(p.booking);
    if (booking) missing.push(booking);
    return missing.length ? missing.join(', ') : null;
  },
  'run-test-tensor': (p) => {
    if (!isObject(p)) return '{modelPath, inputNpy}';
    const missing = missingStrings(p, ['modelPath', 'inputNpy']);
    return missing.length ? missing.join(', ') : null;
  },
  'execution-providers': (p) =>
    isObject(p) && isString(p.modelPath) ? null : '{modelPath} of a small ONNX model',
};

export function isWorkerMethod(name: unknown): name is WorkerMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(WORKER_PARAM_CHECKS, name);
}

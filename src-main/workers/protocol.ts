import type { ApiErrorPayload } from '../../src-shared/api/errors';

/**
 * Messages between a host and a worker process. The same protocol runs over Electron's
 * utilityProcess (`process.parentPort`) and Node's `child_process.fork` (`process.send`).
 */
export type HostToWorker =
  | { type: 'request'; id: number; method: string; params: unknown }
  | { type: 'cancel'; id: number }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorPayload }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

export function isWorkerToHost(v: unknown): v is WorkerToHost {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function isHostToWorker(v: unknown): v is HostToWorker {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

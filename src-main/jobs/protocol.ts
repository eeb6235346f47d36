import type { ApiErrorPayload } from '../../src-shared/api';

/**
 * Messages between a host and a worker process. The same protocol runs over Electron's
 * utilityProcess (`process.parentPort`) and Node's `child_process.fork` (`process.send`). What a
 * request's method, params and result are is typed by worker-methods.ts; here the envelope.
 */

/**
 * Memory the worker books (in the shared booking file, under its own pid) before it runs a
 * request, and releases when the request ends. If the worker dies, the next acquirer reclaims it.
 */
export interface ReservationRequest {
  device: string;
  gb: number;
  timeoutMs?: number;
  capacityGb?: number;
  stage?: string;
  description?: string;
  policy?: 'fifo' | 'first-fit-aging';
}

/** Progress a worker reports while it waits for its reservation. */
export interface WaitingForMemory {
  phase: 'waiting-for-memory';
  device: string;
  requestGb: number;
  freeGb: number;
  position: number;
  waitedMs: number;
}

export type HostToWorker =
  | { type: 'request'; id: number; method: string; params: unknown; reservation?: ReservationRequest }
  | { type: 'cancel'; id: number }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorPayload }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

/**
 * Host-side workers: starting worker processes (utilityProcess in the desktop app, fork
 * elsewhere), the typed request/response contract with them (worker-methods.ts: method → params,
 * result, progress; protocol.ts: the message envelope, cancellation, the memory a call books
 * first), one client per process and a pool of `num_workers` with a FIFO queue, crash handling and
 * cancellation. The worker side of the contract is src-main/workers/.
 */
export { forkLauncher, workerEntryPath, type WorkerChannel, type WorkerLauncher } from './launcher';
export type { HostToWorker, ReservationRequest, WaitingForMemory, WorkerToHost } from './protocol';
export { workerTestTensorRunner } from './test-tensor-runner';
export { WorkerClient, type WorkerCallOptions, type WorkerClientOptions } from './worker-client';
export {
  isWorkerMethod,
  WORKER_PARAM_CHECKS,
  type ProviderProbe,
  type TestTensorParams,
  type WorkerMethod,
  type WorkerMethods,
  type WorkerParams,
  type WorkerProgress,
  type WorkerResult,
} from './worker-methods';
export { WorkerPool, type PoolJob, type PoolStatus } from './worker-pool';

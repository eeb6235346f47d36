import type { RunTestTensor } from '../collections';
import type { WorkerClient } from './worker-client';

/**
 * `verifyCollection`'s test-tensor runner backed by a worker process (see
 * workers/test-tensor-method.ts); `signal` cancels the test running and refuses the next ones.
 */
export function workerTestTensorRunner(worker: WorkerClient, signal?: AbortSignal): RunTestTensor {
  return (modelPath, inputNpy, outputName) =>
    worker.call('run-test-tensor', { modelPath, inputNpy, outputName }, { signal });
}

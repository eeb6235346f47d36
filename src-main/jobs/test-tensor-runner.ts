import type { RunTestTensor } from '../collections/verify';
import type { WorkerClient } from './worker-client';

/** `verifyCollection`'s test-tensor runner backed by a worker process (see workers/test-tensor-method.ts). */
export function workerTestTensorRunner(worker: WorkerClient): RunTestTensor {
  return (modelPath, inputNpy, outputName) =>
    worker.call<Float32Array>('run-test-tensor', { modelPath, inputNpy, outputName });
}

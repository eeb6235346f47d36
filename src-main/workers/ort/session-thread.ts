/**
 * Entry of a session thread (node:worker_threads): one onnxruntime session of one model, created by
 * the session host inside this thread and driven by a SessionPool in the thread that started it.
 * `run()` blocks only this thread's event loop, so several such threads run one model on several
 * batches at once while the parent blends finished ones.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OutputTensor } from '../../inference';
import type { ThreadInit, ThreadReply, ThreadRequest } from './session-pool';
import { loadModel } from './session-host';

const port = parentPort;
if (!port) throw new Error('session-thread.js runs as a worker thread started by a SessionPool');

function describe(e: unknown): { name: string; message: string } {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
}

function reply(message: ThreadReply, outputs?: Record<string, OutputTensor>): void {
  // Hand the output buffers over instead of copying them; a buffer that cannot move is copied.
  const buffers = outputs ? [...new Set(Object.values(outputs).map((o) => o.data.buffer))] : [];
  try {
    port!.postMessage(message, buffers as ArrayBuffer[]);
  } catch {
    port!.postMessage(message);
  }
}

const init = workerData as ThreadInit;
// Warnings go back in the 'ready' reply; the pool's owner decides how to say them.
loadModel(init.file, { ...init.options, onWarning: () => undefined }).then(
  (hosted) => {
    const { runner } = hosted;
    port.on('message', (req: ThreadRequest | { type: 'close' }) => {
      if ('type' in req) {
        // Only ever between calls: terminating a thread while onnxruntime runs in it aborts the process.
        void hosted.session.release().finally(() => process.exit(0));
        return;
      }
      runner.run(req.feeds, req.outputNames).then(
        (outputs) => reply({ type: 'result', id: req.id, outputs }, outputs),
        (e: unknown) => reply({ type: 'error', id: req.id, error: describe(e) }),
      );
    });
    reply({
      type: 'ready',
      provider: hosted.provider,
      warnings: hosted.warnings,
      rewrites: hosted.rewrites,
      precision: hosted.precision,
      inputs: runner.inputs,
      outputs: runner.outputs,
      metadata: runner.metadata,
    });
  },
  (e: unknown) => reply({ type: 'load-error', error: describe(e) }),
);

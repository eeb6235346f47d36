/**
 * Entry of every worker process (inference host). Started by the worker pool with
 * Electron's utilityProcess.fork in the desktop app and child_process.fork in the CLI and
 * `hitmic serve`. Inference lives here because onnxruntime-node's run() blocks the event loop
 * and its memory arena never shrinks: killing this process is how memory is given back.
 */
import { toApiError } from '../api-errors';
import { acquireReservation } from '../resources';
import { runWorkerMethod } from './handlers';
import { releaseAllPools } from './ort';
import './pipeline-method';
import './providers-method';
import './test-mode-method';
import './test-tensor-method';
import type { HostToWorker, WaitingForMemory } from '../jobs';
import { connectToParent } from './parent-port';

const startedAt = Date.now();
const port = connectToParent();
const inFlight = new Map<number, AbortController>();
const releases = new Map<number, () => Promise<void>>();

/** Books the request's memory under this worker's pid before the work starts. */
async function runWithReservation(
  message: Extract<HostToWorker, { type: 'request' }>,
  signal: AbortSignal,
  progress: (p: unknown) => void,
): Promise<void> {
  const r = message.reservation;
  if (!r || r.gb <= 0) return;
  const reservation = await acquireReservation({
    ...r,
    description: r.description ?? `${message.method} in worker ${process.pid}`,
    signal,
    onWait: (w) => {
      const waiting: WaitingForMemory = {
        phase: 'waiting-for-memory',
        device: w.device,
        requestGb: w.requestGb,
        freeGb: w.freeGb,
        position: w.position,
        waitedMs: w.waitedMs,
      };
      progress(waiting);
    },
  });
  releases.set(message.id, () => reservation.release());
}

port.onMessage((message) => {
  switch (message.type) {
    case 'request': {
      const controller = new AbortController();
      inFlight.set(message.id, controller);
      const ctx = {
        signal: controller.signal,
        host: port.host,
        startedAt,
        progress: (progress: unknown) => port.post({ type: 'progress', id: message.id, progress }),
        log: (level: 'debug' | 'info' | 'warn' | 'error', text: string) =>
          port.post({ type: 'log', level, message: text }),
      };
      runWithReservation(message, controller.signal, ctx.progress)
        .then(() => runWorkerMethod(message.method, message.params, ctx))
        // Memory is given back before the host hears the result, so its next job can book it.
        .finally(() => releases.get(message.id)?.())
        .then(
          (result) => port.post({ type: 'response', id: message.id, result }),
          (err: unknown) => port.post({ type: 'error', id: message.id, error: toApiError(err).toPayload() }),
        )
        .finally(() => {
          inFlight.delete(message.id);
          releases.delete(message.id);
        });
      break;
    }
    case 'cancel':
      inFlight.get(message.id)?.abort();
      break;
    case 'shutdown':
      stopAndExit();
      break;
  }
});

/**
 * Cancels every job (their outputs stay under temporary names) and exits. Session threads stop
 * between model calls (ending them inside onnxruntime aborts the process); a call takes a second at
 * most, so wait up to 3 s for them.
 */
function stopAndExit(): void {
  for (const c of inFlight.values()) c.abort();
  const stopped = Promise.race([releaseAllPools(), new Promise((r) => setTimeout(r, 3000))]);
  // A tick for the pending error replies to leave, then go.
  void stopped.finally(() => setImmediate(() => process.exit(0)));
}

// A parent killed without a shutdown message must not leave this worker finishing its jobs alone
// (holding bookings and writing results nobody asked for any more).
port.onParentGone(stopAndExit);

process.on('uncaughtException', (err) => {
  port.post({
    type: 'log',
    level: 'error',
    message: `worker ${process.pid} crashed: ${err.stack ?? err.message}`,
  });
  process.exit(70);
});

port.post({ type: 'ready', pid: process.pid });

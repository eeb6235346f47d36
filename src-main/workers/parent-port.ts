import type { HostToWorker, WorkerToHost } from '../jobs';

/** The one place that knows whether this worker runs under Electron or under child_process.fork. */
export interface ParentPort {
  host: 'utilityProcess' | 'fork';
  post(message: WorkerToHost): void;
  onMessage(handler: (message: HostToWorker) => void): void;
  /** Called once when the parent is gone without saying goodbye (it was killed or crashed). */
  onParentGone(handler: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      host: 'utilityProcess',
      post: (m) => electronPort.postMessage(m),
      onMessage: (h) => electronPort.on('message', (e) => h(e.data as HostToWorker)),
      // Utility processes are children of Electron's browser process and end with it.
      onParentGone: () => undefined,
    };
  }
  if (typeof process.send === 'function') {
    return {
      host: 'fork',
      post: (m) => {
        // The parent may already be gone (it was killed); nothing useful can be done then.
        if (process.connected) process.send?.(m);
      },
      onMessage: (h) => process.on('message', (m) => h(m as HostToWorker)),
      // A forked child outlives a killed parent: its IPC channel closing is the only sign.
      onParentGone: (h) => process.once('disconnect', h),
    };
  }
  throw new Error('worker started without a parent: run it through the worker pool, not directly');
}

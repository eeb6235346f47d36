import { utilityProcess } from 'electron';
import type { WorkerChannel, WorkerLauncher } from '../jobs';
import type { WorkerToHost } from '../jobs';

/**
 * Starts workers with Electron's utilityProcess: a Chromium service process with Node, the
 * desktop equivalent of child_process.fork. A crash there is a failed job, never a crashed app.
 */
export const utilityLauncher: WorkerLauncher = (entry, options) => {
  const child = utilityProcess.fork(entry, [], {
    serviceName: options.name,
    stdio: 'inherit',
    env: { ...process.env, ...options.env, HITMIC_WORKER_NAME: options.name },
  });
  let exited = false;
  const channel: WorkerChannel = {
    get pid() {
      return child.pid;
    },
    post: (m) => {
      // Posting to a process that has exited used to crash the main process (electron #53923).
      if (!exited) child.postMessage(m);
    },
    onMessage: (h) => child.on('message', (m: unknown) => h(m as WorkerToHost)),
    onExit: (h) =>
      child.once('exit', (code: number) => {
        exited = true;
        h({ code, signal: null });
      }),
    kill: () => {
      if (!exited) child.kill();
    },
  };
  child.once('exit', () => {
    exited = true;
  });
  return channel;
};

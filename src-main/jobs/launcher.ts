import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../version';
import type { HostToWorker, WorkerToHost } from './protocol';

/**
 * A started worker process as the host sees it. Electron's utilityProcess and Node's
 * child_process both fit behind this, so the worker pool never imports 'electron'.
 */
export interface WorkerChannel {
  pid: number | undefined;
  post(message: HostToWorker): void;
  onMessage(handler: (message: WorkerToHost) => void): void;
  /** Called once when the process is gone, with its exit code or the signal that killed it. */
  onExit(handler: (info: { code: number | null; signal: string | null }) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type WorkerLauncher = (
  entry: string,
  options: { name: string; env?: NodeJS.ProcessEnv },
) => WorkerChannel;

/** Path of the compiled worker entry, whether we run from dist/ or from sources under test. */
export function workerEntryPath(): string {
  const sibling = path.join(__dirname, '..', 'workers', 'worker-main.js');
  if (fs.existsSync(sibling)) return sibling;
  return path.join(appRoot(), 'dist', 'node', 'src-main', 'workers', 'worker-main.js');
}

/** child_process.fork launcher, used by the CLI and `hitmic serve`. */
export const forkLauncher: WorkerLauncher = (entry, options) => {
  const child = fork(entry, [], {
    env: { ...process.env, ...options.env, HITMIC_WORKER_NAME: options.name },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced', // typed arrays cross as typed arrays, not JSON objects
  });
  return {
    get pid() {
      return child.pid;
    },
    post: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (h) => child.on('message', (m) => h(m as WorkerToHost)),
    onExit: (h) => child.once('exit', (code, signal) => h({ code, signal })),
    kill: (signal) => {
      child.kill(signal);
    },
  };
};

import { ApiError } from '../../src-shared/api';
import type { ReservationRequest, WorkerToHost } from './protocol';
import type { WorkerMethod, WorkerParams, WorkerProgress, WorkerResult } from './worker-methods';
import { forkLauncher, workerEntryPath, type WorkerChannel, type WorkerLauncher } from './launcher';

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  onProgress?: (p: unknown) => void;
  method: string;
}

/** How one call runs: cancellation, progress, and the memory the worker books before it starts. */
export interface WorkerCallOptions<M extends WorkerMethod> {
  signal?: AbortSignal;
  onProgress?: (p: WorkerProgress<M>) => void;
  reservation?: ReservationRequest;
}

export interface WorkerClientOptions {
  name?: string;
  launcher?: WorkerLauncher;
  entry?: string;
  /** Receives the worker's log lines. */
  onLog?: (level: string, message: string) => void;
}

/**
 * One worker process seen from the host: typed request/response over the worker protocol.
 * A worker that dies fails every call in flight with WORKER_CRASHED (naming the method, pid and
 * exit signal) and is started afresh on the next call; the host itself never goes down with it.
 */
export class WorkerClient {
  private channel: WorkerChannel | undefined;
  private ready: Promise<number> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly launcher: WorkerLauncher;
  private readonly entry: string;
  private readonly name: string;
  private disposed = false;

  constructor(private readonly options: WorkerClientOptions = {}) {
    this.launcher = options.launcher ?? forkLauncher;
    this.entry = options.entry ?? workerEntryPath();
    this.name = options.name ?? 'hitmic-worker';
  }

  /** Number of calls waiting for an answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Kills the worker process now (a cancelled job whose model call cannot be interrupted). */
  kill(): void {
    this.channel?.kill('SIGKILL');
  }

  /** The pid of the running worker, if one is up. */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  private start(): Promise<number> {
    if (this.ready) return this.ready;
    const channel = this.launcher(this.entry, { name: this.name });
    this.channel = channel;
    this.ready = new Promise<number>((resolve, reject) => {
      channel.onMessage((m: WorkerToHost) => {
        if (m.type === 'ready') resolve(m.pid);
        else this.onMessage(m);
      });
      channel.onExit(({ code, signal }) => {
        if (this.channel === channel) {
          this.channel = undefined;
          this.ready = undefined;
        }
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const err = (method: string) =>
          new ApiError(
            'WORKER_CRASHED',
            `worker process ${channel.pid ?? '?'} ${how} while running '${method}'; the job failed, the app is still running`,
            {
              pid: channel.pid,
              code,
              signal,
              method,
            },
          );
        reject(err('startup'));
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          p.reject(err(p.method));
        }
      });
    });
    return this.ready;
  }

  private onMessage(m: WorkerToHost): void {
    if (m.type === 'log') {
      this.options.onLog?.(m.level, m.message);
      return;
    }
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else {
      this.pending.delete(m.id);
      if (m.type === 'response') p.resolve(m.result);
      else p.reject(ApiError.fromPayload(m.error));
    }
  }

  /**
   * Calls a worker method (typed by worker-methods.ts); rejects with ApiError (WORKER_CRASHED if
   * the process dies, CANCELLED when `signal` aborts and the worker stops the job).
   */
  async call<M extends WorkerMethod>(
    method: M,
    params: WorkerParams<M>,
    options: WorkerCallOptions<M> = {},
  ): Promise<WorkerResult<M>> {
    if (this.disposed) throw new ApiError('CANCELLED', 'worker pool is shut down');
    if (options.signal?.aborted)
      throw new ApiError('CANCELLED', `'${method}' was cancelled before it started`);
    await this.start();
    const channel = this.channel;
    if (!channel)
      throw new ApiError('WORKER_CRASHED', `worker process exited before '${method}' could start`);
    const id = this.nextId++;
    return new Promise<WorkerResult<M>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress as ((p: unknown) => void) | undefined,
        method,
      });
      options.signal?.addEventListener('abort', () => channel.post({ type: 'cancel', id }));
      channel.post({
        type: 'request',
        id,
        method,
        params,
        ...(options.reservation ? { reservation: options.reservation } : {}),
      });
    });
  }

  /** Asks the worker to exit, and kills it if it does not within `graceMs`. */
  async dispose(graceMs = 2000): Promise<void> {
    this.disposed = true;
    const channel = this.channel;
    if (!channel) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.kill('SIGKILL');
        resolve();
      }, graceMs);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.post({ type: 'shutdown' });
    });
  }
}

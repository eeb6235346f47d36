import { ApiError } from '../../src-shared/api';
import type { ReservationRequest } from './protocol';
import type { WorkerLauncher } from './launcher';
import { WorkerClient } from './worker-client';
import type { WorkerMethod, WorkerParams, WorkerProgress, WorkerResult } from './worker-methods';

export interface PoolJob<M extends WorkerMethod = WorkerMethod> {
  method: M;
  params: WorkerParams<M>;
  /** Memory the worker books before running this job (see ReservationRequest). */
  reservation?: ReservationRequest;
  /** Extra attempts when the worker dies under the job (default 0). */
  retries?: number;
  signal?: AbortSignal;
  onProgress?: (p: WorkerProgress<M>) => void;
  /** Shown in logs and errors, e.g. "segmentation of movie_01". */
  label?: string;
}

interface Queued<T> {
  job: PoolJob;
  attemptsLeft: number;
  resolve(v: T): void;
  reject(e: unknown): void;
}

export interface PoolStatus {
  size: number;
  running: { slot: number; pid: number | undefined; label: string }[];
  queued: string[];
}

/**
 * `num_workers` worker processes and a FIFO job queue. Each job runs in one worker, which books
 * the job's memory itself (so a killed worker's booking is reclaimed by pid); a worker that
 * dies fails its job with WORKER_CRASHED — or retries it once more when asked — and is replaced
 * by a fresh process on the slot's next job. A cancelled running job whose worker does not stop
 * within `cancelGraceMs` (an ONNX run cannot be interrupted) has its worker killed.
 */
export class WorkerPool {
  private readonly slots: WorkerClient[];
  private readonly running = new Map<number, { label: string }>();
  private readonly queue: Queued<unknown>[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly options: {
      launcher?: WorkerLauncher;
      onLog?: (level: string, message: string) => void;
      cancelGraceMs?: number;
    } = {},
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new ApiError('BAD_INPUT', `num_workers must be an integer ≥ 1, got ${String(size)}`);
    this.slots = Array.from(
      { length: size },
      (_, i) =>
        new WorkerClient({ name: `hitmic-worker-${i}`, launcher: options.launcher, onLog: options.onLog }),
    );
  }

  submit<M extends WorkerMethod>(job: PoolJob<M>): Promise<WorkerResult<M>> {
    if (this.closed) return Promise.reject(new ApiError('CANCELLED', 'the worker pool is shut down'));
    if (job.signal?.aborted)
      return Promise.reject(
        new ApiError('CANCELLED', `${job.label ?? job.method} was cancelled before it started`),
      );
    return new Promise<WorkerResult<M>>((resolve, reject) => {
      // The queue holds jobs of every method; each entry resolves its own call's promise.
      const entry = {
        job: job as unknown as PoolJob,
        attemptsLeft: 1 + (job.retries ?? 0),
        resolve: resolve as (v: unknown) => void,
        reject,
      } satisfies Queued<unknown>;
      this.queue.push(entry);
      job.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(new ApiError('CANCELLED', `${job.label ?? job.method} was cancelled while queued`));
        }
      });
      this.pump();
    });
  }

  status(): PoolStatus {
    return {
      size: this.size,
      running: [...this.running].map(([slot, r]) => ({ slot, pid: this.slots[slot].pid, label: r.label })),
      queued: this.queue.map((q) => q.job.label ?? q.job.method),
    };
  }

  private pump(): void {
    for (let slot = 0; slot < this.slots.length && this.queue.length > 0; slot++) {
      if (this.running.has(slot)) continue;
      const next = this.queue.shift()!;
      void this.runOn(slot, next);
    }
  }

  private async runOn(slot: number, entry: Queued<unknown>): Promise<void> {
    const { job } = entry;
    const label = job.label ?? job.method;
    this.running.set(slot, { label });
    const client = this.slots[slot];
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killTimer = setTimeout(() => client.kill(), this.options.cancelGraceMs ?? 2000);
    };
    job.signal?.addEventListener('abort', onAbort);
    try {
      entry.attemptsLeft--;
      const result = await client.call(job.method, job.params, {
        signal: job.signal,
        onProgress: job.onProgress,
        reservation: job.reservation,
      });
      entry.resolve(result);
    } catch (err) {
      const crashed = err instanceof ApiError && err.code === 'WORKER_CRASHED';
      if (job.signal?.aborted) entry.reject(new ApiError('CANCELLED', `${label} was cancelled`));
      else if (crashed && entry.attemptsLeft > 0) {
        this.options.onLog?.('warn', `${label}: ${err.message}; retrying on a fresh worker`);
        this.queue.unshift(entry);
      } else entry.reject(err);
    } finally {
      if (killTimer) clearTimeout(killTimer);
      job.signal?.removeEventListener('abort', onAbort);
      this.running.delete(slot);
      if (!this.closed) this.pump();
    }
  }

  async dispose(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0))
      q.reject(new ApiError('CANCELLED', 'the worker pool is shutting down'));
    await Promise.all(this.slots.map((s) => s.dispose()));
  }
}

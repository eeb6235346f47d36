import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FeedTensor, ModelPrecision, ModelRunner, OutputTensor, TensorSpec } from '../../inference';
import { checkRequest } from './feeds';
import { PathCache, sessionKey, sessionKeys } from './path-cache';
import type { ProviderName } from './providers';
import type { HostedModel, SessionOptions } from './session-host';

/**
 * Several sessions of one model, each on its own thread (node:worker_threads) with one intra-op
 * thread, behind one ModelRunner whose `concurrency` tells the sliding window to keep that many
 * batches in flight. On a CPU this beats one session with as many intra-op threads: some kernels of
 * small U-Nets do not split across threads (InstanceNormalization) or split poorly (ConvTranspose),
 * and the parent thread blends finished windows while the threads compute. Measured on the demo
 * collection, 2 cores: U-Net ~17 %, NAFNet ~10 % faster (`npm run bench -- inference`).
 * A model that lands on a GPU provider keeps a single session: parallel GPU sessions only cost memory.
 */

/** What a session thread is started with (workerData). */
export interface ThreadInit {
  file: string;
  options: Omit<SessionOptions, 'onWarning'>;
}
export interface ThreadRequest {
  id: number;
  feeds: Record<string, FeedTensor>;
  outputNames: string[];
}
export type ThreadReply =
  | {
      type: 'ready';
      provider: ProviderName;
      warnings: string[];
      rewrites: string[];
      precision: ModelPrecision;
      inputs: readonly TensorSpec[];
      outputs: readonly TensorSpec[];
      metadata: Readonly<Record<string, string>>;
    }
  | { type: 'result'; id: number; outputs: Record<string, OutputTensor> }
  | { type: 'error'; id: number; error: { name: string; message: string } }
  | { type: 'load-error'; error: { name: string; message: string } };

export interface PoolOptions extends SessionOptions {
  /** Sessions (threads) to run; each gets threads/sessions intra-op threads (at least 1). */
  sessions: number;
}

/** A pooled model: like HostedModel, without a session object of its own. */
export type PooledModel = Omit<HostedModel, 'session'> & { sessions: number };

function threadEntry(): string {
  const sibling = path.join(__dirname, 'session-thread.js');
  if (fs.existsSync(sibling)) return sibling;
  // Running from source (tests): the compiled entry of `npm run build:main`.
  return path.resolve(__dirname, '../../../dist/node/src-main/workers/ort/session-thread.js');
}

function errorFrom(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

interface Call {
  request: ThreadRequest;
  transfer: ArrayBuffer[];
  resolve(out: Record<string, OutputTensor>): void;
  reject(err: Error): void;
}

/** One session thread: at most one call at a time. */
class SessionThread {
  current?: Call;
  private failure?: Error;
  private readonly worker: Worker;
  readonly ready: Promise<Extract<ThreadReply, { type: 'ready' }>>;
  private readonly exited: Promise<void>;

  constructor(
    init: ThreadInit,
    private readonly key: string,
    private readonly onIdle: () => void,
  ) {
    this.worker = new Worker(threadEntry(), { workerData: init });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (msg: ThreadReply) => {
        if (msg.type === 'ready') {
          // An idle pool must not keep a CLI or worker process alive. (Unref'ing right after
          // `new Worker` does not last: the port is ref'ed again when the thread comes up.)
          this.worker.unref();
          resolve(msg);
        } else if (msg.type === 'load-error') reject(errorFrom(msg.error));
        else this.finish(msg);
      });
      const stopped = (why: string) => {
        this.failure ??= new Error(
          `model '${this.key}': its session thread stopped (${why}). The call failed; load the model again to retry.`,
        );
        reject(this.failure);
        this.current?.reject(this.failure);
        this.current = undefined;
        this.onIdle(); // the pool moves waiting calls to the threads still running
      };
      this.worker.on('error', (e) => stopped(e.message));
      this.worker.on('exit', (code) => stopped(`exit code ${code}`));
    });
    this.ready.catch(() => undefined);
  }

  /** Why this thread no longer takes calls (it stopped, or the pool was released). */
  get stoppedBecause(): Error | undefined {
    return this.failure;
  }

  start(call: Call): void {
    if (this.failure) {
      call.reject(this.failure);
      return;
    }
    this.current = call;
    this.worker.ref(); // a pending call keeps the process alive until it is answered
    this.worker.postMessage(call.request, call.transfer);
  }

  private finish(msg: Extract<ThreadReply, { type: 'result' | 'error' }>): void {
    const call = this.current;
    if (!call || call.request.id !== msg.id) return;
    this.current = undefined;
    this.worker.unref();
    if (msg.type === 'result') call.resolve(msg.outputs);
    else call.reject(errorFrom(msg.error));
    this.onIdle();
  }

  /**
   * Stops the thread once its current call is answered: the thread releases its session and exits.
   * Never `worker.terminate()` while onnxruntime runs in the thread: that aborts the whole process.
   */
  async close(): Promise<void> {
    const alreadyStopped = this.failure !== undefined;
    this.failure ??= new Error(`model '${this.key}' was released`);
    if (alreadyStopped) {
      // A thread that failed to load or crashed exits on its own.
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      return;
    }
    if (this.current) {
      const call = this.current;
      await new Promise<void>((resolve) => {
        const { resolve: res, reject: rej } = call;
        call.resolve = (out) => (res(out), resolve());
        call.reject = (err) => (rej(err), resolve());
      });
    }
    this.worker.ref();
    this.worker.postMessage({ type: 'close' });
    await this.exited;
  }
}

class SessionPool {
  private readonly queue: Call[] = [];
  private nextId = 1;

  constructor(
    readonly threads: SessionThread[],
    readonly key: string,
    readonly inputs: readonly TensorSpec[],
    readonly outputs: readonly TensorSpec[],
  ) {}

  async run(
    feeds: Record<string, FeedTensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, OutputTensor>> {
    const fetch = checkRequest(this.key, this.inputs, this.outputs, feeds, outputNames);
    // The caller may refill its buffers as soon as run() returns: the thread gets copies.
    const copies: Record<string, FeedTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, feed] of Object.entries(feeds)) {
      const data = feed.data.slice();
      copies[name] = { data, dims: [...feed.dims] };
      transfer.push(data.buffer);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: { id: this.nextId++, feeds: copies, outputNames: fetch },
        transfer,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  pump(): void {
    const running = this.threads.filter((t) => !t.stoppedBecause);
    if (running.length === 0) {
      // Every thread stopped: nothing will answer, so fail what waits, with the first thread's reason.
      const why = this.threads[0]?.stoppedBecause ?? new Error(`model '${this.key}' has no session thread`);
      for (const call of this.queue.splice(0)) call.reject(why);
      return;
    }
    for (const t of running) {
      if (this.queue.length === 0) return;
      if (!t.current) t.start(this.queue.shift()!);
    }
  }

  async close(): Promise<void> {
    const err = new Error(`model '${this.key}' was released`);
    for (const call of this.queue.splice(0)) call.reject(err);
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

const pools = new PathCache<{ model: PooledModel; pool: SessionPool }>((p) => p.pool.close());

async function createPool(
  file: string,
  opts: PoolOptions,
): Promise<{ model: PooledModel; pool: SessionPool }> {
  const key = opts.key ?? path.basename(file);
  const sessions = Math.max(1, Math.floor(opts.sessions));
  const perSession = Math.max(1, Math.floor((opts.threads ?? sessions) / sessions));
  const { onWarning, sessions: _sessions, ...rest } = opts;
  const init: ThreadInit = { file, options: { ...rest, key, threads: perSession } };
  const threads: SessionThread[] = [];
  let pool: SessionPool | undefined;
  const onIdle = () => pool?.pump();
  try {
    // The first session shows which provider the model lands on; only a CPU one gets company.
    const first = new SessionThread(init, key, onIdle);
    threads.push(first);
    const ready = await first.ready;
    const more = ready.provider === 'cpu' ? sessions - 1 : 0;
    for (let i = 0; i < more; i++) threads.push(new SessionThread(init, key, onIdle));
    await Promise.all(threads.map((t) => t.ready));
    const warn = onWarning ?? ((m: string) => console.warn(m));
    ready.warnings.forEach(warn);
    pool = new SessionPool(threads, key, ready.inputs, ready.outputs);
    const runner: ModelRunner = {
      key,
      inputs: ready.inputs,
      outputs: ready.outputs,
      provider: ready.provider,
      metadata: ready.metadata,
      concurrency: threads.length,
      run: (feeds, outputNames) => pool!.run(feeds, outputNames),
    };
    const model: PooledModel = {
      runner,
      file,
      provider: ready.provider,
      warnings: ready.warnings,
      rewrites: ready.rewrites,
      precision: ready.precision,
      sessions: threads.length,
    };
    return { model, pool };
  } catch (e) {
    await Promise.all(threads.map((t) => t.close()));
    throw e;
  }
}

/**
 * The cached pool of `opts.sessions` sessions of a model file (keyed by its absolute path), started on
 * first use; options of later calls for the same file are ignored (release it first).
 */
export async function loadModelPool(file: string, opts: PoolOptions): Promise<PooledModel> {
  const key = sessionKey(file, opts);
  const hit = pools.peek(key);
  const cached = hit && (await hit.catch(() => undefined));
  // All its threads stopped (crashed): start a fresh pool rather than fail every call.
  if (cached && cached.pool.threads.every((t) => t.stoppedBecause)) pools.forget(key);
  return (await pools.get(key, () => createPool(path.resolve(file), opts))).model;
}

/** Stops the threads of one pooled model, fp32 and fp16 (no-op when none); its pending calls fail. */
export async function releasePool(file: string): Promise<void> {
  await Promise.all(sessionKeys(file).map((k) => pools.release(k)));
}

export function releaseAllPools(): Promise<void> {
  return pools.releaseAll();
}

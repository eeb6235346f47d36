import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChannelContrastStats } from '../../../src-shared/api';
import type { MovieInfo, PixelSource, Plane, PlaneSelection } from '../../../src-shared/io';
import { TiffError } from '../tiff/errors';
import type { MovieOptions } from './movie';
import { fromWire, type HostMessage, type ReaderThreadInit, type ThreadMessage } from './thread-protocol';

function threadEntry(): string {
  const sibling = path.join(__dirname, 'reader-thread.js');
  if (fs.existsSync(sibling)) return sibling;
  // Running from source (tests): the compiled entry of `npm run build:main`.
  return path.resolve(__dirname, '../../../dist/node/src-main/io/movie/reader-thread.js');
}

interface PendingRead {
  /** A plane for `read`, stats for `stats`: `request` knows which it asked for. */
  resolve(value: Plane | ChannelContrastStats): void;
  reject(err: unknown): void;
}

/**
 * A movie opened and read on its own worker thread (node:worker_threads): the same `info` and
 * `readPlane` as `Movie`, but indexing the file and decoding planes never block the event loop of
 * the process that calls it, so a backend serving the UI keeps answering while a large or hostile
 * plane decodes. Planes come back by transfer (no copy); an aborted read rejects at once and the
 * thread drops its result. Use this where the event loop must stay free (the `serve` and desktop
 * backends); worker processes, which do nothing else meanwhile, use `openMovie` directly.
 *
 * Why a thread and not the inference worker processes: a plane arrives here without being copied
 * or serialised (a transfer), where a process would send 8 MB through a pipe for every Viewer
 * frame; and a thread starts in tens of milliseconds without a memory booking.
 */
export class ThreadedMovie implements PixelSource {
  private readonly pending = new Map<number, PendingRead>();
  private nextId = 1;
  private stopped: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly info: MovieInfo,
  ) {
    worker.on('message', (msg: ThreadMessage) => this.answer(msg));
    const stop = (why: string): void => {
      this.stopped ??= new TiffError(`The reader of this movie stopped (${why})`, {
        code: 'state',
        path: info.path,
        fix: 'Open the movie again',
      });
      for (const p of this.pending.values()) p.reject(this.stopped);
      this.pending.clear();
    };
    worker.on('error', (e) => stop(e.message));
    worker.on('exit', (code) => stop(`exit code ${code}`));
  }

  /** Opens `file` (any input `openMovie` takes) on a new reader thread. */
  static open(file: string, options: MovieOptions = {}): Promise<ThreadedMovie> {
    const init: ReaderThreadInit = { path: file, options };
    const worker = new Worker(threadEntry(), { workerData: init });
    return new Promise<ThreadedMovie>((resolve, reject) => {
      const fail = (err: Error): void => {
        cleanup();
        void worker.terminate();
        reject(err);
      };
      const onMessage = (msg: ThreadMessage): void => {
        if (msg.type === 'opened') {
          cleanup();
          // An idle reader must not keep a process alive; a pending read refs it again.
          worker.unref();
          resolve(new ThreadedMovie(worker, msg.info));
        } else if (msg.type === 'open-failed') fail(fromWire(msg.error));
      };
      const onError = (e: Error): void =>
        fail(
          new Error(
            `The movie reader thread could not start (${e.message}); build with "npm run build:main"`,
          ),
        );
      const onExit = (code: number): void => fail(new Error(`The movie reader thread exited (code ${code})`));
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /**
   * Decodes plane (t, c, z) on the reader thread. Rejects as `Movie.readPlane` does (a TiffError
   * for bad indices or a bad file, the signal's reason when aborted).
   */
  readPlane(sel: PlaneSelection, signal?: AbortSignal): Promise<Plane> {
    return this.request<Plane>((id) => ({ type: 'read', id, sel }), signal);
  }

  /**
   * Histogram, range and 1–99.8 % contrast of channel `channel` over planes `ts` (z = 0), decoded
   * and counted on the reader thread: only the small result crosses back. Rejects as `readPlane`.
   */
  sampleStats(channel: number, ts: number[], signal?: AbortSignal): Promise<ChannelContrastStats> {
    return this.request<ChannelContrastStats>((id) => ({ type: 'stats', id, channel, ts }), signal);
  }

  /** Posts a request to the thread; its answer (or failure, or the signal's abort) settles the promise. */
  private request<T>(message: (id: number) => HostMessage, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.closing) {
      return Promise.reject(
        new TiffError('The movie was used after close()', {
          code: 'state',
          path: this.info.path,
          fix: 'Open the movie again',
        }),
      );
    }
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        this.post({ type: 'cancel', id });
        this.idle();
        reject(abortReason(signal));
      };
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as T);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.ref();
      this.post(message(id));
    });
  }

  /** Closes the movie's files and ends its thread; reads still pending reject. Safe to call again. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.stopped) {
        this.worker.ref();
        const done = new Promise<void>((resolve) => {
          this.worker.once('exit', () => resolve());
          const timer = setTimeout(() => void this.worker.terminate(), 5000);
          timer.unref();
        });
        this.post({ type: 'close' });
        await done;
      }
      const closed = new TiffError('The movie was closed', { code: 'state', path: this.info.path });
      for (const p of this.pending.values()) p.reject(closed);
      this.pending.clear();
    })();
    return this.closing;
  }

  private answer(msg: ThreadMessage): void {
    if (msg.type !== 'plane' && msg.type !== 'stats' && msg.type !== 'failed') return;
    const p = this.pending.get(msg.id);
    if (!p) return; // cancelled meanwhile
    this.pending.delete(msg.id);
    this.idle();
    if (msg.type === 'plane') p.resolve(msg.plane);
    else if (msg.type === 'stats') p.resolve(msg.stats);
    else p.reject(fromWire(msg.error));
  }

  private idle(): void {
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
  }

  private post(msg: HostMessage): void {
    this.worker.postMessage(msg);
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The read was aborted', 'AbortError');
}

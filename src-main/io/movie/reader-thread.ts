/**
 * The reader thread of a ThreadedMovie: opens one movie and answers plane reads, so that
 * indexing and decoding (inflate, LZW, predictors, byte swapping, copies) never run on the event
 * loop of the process that serves the UI. Each plane goes back by transfer, not by copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Movie } from './movie';
import { openMovie } from './open';
import { sampleStats } from './sample-stats';
import { toWire, type HostMessage, type ReaderThreadInit, type ThreadMessage } from './thread-protocol';

const port = parentPort;
if (!port) throw new Error('reader-thread.ts runs only as a worker thread (see threaded.ts)');
const init = workerData as ReaderThreadInit;
const send = (msg: ThreadMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);
const reads = new Map<number, AbortController>();
let movie: Movie | null = null;

const opened = openMovie(init.path, init.options).then(
  (m) => {
    movie = m;
    send({ type: 'opened', info: m.info });
  },
  (err: unknown) => send({ type: 'open-failed', error: toWire(err) }),
);

async function read(id: number, msg: Extract<HostMessage, { type: 'read' }>): Promise<void> {
  const ac = new AbortController();
  reads.set(id, ac);
  try {
    await opened;
    if (!movie) throw new Error('the movie did not open');
    const plane = await movie.readPlane(msg.sel, ac.signal);
    // readPlane returns a fresh copy whose buffer is the plane's alone: hand it over.
    send({ type: 'plane', id, plane }, [plane.data.buffer as ArrayBuffer]);
  } catch (err) {
    if (!ac.signal.aborted) send({ type: 'failed', id, error: toWire(err) });
  } finally {
    reads.delete(id);
  }
}

/** Sample statistics of a channel: many planes decoded and counted here, one small answer sent back. */
async function stats(id: number, msg: Extract<HostMessage, { type: 'stats' }>): Promise<void> {
  const ac = new AbortController();
  reads.set(id, ac);
  try {
    await opened;
    if (!movie) throw new Error('the movie did not open');
    send({ type: 'stats', id, stats: await sampleStats(movie, msg.channel, msg.ts, ac.signal) });
  } catch (err) {
    if (!ac.signal.aborted) send({ type: 'failed', id, error: toWire(err) });
  } finally {
    reads.delete(id);
  }
}

port.on('message', (msg: HostMessage) => {
  if (msg.type === 'read') void read(msg.id, msg);
  else if (msg.type === 'stats') void stats(msg.id, msg);
  else if (msg.type === 'cancel') reads.get(msg.id)?.abort();
  else {
    for (const ac of reads.values()) ac.abort();
    void (async () => {
      await opened;
      await movie?.close().catch(() => undefined);
      send({ type: 'closed' });
      port.close();
    })();
  }
});

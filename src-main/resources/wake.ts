import { watchBookingFile } from './booking-transaction';

/**
 * Wakes a waiter when its booking file changes (fs.watch on the directory, best effort), when its
 * poll interval elapses (the poll also catches holders that died without touching the file), or
 * when its AbortSignal fires, whichever comes first.
 */
export class BookingFileWaker {
  private changed = false;
  private wakeNow: (() => void) | null = null;
  private readonly stopWatching: () => void;

  constructor(
    file: string,
    private readonly signal?: AbortSignal,
  ) {
    this.stopWatching = watchBookingFile(file, () => {
      this.changed = true;
      this.wakeNow?.();
    });
  }

  /** Resolves after at most `ms`, earlier on a file change (also one that happened since the last call) or abort. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.changed || this.signal?.aborted) {
        this.changed = false;
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', done);
        this.wakeNow = null;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.signal?.addEventListener('abort', done, { once: true });
      this.wakeNow = done;
    });
  }

  close(): void {
    this.stopWatching();
    this.wakeNow?.();
  }
}

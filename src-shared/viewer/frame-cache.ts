/**
 * Frame fetching for the Viewer: a small LRU of decoded planes with in-flight de-duplication, and
 * a latest-wins scheduler so that a fast scrub only draws the frame asked for last.
 */

/** LRU cache of promises by key: one request per key, failures are not kept. */
export class PromiseLru<T> {
  private readonly entries = new Map<string, Promise<T>>();
  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`cache capacity must be ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The cached promise for `key`, or `load()`'s, cached (and evicting the least recently used). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const p = load();
    this.entries.set(key, p);
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return p;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Runs at most one request at a time and keeps only the newest waiting one: requests made while
 * one runs replace each other, and a result is delivered only if no newer request was made.
 */
export class LatestOnly<K, T> {
  private running = false;
  private pending: K | undefined;
  private hasPending = false;
  private generation = 0;
  /** Requests that were superseded before they started (for tests and the benchmark). */
  dropped = 0;

  constructor(
    private readonly run: (key: K) => Promise<T>,
    private readonly deliver: (key: K, value: T) => void,
    private readonly fail: (key: K, err: unknown) => void,
  ) {}

  request(key: K): void {
    this.generation++;
    if (this.running) {
      if (this.hasPending) this.dropped++;
      this.pending = key;
      this.hasPending = true;
      return;
    }
    void this.start(key, this.generation);
  }

  private async start(key: K, generation: number): Promise<void> {
    this.running = true;
    try {
      const value = await this.run(key);
      if (generation === this.generation) this.deliver(key, value);
    } catch (err) {
      if (generation === this.generation) this.fail(key, err);
    } finally {
      this.running = false;
      if (this.hasPending) {
        const next = this.pending as K;
        this.hasPending = false;
        this.pending = undefined;
        void this.start(next, this.generation);
      }
    }
  }
}

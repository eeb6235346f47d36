/**
 * Test mode's memory of stage outputs inside one worker process: values by cache key (see
 * stage-keys.ts), least recently used dropped first once their bytes pass the budget. A value
 * larger than the whole budget is handed back but not kept. Two runs asking for the same key at
 * once share one computation; a computation that fails or is cancelled leaves nothing behind, and
 * a caller whose own signal is still live computes it again rather than inherit another's cancel.
 */
export interface CacheStats {
  usedBytes: number;
  budgetBytes: number;
  entries: number;
  evictions: number;
}

interface Entry {
  value: unknown;
  bytes: number;
}

/** Default budget: 1.5 GiB, or a quarter of the machine's memory when that is less. */
export function defaultCacheBudget(totalMemoryBytes: number, env: string | undefined): number {
  if (env !== undefined && env.trim() !== '') {
    const mb = Number(env);
    if (!Number.isFinite(mb) || mb < 0)
      throw new RangeError(
        `HITMIC_TEST_MODE_CACHE_MB must be a number of megabytes (0 turns the cache off), got '${env}'`,
      );
    return Math.round(mb * 2 ** 20);
  }
  return Math.min(1.5 * 2 ** 30, Math.floor(totalMemoryBytes / 4));
}

export class StageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private used = 0;
  private evictions = 0;

  constructor(readonly budgetBytes: number) {
    if (!(budgetBytes >= 0)) throw new RangeError(`cache budget must be ≥ 0 bytes, got ${budgetBytes}`);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value kept under `key`, marked as just used; undefined when not kept. */
  get<T>(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value as T;
  }

  /** Keeps `value` under `key` (replacing what was there), then drops the oldest entries over budget. */
  set(key: string, value: unknown, bytes: number): void {
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, e] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.entries.delete(k);
      this.used -= e.bytes;
      this.evictions++;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= e.bytes;
  }

  /**
   * The value under `key`, computing (and keeping) it when absent. `cached` says whether it came
   * from memory, here or from a computation another caller had already started.
   */
  async getOrCompute<T>(
    key: string,
    compute: () => Promise<T>,
    sizeOf: (value: T) => number,
    signal?: AbortSignal,
  ): Promise<{ value: T; cached: boolean }> {
    for (;;) {
      signal?.throwIfAborted();
      const e = this.entries.get(key);
      if (e) return { value: this.get<T>(key)!, cached: true };
      const running = this.inFlight.get(key) as Promise<T> | undefined;
      if (!running) break;
      try {
        return { value: await running, cached: true };
      } catch (err) {
        // Another caller's failure is ours too, unless it was that caller being cancelled.
        if (!isAbort(err) || signal?.aborted) throw err;
      }
    }
    const work = compute();
    this.inFlight.set(key, work);
    try {
      const value = await work;
      this.set(key, value, sizeOf(value));
      return { value, cached: false };
    } finally {
      if (this.inFlight.get(key) === work) this.inFlight.delete(key);
    }
  }

  stats(): CacheStats {
    return {
      usedBytes: this.used,
      budgetBytes: this.budgetBytes,
      entries: this.entries.size,
      evictions: this.evictions,
    };
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

function isAbort(err: unknown): boolean {
  return (
    (err instanceof Error &&
      (err.name === 'AbortError' || (err as { code?: string }).code === 'CANCELLED')) ||
    (typeof DOMException !== 'undefined' && err instanceof DOMException && err.name === 'AbortError')
  );
}

/** Bytes of a value made of typed arrays, arrays, strings and plain objects (shared arrays counted once). */
export function sizeOfValue(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || value === undefined || seen.has(value)) return 0;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object') return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let n = 16;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const v of items) n += sizeOfValue(v, seen);
  return n;
}

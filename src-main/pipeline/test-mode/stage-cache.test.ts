import { describe, expect, it } from 'vitest';
import { defaultCacheBudget, sizeOfValue, StageCache } from './stage-cache';

const bytes = (n: number) => new Uint8Array(n);
const size = (a: Uint8Array) => a.byteLength;

describe('test-mode stage cache', () => {
  it('keeps values within its byte budget, dropping the least recently used first', () => {
    const c = new StageCache(300);
    c.set('a', bytes(100), 100);
    c.set('b', bytes(100), 100);
    c.set('c', bytes(100), 100);
    expect(c.get('a')).toBeDefined(); // a is now the most recently used
    c.set('d', bytes(100), 100);
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has(k))).toEqual(['a', 'c', 'd']);
    expect(c.stats()).toEqual({ usedBytes: 300, budgetBytes: 300, entries: 3, evictions: 1 });
    // A value over the whole budget is not kept, and drops nothing.
    c.set('huge', bytes(301), 301);
    expect(c.has('huge')).toBe(false);
    expect(c.stats().entries).toBe(3);
    // Replacing a key counts its bytes once.
    c.set('a', bytes(50), 50);
    expect(c.stats().usedBytes).toBe(250);
  });

  it('computes once, then answers from memory; concurrent askers share one computation', async () => {
    const c = new StageCache(1000);
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return bytes(10);
    };
    const [a, b] = await Promise.all([
      c.getOrCompute('k', compute, size),
      c.getOrCompute('k', compute, size),
    ]);
    expect(runs).toBe(1);
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(b.value).toBe(a.value);
    expect((await c.getOrCompute('k', compute, size)).cached).toBe(true);
    expect(runs).toBe(1);
  });

  it('keeps nothing of a failed computation; a live asker recomputes what another cancelled', async () => {
    const c = new StageCache(1000);
    await expect(c.getOrCompute('k', () => Promise.reject(new Error('model failed')), size)).rejects.toThrow(
      'model failed',
    );
    expect(c.has('k')).toBe(false);

    const first = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const cancelled = c.getOrCompute(
      'j',
      async () => {
        started();
        await new Promise((r) => setTimeout(r, 10));
        first.signal.throwIfAborted();
        return bytes(1);
      },
      size,
      first.signal,
    );
    await running;
    const second = c.getOrCompute('j', async () => bytes(2), size, new AbortController().signal);
    first.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    const r = await second;
    expect([r.cached, r.value.byteLength]).toEqual([false, 2]);
    // An asker whose own signal is aborted stops at once.
    const gone = new AbortController();
    gone.abort();
    await expect(c.getOrCompute('x', async () => bytes(1), size, gone.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('sizes typed arrays by their bytes, shared ones once', () => {
    const a = new Float32Array(100);
    expect(sizeOfValue(a)).toBe(400);
    expect(sizeOfValue({ x: a, y: a })).toBe(416);
    expect(sizeOfValue(['ab'])).toBe(20);
  });

  it('has a budget of 1.5 GiB or a quarter of the memory, or the megabytes asked', () => {
    expect(defaultCacheBudget(64 * 2 ** 30, undefined)).toBe(1.5 * 2 ** 30);
    expect(defaultCacheBudget(4 * 2 ** 30, undefined)).toBe(2 ** 30);
    expect(defaultCacheBudget(4 * 2 ** 30, '256')).toBe(256 * 2 ** 20);
    expect(defaultCacheBudget(4 * 2 ** 30, '0')).toBe(0);
    expect(() => defaultCacheBudget(4 * 2 ** 30, 'lots')).toThrow(/HITMIC_TEST_MODE_CACHE_MB.*'lots'/);
  });
});

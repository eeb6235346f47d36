import { describe, expect, it } from 'vitest';
import {
  API_METHODS,
  createHitmicClient,
  decodeMessage,
  encodeMessage,
  ApiError,
  CANCELLABLE_METHODS,
  type HitmicTransport,
} from './index';

describe('wire codec', () => {
  it('round-trips nested values with typed arrays of every kind', () => {
    const value = {
      a: 1,
      s: 'frame',
      nested: { u16: Uint16Array.from([0, 1, 65535]), f32: Float32Array.from([0.5, -1, Number.MAX_VALUE]) },
      list: [Uint8Array.from([1, 2, 3]), Float64Array.from([Math.PI]), Int32Array.from([-5])],
      empty: new Uint16Array(0),
    };
    const decoded = decodeMessage(encodeMessage(value)) as typeof value;
    expect(decoded.a).toBe(1);
    expect(decoded.nested.u16).toBeInstanceOf(Uint16Array);
    expect(Array.from(decoded.nested.u16)).toEqual([0, 1, 65535]);
    expect(decoded.nested.f32[2]).toBe(Math.fround(Number.MAX_VALUE));
    expect(decoded.list[1]).toBeInstanceOf(Float64Array);
    expect(decoded.list[1][0]).toBe(Math.PI);
    expect(decoded.list[2][0]).toBe(-5);
    expect(decoded.empty.length).toBe(0);
  });

  it('carries a subarray without the rest of its buffer', () => {
    const big = new Uint16Array(1000).map((_, i) => i);
    const decoded = decodeMessage(encodeMessage({ part: big.subarray(10, 13) })) as { part: Uint16Array };
    expect(Array.from(decoded.part)).toEqual([10, 11, 12]);
  });

  it('rejects garbage and truncated messages with a clear error', () => {
    expect(() => decodeMessage(Uint8Array.from([1, 2, 3]))).toThrow(/too short/);
    expect(() => decodeMessage(new Uint8Array(16))).toThrow(/HMW1/);
    const ok = encodeMessage({ x: new Float32Array(100) });
    expect(() => decodeMessage(ok.subarray(0, ok.length - 200))).toThrow(/truncated/);
  });
});

describe('createHitmicClient', () => {
  it('exposes every method of API_METHODS and routes it through the transport', async () => {
    const calls: string[] = [];
    const transport: HitmicTransport = {
      invoke: async (domain, method, args) => {
        calls.push(`${domain}.${method}(${JSON.stringify(args)})`);
        return `${domain}.${method}`;
      },
      subscribe: () => () => undefined,
    };
    const api = createHitmicClient(transport) as unknown as Record<
      string,
      Record<string, (...a: unknown[]) => Promise<unknown>>
    >;
    for (const [domain, methods] of Object.entries(API_METHODS)) {
      for (const method of methods) expect(await api[domain][method]('x')).toBe(`${domain}.${method}`);
    }
    expect(calls[0]).toBe('app.info(["x"])');
  });

  it('turns error payloads into ApiError instances', async () => {
    const transport: HitmicTransport = {
      invoke: async () =>
        Promise.reject({ code: 'NOT_AVAILABLE', message: 'later', details: { issue: '#7' } }),
      subscribe: () => () => undefined,
    };
    const api = createHitmicClient(transport);
    const err = await api.runs.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('NOT_AVAILABLE');
    expect((err as ApiError).details).toEqual({ issue: '#7' });
  });
});

describe('cancellation tokens', () => {
  function recordingTransport() {
    const calls: { domain: string; method: string; args: unknown[]; callId?: number }[] = [];
    const cancelled: number[] = [];
    let release: (v: unknown) => void = () => undefined;
    const transport: HitmicTransport = {
      invoke: (domain, method, args, callId) => {
        calls.push({ domain, method, args, callId });
        return new Promise((resolve) => (release = resolve));
      },
      cancel: (id) => cancelled.push(id),
      subscribe: () => () => undefined,
    };
    return { transport, calls, cancelled, release: (v: unknown) => release(v) };
  }

  it('sends the call without its token, and aborting rejects at once and cancels that call id', async () => {
    const t = recordingTransport();
    const api = createHitmicClient(t.transport);
    const controller = new AbortController();
    const request = { movieId: 'm', frame: 1, steps: ['segmentation' as const], collectionId: 'c' };
    const call = api.previews.run(request, controller.signal);
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0].args).toEqual([request]);
    expect(t.calls[0].callId).toEqual(expect.any(Number));
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(t.cancelled).toEqual([t.calls[0].callId]);
    t.release({ late: true }); // the backend's late answer changes nothing
  });

  it('passes calls without a token as they are, and tokens only where the contract has them', async () => {
    const t = recordingTransport();
    const api = createHitmicClient(t.transport);
    const done = api.movies.frame({ movieId: 'm', frame: 0, channel: 0 });
    expect(t.calls[0]).toMatchObject({ method: 'frame', callId: undefined });
    t.release({ ok: 1 });
    expect(await done).toEqual({ ok: 1 });
    expect(CANCELLABLE_METHODS).toEqual({
      collections: { verify: 1 },
      movies: { frame: 1, contrast: 1 },
      previews: { run: 1 },
      testMode: { run: 1 },
    });
  });
});

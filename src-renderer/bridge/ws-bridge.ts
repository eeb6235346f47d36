import type { HitmicEventName, HitmicEvents } from '../../src-shared/api';
import type { HitmicBridge } from '../../src-shared/api';
import { decodeMessage, encodeMessage, type FrameRequest } from '../../src-shared/api';
import { fetchFrame } from './frame-fetch';

type Status = 'connecting' | 'connected' | 'disconnected';

/**
 * The browser side of `hitmic serve`: implements window.hitmic over the /api/ws WebSocket
 * with the binary wire codec, and `movies.frame` over HTTP (frame-fetch.ts). Reconnects with
 * back-off; calls made while disconnected wait.
 */
export function createWebSocketBridge(onStatus: (s: Status) => void): HitmicBridge {
  const url = new URL('api/ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) url.searchParams.set('token', token);

  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  /** Wire message id of each cancellable call in flight, by the client's call id. */
  const wireIds = new Map<number, number>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  /** Frame reads go over HTTP (frame-fetch.ts); their cancellation, by the client's call id. */
  const frameReads = new Map<number, AbortController>();

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    onStatus('connecting');
    opened = new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        onStatus('connected');
        resolve(ws);
      };
      ws.onmessage = (e: MessageEvent<ArrayBuffer>) => {
        const msg = decodeMessage(new Uint8Array(e.data)) as {
          id?: number;
          result?: unknown;
          error?: unknown;
          event?: string;
          payload?: unknown;
        };
        if (msg.event) {
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
          return;
        }
        const p = msg.id === undefined ? undefined : pending.get(msg.id);
        if (!p || msg.id === undefined) return;
        pending.delete(msg.id);
        if (msg.error) p.reject(msg.error);
        else p.resolve(msg.result);
      };
      ws.onclose = () => {
        socket = undefined;
        opened = undefined;
        onStatus('disconnected');
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject({
            code: 'INTERNAL',
            message: 'lost the connection to the HiTMic backend (is `hitmic serve` still running?)',
          });
        }
        setTimeout(() => void connect(), retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    });
    return opened;
  };
  void connect();

  return {
    shell: 'serve',
    async invoke(domain, method, args, callId) {
      if (domain === 'movies' && method === 'frame') {
        const ac = new AbortController();
        if (callId !== undefined) frameReads.set(callId, ac);
        return fetchFrame(args[0] as FrameRequest, token, ac.signal).finally(() => {
          if (callId !== undefined) frameReads.delete(callId);
        });
      }
      const ws = socket ?? (await connect());
      const id = nextId++;
      if (callId !== undefined) wireIds.set(callId, id);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(encodeMessage({ id, domain, method, args }));
      }).finally(() => {
        if (callId !== undefined) wireIds.delete(callId);
      });
    },
    cancel(callId) {
      frameReads.get(callId)?.abort();
      const id = wireIds.get(callId);
      // The server stops the call's work and answers it with CANCELLED; the client has already rejected it.
      if (id !== undefined && socket) socket.send(encodeMessage({ cancel: id }));
    },
    subscribe<E extends HitmicEventName>(event: E, handler: (payload: HitmicEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const h = handler as (p: unknown) => void;
      set.add(h);
      return () => set.delete(h);
    },
    async uploadFile(file: File) {
      const target = new URL('api/upload', window.location.href);
      target.searchParams.set('name', file.name);
      if (token) target.searchParams.set('token', token);
      // octet-stream, a type no HTML form can send: the server refuses uploads of any other type.
      const res = await fetch(target, {
        method: 'POST',
        body: file,
        headers: { 'content-type': 'application/octet-stream' },
      });
      const body = (await res.json()) as { path?: string; message?: string };
      if (!res.ok || !body.path)
        throw { code: 'BAD_INPUT', message: body.message ?? `upload failed (${res.status})` };
      return body.path;
    },
  };
}

import type { HitmicEventName, HitmicEvents } from '../../src-shared/api';
import type { HitmicBridge } from '../../src-shared/api';
import { decodeMessage, encodeMessage, type FrameRequest } from '../../src-shared/api';
import { fetchFrame } from './frame-fetch';

type Status = 'connecting' | 'connected' | 'disconnected';

/** Where the bridge connects, and with what (a test passes both; the page uses its own URL). */
export interface WebSocketBridgeOptions {
  url?: string;
  WebSocketImpl?: typeof WebSocket;
}

/**
 * The browser side of `hitmic serve`: implements window.hitmic over the /api/ws WebSocket
 * with the binary wire codec, and (in the page) `movies.frame` over HTTP (frame-fetch.ts).
 * Reconnects with back-off. Calls made while disconnected wait for the next connection, however
 * many attempts fail before it (a call must never wait on an attempt that has already failed: the
 * Viewer's Open button stayed disabled after a reconnect).
 */
export function createWebSocketBridge(
  onStatus: (s: Status) => void,
  options: WebSocketBridgeOptions = {},
): HitmicBridge {
  const token = options.url ? null : new URLSearchParams(window.location.search).get('token');
  const url = (() => {
    if (options.url) return options.url;
    const u = new URL('api/ws', window.location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) u.searchParams.set('token', token);
    return u.toString();
  })();
  const Socket = options.WebSocketImpl ?? WebSocket;

  let socket: WebSocket | undefined;
  let attempting = false;
  /** Calls waiting for a connection: served by the next attempt that opens. */
  const waiting: ((ws: WebSocket) => void)[] = [];
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  /** Wire message id of each cancellable call in flight, by the client's call id. */
  const wireIds = new Map<number, number>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  /** Frame reads go over HTTP (frame-fetch.ts); their cancellation, by the client's call id. */
  const frameReads = new Map<number, AbortController>();

  const connect = (): void => {
    if (socket || attempting) return;
    attempting = true;
    onStatus('connecting');
    const ws = new Socket(url);
    ws.binaryType = 'arraybuffer';
    // A failed attempt is followed by 'close', which retries; 'error' itself needs nothing.
    ws.onerror = () => undefined;
    ws.onopen = () => {
      attempting = false;
      socket = ws;
      retryMs = 250;
      onStatus('connected');
      for (const serve of waiting.splice(0)) serve(ws);
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
      attempting = false;
      if (socket === ws) socket = undefined;
      onStatus('disconnected');
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject({
          code: 'INTERNAL',
          message: 'lost the connection to the HiTMic backend (is `hitmic serve` still running?)',
        });
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  const opened = (): Promise<WebSocket> =>
    socket
      ? Promise.resolve(socket)
      : new Promise<WebSocket>((resolve) => {
          waiting.push(resolve);
          connect();
        });
  connect();

  return {
    shell: 'serve',
    async invoke(domain, method, args, callId) {
      // Frames over HTTP in the page; a bridge given its own URL (a test) has no page to ask from.
      if (domain === 'movies' && method === 'frame' && !options.url) {
        const ac = new AbortController();
        if (callId !== undefined) frameReads.set(callId, ac);
        return fetchFrame(args[0] as FrameRequest, token, ac.signal).finally(() => {
          if (callId !== undefined) frameReads.delete(callId);
        });
      }
      const ws = await opened();
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

import type { WebSocket } from 'ws';
import { API_EVENTS } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { decodeMessage, encodeMessage } from '../../src-shared/api';
import type { Backend } from '../backend';
import { dispatch } from '../backend';

/**
 * One browser tab: API calls `{id, domain, method, args}` answered `{id, result}` or
 * `{id, error}`, `{cancel: id}` to stop a call (its work stops, it answers CANCELLED), and the
 * backend's events. A closed socket cancels what it left running. A client that breaks the
 * WebSocket protocol (bad frame, message over the size limit) loses its connection, nothing more.
 */
export function attachClient(ws: WebSocket, backend: Backend): void {
  const send = (value: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(value));
  };
  const inFlight = new Map<unknown, AbortController>();
  const unsubscribe = API_EVENTS.map((event) =>
    backend.events.on(event, (payload) => send({ event, payload })),
  );
  // Without a listener, ws would throw a protocol error out of the event loop and end the process.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    unsubscribe.forEach((u) => u());
    for (const c of inFlight.values()) c.abort();
  });
  ws.on('message', async (data, isBinary) => {
    let id: unknown;
    const controller = new AbortController();
    try {
      if (!isBinary) throw new ApiError('BAD_INPUT', 'API messages must be binary (HMW1 codec)');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const msg = decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as {
        id?: unknown;
        cancel?: unknown;
        domain?: unknown;
        method?: unknown;
        args?: unknown;
      };
      if (msg.cancel !== undefined) {
        inFlight.get(msg.cancel)?.abort();
        return;
      }
      id = msg.id;
      inFlight.set(id, controller);
      const result = await dispatch(backend.api, msg.domain, msg.method, msg.args, controller.signal);
      send({ id, result: result ?? null });
    } catch (err) {
      send({ id, error: ApiError.toPayload(err) });
    } finally {
      if (inFlight.get(id) === controller) inFlight.delete(id);
    }
  });
}

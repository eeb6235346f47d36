import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMessage, encodeMessage } from '../../src-shared/api';
import { createWebSocketBridge } from './ws-bridge';

/** A backend stand-in speaking the wire codec: answers `app.echo` with what it was given. */
function echoServer(port: number): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ port, host: '127.0.0.1' }, () => resolve(server));
    server.on('connection', (socket: WebSocket) =>
      socket.on('message', (data: Buffer) => {
        const msg = decodeMessage(new Uint8Array(data)) as { id: number; args: unknown[] };
        socket.send(encodeMessage({ id: msg.id, result: { message: msg.args[0] } }));
      }),
    );
  });
}

const closeServer = (s: WebSocketServer) =>
  new Promise<void>((resolve) => {
    for (const c of s.clients) c.terminate();
    s.close(() => resolve());
  });

describe('the browser bridge to hitmic serve', () => {
  const servers: WebSocketServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await closeServer(s);
  });

  it('serves a call made while the backend is down once it is back, after failed attempts', async () => {
    // A free port: a server opened on port 0 and closed again.
    const probe = await echoServer(0);
    const port = (probe.address() as { port: number }).port;
    await closeServer(probe);
    const statuses: string[] = [];
    const bridge = createWebSocketBridge((s) => statuses.push(s), {
      url: `ws://127.0.0.1:${port}/api/ws`,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const call = bridge.invoke('app', 'echo', ['still there?']);
    // Several attempts fail (250 ms, 500 ms back-off) before the backend comes back.
    await new Promise((r) => setTimeout(r, 900));
    expect(statuses.filter((s) => s === 'disconnected').length).toBeGreaterThanOrEqual(2);
    servers.push(await echoServer(port));
    await expect(call).resolves.toEqual({ message: 'still there?' });
    expect(statuses.at(-1)).toBe('connected');

    // The backend goes away and comes back: a call made in between is answered too.
    await closeServer(servers.pop()!);
    await new Promise((r) => setTimeout(r, 300));
    const second = bridge.invoke('app', 'echo', ['again']);
    await new Promise((r) => setTimeout(r, 600));
    servers.push(await echoServer(port));
    await expect(second).resolves.toEqual({ message: 'again' });
  }, 30_000);
});

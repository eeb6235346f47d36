import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_EVENTS } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { decodeMessage, encodeMessage } from '../../src-shared/api';
import type { Backend } from '../backend';
import { dispatch } from '../backend';
import { partialPathFor, renameIntoPlace } from '../io';
import { appVersion } from '../version';
import { isLoopbackHost, newToken, presentedToken, TOKEN_COOKIE, tokenMatches } from './auth';
import { serveStatic } from './static';

export interface ServeOptions {
  backend: Backend;
  rendererDir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Forces a token even on loopback (tests); a non-loopback host always gets one. */
  requireToken?: boolean;
  /** Where dropped files are uploaded to; defaults to a fresh folder in the OS temp dir. */
  uploadDir?: string;
  /** Largest upload accepted, in bytes (default 8 GiB). */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  /** The URL to open, with the token when one is required. */
  openUrl: string;
  token: string | undefined;
  port: number;
  close(): Promise<void>;
}

/**
 * `hitmic serve`: the same UI in a browser. HTTP serves the built renderer; a WebSocket at
 * /api/ws carries the HitmicApi (binary wire codec) and backend events; POST /api/upload takes
 * dropped files. Loopback by default; any other host requires a random token (as Jupyter does).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.requireToken || !isLoopbackHost(host) ? newToken() : undefined;
  const uploadDir = options.uploadDir ?? fs.mkdtempSync(path.join(fsTmp(), 'hitmic-uploads-'));
  const maxUpload = options.maxUploadBytes ?? 8 * 2 ** 30;

  const authorized = (req: http.IncomingMessage) => !token || tokenMatches(token, presentedToken(req));

  const server = http.createServer((req, res) => {
    if (!authorized(req)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        .end('401 unauthorized: open the URL that `hitmic serve` printed (it carries ?token=...).\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (token && url.searchParams.get('token')) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname === '/api/health') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, version: appVersion() }));
      return;
    }
    if (url.pathname === '/api/upload') {
      handleUpload(req, res, url, uploadDir, maxUpload);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(options.rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 2 ** 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    // A page from another site must not drive the backend through the user's browser.
    const sameOrigin = !origin || new URL(origin).host === req.headers.host;
    if (url.pathname !== '/api/ws' || !authorized(req) || !sameOrigin) {
      socket.write(
        `HTTP/1.1 ${!sameOrigin ? '403 Forbidden' : url.pathname !== '/api/ws' ? '404 Not Found' : '401 Unauthorized'}\r\n\r\n`,
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, options.backend));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    openUrl: token ? `${url}?token=${token}` : url,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fsTmp(): string {
  return process.env.TMPDIR && fs.existsSync(process.env.TMPDIR) ? process.env.TMPDIR : os.tmpdir();
}

/**
 * One browser tab: API calls `{id, domain, method, args}` answered `{id, result}` or
 * `{id, error}`, `{cancel: id}` to stop a call (its work stops, it answers CANCELLED), and the
 * backend's events. A closed socket cancels what it left running.
 */
function attachClient(ws: WebSocket, backend: Backend): void {
  const send = (value: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(value));
  };
  const inFlight = new Map<unknown, AbortController>();
  const unsubscribe = API_EVENTS.map((event) =>
    backend.events.on(event, (payload) => send({ event, payload })),
  );
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

function handleUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  uploadDir: string,
  maxBytes: number,
): void {
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (req.method !== 'POST') return reply(405, { code: 'BAD_INPUT', message: 'upload needs POST' });
  const name = path.basename(url.searchParams.get('name') ?? '');
  if (!name || name === '.' || name === '..' || name.includes('\0')) {
    return reply(400, { code: 'BAD_INPUT', message: 'upload needs ?name=<file name>' });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes)
    return reply(413, {
      code: 'BAD_INPUT',
      message: `file too large: ${declared} bytes > limit ${maxBytes}`,
    });
  const dir = path.join(uploadDir, crypto.randomBytes(8).toString('hex'));
  fs.mkdirSync(dir, { recursive: true });
  const final = path.join(dir, name);
  const partial = partialPathFor(final);
  const out = fs.createWriteStream(partial);
  let received = 0;
  let failed = false;
  const fail = (status: number, message: string) => {
    if (failed) return;
    failed = true;
    out.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    reply(status, { code: 'BAD_INPUT', message });
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      fail(413, `file too large: more than ${maxBytes} bytes`);
      req.destroy();
    }
  });
  req.on('aborted', () => fail(400, 'upload aborted before the end of the file'));
  req.pipe(out);
  out.on('finish', () => {
    if (failed) return;
    renameIntoPlace(partial, final);
    reply(200, { path: final, size: received });
  });
  out.on('error', (e) => fail(500, `could not store upload: ${e.message}`));
}

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Backend } from '../backend';
import { appVersion } from '../version';
import { newToken, presentedToken, tokenCookie, tokenMatches } from './auth';
import { checkHostAndOrigin, hostPolicy, isWildcardHost, type HostPolicy } from './hosts';
import { SERVE_CSP } from './csp';
import { serveFrame } from './frames';
import { serveStatic } from './static';
import { sweepStaleUploads, UploadStore, type UploadLimits } from './uploads';
import { attachClient } from './ws-client';

export interface ServeOptions {
  backend: Backend;
  rendererDir: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** More names the server answers to (`--allow-host`): a proxy's or a DNS alias of this machine. */
  allowHosts?: readonly string[];
  /** Where the upload folder is made (default: TMPDIR, else the OS temp folder). */
  uploadParent?: string;
  /** Upload limits (per file, quota, free space kept); defaults in uploads.ts. */
  uploadLimits?: Partial<UploadLimits>;
}

export interface RunningServer {
  /** The URL to open, with the token: on this machine's loopback when bound to a wildcard. */
  openUrl: string;
  /** The same for other machines when bound to a wildcard: the machine's host name; else openUrl. */
  networkUrl: string;
  token: string;
  port: number;
  /** The names the server answers to (Host header and calling pages' origins). */
  hosts: readonly string[];
  /** Where dropped files are stored while the server runs. */
  uploadDir: string;
  /** Stops serving, ends every connection and removes the upload folder. */
  close(): Promise<void>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
/**
 * Sent with every answer: the pages' policy with frame-ancestors 'none' (no page of another site
 * may frame the app); the tokened URL never leaks as a referrer.
 */
const HARDENING = {
  'x-frame-options': 'DENY',
  'content-security-policy': SERVE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** The query of a request target, or undefined when the target cannot be parsed. */
function requestUrl(req: http.IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://request.invalid');
  } catch {
    return undefined;
  }
}

/**
 * `hitmic serve`: the same UI in a browser. HTTP serves the built renderer; a WebSocket at
 * /api/ws carries the HitmicApi (binary wire codec) and backend events; POST /api/upload takes
 * dropped files; GET /api/frame serves the Viewer's planes as raw bytes (frames.ts says why).
 * Every request — static files, /api/health, the upload, the frames, the WebSocket — passes
 * the same three checks, in order: its Host is one this server answers to, an Origin (if sent) is
 * one of this server's pages, and it presents the token (query, Bearer or cookie). A refused or
 * malformed request gets 400/401/403 and changes nothing; none can stop the server.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = newToken();
  const uploadParent = options.uploadParent ?? tempFolder();
  sweepStaleUploads(uploadParent);
  const uploads = UploadStore.create(uploadParent, options.uploadLimits);
  // A server that ends without close() (a crash, process.exit) still leaves no uploads behind.
  const removeUploads = () => uploads.remove();
  process.once('exit', removeUploads);
  let policy: HostPolicy = hostPolicy(host, 0, options.allowHosts);

  /** The checks every request passes: its parsed target, or the status and line to refuse it with. */
  const admit = (req: http.IncomingMessage): { url: URL } | { status: number; line: string } => {
    const where = checkHostAndOrigin(policy, req.headers);
    if (!where.ok) return { status: where.status, line: where.reason };
    const url = requestUrl(req);
    if (!url) return { status: 400, line: '400 bad request: the request target is not a URL path.' };
    if (!tokenMatches(token, presentedToken(req, url.searchParams, policy.port)))
      return {
        status: 401,
        line: '401 unauthorized: open the URL that `hitmic serve` printed (it carries ?token=...).',
      };
    return { url };
  };

  const server = http.createServer((req, res) => {
    try {
      const admitted = admit(req);
      if (!('url' in admitted)) {
        res
          .writeHead(admitted.status, { ...TEXT, ...HARDENING, connection: 'close' })
          .end(`${admitted.line}\n`);
        return;
      }
      const { url } = admitted;
      for (const [k, v] of Object.entries(HARDENING)) res.setHeader(k, v);
      // The page was opened with the printed URL: from now on the browser presents the cookie.
      if (url.searchParams.has('token')) res.setHeader('set-cookie', tokenCookie(policy.port, token));
      if (url.pathname === '/api/health') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, version: appVersion() }));
      } else if (url.pathname === '/api/upload') uploads.handle(req, res, url.searchParams);
      else if (url.pathname === '/api/frame') void serveFrame(options.backend, req, res, url.searchParams);
      else if (req.method !== 'GET' && req.method !== 'HEAD')
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      else serveStatic(options.rendererDir, res, url);
    } catch (err) {
      // A bug, not a request's fault: this request fails, the server keeps serving.
      if (!res.headersSent) res.writeHead(500, TEXT);
      res.end(`500 internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 2 ** 20 });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const admitted = admit(req);
      const refusal =
        'url' in admitted
          ? admitted.url.pathname === '/api/ws'
            ? undefined
            : { status: 404, line: '404 not found: the API WebSocket is /api/ws.' }
          : admitted;
      if (refusal) {
        socket.end(
          `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\n\r\n${refusal.line}\n`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, options.backend));
    } catch {
      socket.destroy();
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    // The port is taken or the address is not this machine's: nothing of this server stays.
    process.removeListener('exit', removeUploads);
    uploads.remove();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  policy = hostPolicy(host, port, options.allowHosts);
  const urlFor = (h: string) => `http://${h.includes(':') ? `[${h}]` : h}:${port}/?token=${token}`;
  const wildcard = isWildcardHost(host);
  // Bound to every address, a URL naming 0.0.0.0 opens nothing: loopback here, the host name elsewhere.
  const openUrl = urlFor(
    wildcard ? (host.includes(':') ? '::1' : '127.0.0.1') : host.replace(/^\[|\]$/g, ''),
  );
  return {
    openUrl,
    networkUrl: wildcard ? urlFor(os.hostname().toLowerCase()) : openUrl,
    token,
    port,
    hosts: [...policy.names],
    uploadDir: uploads.dir,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => {
          process.removeListener('exit', removeUploads);
          uploads.remove();
          resolve();
        });
      }),
  };
}

function tempFolder(): string {
  return process.env.TMPDIR && fs.existsSync(process.env.TMPDIR) ? process.env.TMPDIR : os.tmpdir();
}

import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage, type HitmicTransport } from '../src-shared/api';

/**
 * Requests as an attacker sends them: raw bytes on a TCP socket, so headers the `http` client
 * would correct or refuse (no Host, a broken Origin, a bad request target) reach the server as
 * written. Used by the security tests of `hitmic serve`.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a raw HTTP response; status 0 when the server closed without answering. */
function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const raw = end < 0 ? '' : text.slice(end + 4);
  return { status, headers, body: headers['transfer-encoding'] === 'chunked' ? unchunk(raw) : raw };
}

/** The body of a chunked response (what arrived of it). */
function unchunk(raw: string): string {
  let body = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : parseInt(raw.slice(at, eol), 16);
    if (!size) return body;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends `head` (request line and header lines, without the blank line) and `body`, and reads
 * until the server closes or, for a WebSocket upgrade that succeeds, until the response head.
 */
export function rawRequest(port: number, head: string[], body: Buffer | string = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in 10 s to ${head[0]}; got so far: ${JSON.stringify(text.slice(0, 200))}`));
    }, 10_000);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(text));
    };
    socket.on('data', (d) => {
      text += d.toString('latin1');
      // A switched protocol stays open: its head is all there is to read.
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) done();
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    if (body.length) socket.write(body);
  });
}

/** The head of a WebSocket upgrade to /api/ws (`target` to change the path and query). */
export function upgradeHead(port: number, extra: string[] = [], target = '/api/ws'): string[] {
  return [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...extra,
  ];
}

export interface ServeProcess {
  proc: ChildProcess;
  port: number;
  token: string;
  url: string;
  stderr(): string;
  /** SIGTERM (or `signal`), resolved with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the real `hitmic serve --json` (compiled by the tests' global setup) and reads its URL. */
export async function startServeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const root = path.resolve(__dirname, '..');
  const proc = spawn(process.execPath, [path.join(root, 'bin', 'hitmic.js'), 'serve', '--json', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`hitmic serve printed nothing in 30 s: ${stderr}`)),
      30_000,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.slice(0, out.indexOf('\n')));
      }
    });
    proc.once('exit', (code) => reject(new Error(`hitmic serve exited with ${code}: ${stderr}`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  return {
    proc,
    url,
    token,
    port: Number(new URL(url).port),
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}

/** The browser bridge's protocol, spoken from Node (ws-bridge.ts is the browser's copy). */
export function wsTransport(ws: WebSocket): HitmicTransport {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const wireIds = new Map<number, number>();
  ws.on('message', (data: Buffer) => {
    const msg = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as {
      id?: number;
      result?: unknown;
      error?: unknown;
    };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.reject(msg.error);
    else p.resolve(msg.result);
  });
  return {
    invoke(domain, method, args, callId) {
      const id = nextId++;
      if (callId !== undefined) wireIds.set(callId, id);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(encodeMessage({ id, domain, method, args }));
      });
    },
    cancel(callId) {
      const id = wireIds.get(callId);
      if (id !== undefined) ws.send(encodeMessage({ cancel: id }));
    },
    subscribe: () => () => undefined,
  };
}

/** A HitmicApi caller over the server's WebSocket, as the browser bridge speaks it. */
export async function apiSocket(
  port: number,
  token: string,
): Promise<{ call(domain: string, method: string, args: unknown[]): Promise<unknown>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const transport = wsTransport(ws);
  return {
    call: (domain, method, args) => transport.invoke(domain, method, args),
    close: () => ws.close(),
  };
}

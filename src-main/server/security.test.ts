import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSocket,
  rawRequest,
  startServeProcess,
  upgradeHead,
  type ServeProcess,
} from '../../test-support/hostile-http';

/**
 * `hitmic serve` against hostile requests, each as an attacker on the same machine or a hostile
 * page in the user's browser would send it: raw bytes to the real server process. Every one is
 * refused (400/401/403/415) and none stops the server: after each, the process still runs and
 * answers a health request made with the token.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-security-'));
const tmpdir = path.join(tmp, 'tmpdir');
let serve: ServeProcess;

beforeAll(async () => {
  fs.mkdirSync(tmpdir);
  serve = await startServeProcess(['--allow-host', 'studio.lab.example'], {
    TMPDIR: tmpdir,
    HITMIC_LIBRARY: path.join(tmp, 'library'),
  });
});

afterAll(async () => {
  await serve?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (target: string, headers: string[] = [], host = `127.0.0.1:${serve.port}`) =>
  rawRequest(serve.port, [`GET ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...headers]);

/** The server process runs and answers a health request that carries the token. */
async function expectAlive(): Promise<void> {
  expect(serve.proc.exitCode, serve.stderr()).toBeNull();
  const r = await get('/api/health', [`Authorization: Bearer ${serve.token}`]);
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body)).toMatchObject({ ok: true });
}

describe('the token', () => {
  it('is required on loopback too: every route and the WebSocket answer 401 without it', async () => {
    for (const target of [
      '/',
      '/index.html',
      '/assets/index.js',
      '/api/health',
      '/api/upload?name=a.tif',
      '/api/frame?movie=0&frame=0&channel=0',
    ]) {
      const r = await get(target);
      expect(r.status, target).toBe(401);
      expect(r.body, target).not.toContain('version');
    }
    expect((await rawRequest(serve.port, upgradeHead(serve.port))).status).toBe(401);
    await expectAlive();
  });

  it('is accepted in the query, a Bearer header or the cookie; the query sets an HttpOnly SameSite=Strict cookie', async () => {
    const q = await get(`/api/health?token=${serve.token}`);
    expect(q.status).toBe(200);
    const cookie = q.headers['set-cookie'];
    expect(cookie).toBe(`hitmic_token_${serve.port}=${serve.token}; HttpOnly; SameSite=Strict; Path=/`);
    expect(q.headers['referrer-policy']).toBe('no-referrer');
    expect(q.headers['x-frame-options']).toBe('DENY');
    expect((await get('/api/health', [`Authorization: Bearer ${serve.token}`])).status).toBe(200);
    expect((await get('/api/health', [`Cookie: other=1; ${cookie.split(';')[0]}`])).status).toBe(200);
    const ws = await rawRequest(serve.port, upgradeHead(serve.port, [`Cookie: ${cookie.split(';')[0]}`]));
    expect(ws.status).toBe(101);
    const wsQuery = await rawRequest(serve.port, upgradeHead(serve.port, [], `/api/ws?token=${serve.token}`));
    expect(wsQuery.status).toBe(101);
  });

  it('refuses a wrong token, another port’s cookie and a malformed cookie, without falling over', async () => {
    const wrong = crypto.randomBytes(24).toString('hex');
    expect((await get(`/api/health?token=${wrong}`)).status).toBe(401);
    expect((await get('/api/health', [`Authorization: Bearer ${wrong}`])).status).toBe(401);
    expect((await get('/api/health', [`Cookie: hitmic_token_1=${serve.token}`])).status).toBe(401);
    // A percent-sequence that decodeURIComponent throws on.
    expect((await get('/api/health', [`Cookie: hitmic_token_${serve.port}=%E0%A4%A`])).status).toBe(401);
    expect((await get(`/api/health?token=${serve.token.slice(1)}`)).status).toBe(401);
    await expectAlive();
  });
});

describe('malformed requests (defect 1: one request stopped the server before any token check)', () => {
  it('refuses Origin null, garbage and a broken IPv6 origin on the WebSocket upgrade, token or not', async () => {
    const origins = [
      'null',
      'x',
      'http://[::1',
      'http://',
      'http://[::1]:99999',
      'javascript:alert(1)',
      'file://',
      `http://user:pw@127.0.0.1:${serve.port}`,
      `http://127.0.0.1:${serve.port}/path`,
    ];
    for (const origin of origins) {
      for (const auth of [[], [`Authorization: Bearer ${serve.token}`]]) {
        const r = await rawRequest(serve.port, upgradeHead(serve.port, [`Origin: ${origin}`, ...auth]));
        expect(r.status, `Origin: ${origin}`).toBe(403);
      }
    }
    await expectAlive();
  });

  it('answers 400 to a missing or broken Host and a request target that is no URL', async () => {
    const noHost = await rawRequest(serve.port, [
      'GET /api/health HTTP/1.0',
      `Authorization: Bearer ${serve.token}`,
    ]);
    expect(noHost.status).toBe(400);
    for (const host of ['[::1', 'a b', 'x@127.0.0.1', '127.0.0.1:port']) {
      const r = await rawRequest(serve.port, [
        `GET /api/health?token=${serve.token} HTTP/1.1`,
        `Host: ${host}`,
      ]);
      expect([400, 403], `Host: ${host}`).toContain(r.status);
    }
    for (const target of ['http://[::1/api/health', '//[/x']) {
      const r = await get(`${target}?token=${serve.token}`);
      expect([400, 404], target).toContain(r.status);
      const ws = await rawRequest(serve.port, upgradeHead(serve.port, [], `${target}?token=${serve.token}`));
      expect([400, 404], target).toContain(ws.status);
    }
    await expectAlive();
  });

  it('drops a WebSocket client that breaks the protocol, and only that client', async () => {
    const socket = net.connect(serve.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    socket.write(`${upgradeHead(serve.port, [`Authorization: Bearer ${serve.token}`]).join('\r\n')}\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    // An unmasked frame with a reserved opcode: both break RFC 6455 for a client.
    socket.write(Buffer.from([0x83, 0x02, 0x41, 0x42]));
    await closed;
    await expectAlive();
  });
});

describe('names and origins (defect 3: DNS rebinding)', () => {
  it('refuses a Host this server does not answer to, with or without the token', async () => {
    const pairs: [string, string | undefined][] = [
      [`evil.example:${serve.port}`, `http://evil.example:${serve.port}`],
      [`evil.example:${serve.port}`, undefined],
      [`127.0.0.1.nip.io:${serve.port}`, `http://127.0.0.1.nip.io:${serve.port}`],
      [`localhost.evil.example:${serve.port}`, undefined],
    ];
    for (const [host, origin] of pairs) {
      const extra = [`Authorization: Bearer ${serve.token}`, ...(origin ? [`Origin: ${origin}`] : [])];
      expect((await get('/api/health', extra, host)).status, host).toBe(403);
      const head = upgradeHead(serve.port, extra).map((l) => (l.startsWith('Host:') ? `Host: ${host}` : l));
      expect((await rawRequest(serve.port, head)).status, host).toBe(403);
    }
    await expectAlive();
  });

  it('compares the Origin with its own names and port, never with the request’s Host', async () => {
    const auth = `Authorization: Bearer ${serve.token}`;
    for (const origin of [
      `http://evil.example:${serve.port}`,
      'http://127.0.0.1:1',
      `http://127.0.0.1:${serve.port + 1}`,
      'http://localhost',
    ]) {
      expect((await get('/api/health', [auth, `Origin: ${origin}`])).status, origin).toBe(403);
    }
  });

  it('takes only host names with --allow-host: a scheme or port is refused at start', () => {
    const bin = path.resolve(__dirname, '../../bin/hitmic.js');
    for (const bad of ['http://studio.lab.example', 'studio.lab.example:8443', 'a b']) {
      const r = spawnSync(process.execPath, [bin, 'serve', '--allow-host', bad], { encoding: 'utf8' });
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain("option '--allow-host' takes a host name");
    }
  });

  it('answers to loopback names, the bound address and --allow-host names', async () => {
    const auth = `Authorization: Bearer ${serve.token}`;
    for (const name of ['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST', 'studio.lab.example']) {
      const host = `${name}:${serve.port}`;
      const origin = `Origin: http://${name.toLowerCase()}:${serve.port}`;
      expect((await get('/api/health', [auth, origin], host)).status, host).toBe(200);
      const head = upgradeHead(serve.port, [auth, origin]).map((l) =>
        l.startsWith('Host:') ? `Host: ${host}` : l,
      );
      expect((await rawRequest(serve.port, head)).status, host).toBe(101);
    }
  });
});

describe('uploads from other pages (defect 2: a cross-origin POST /api/upload was accepted)', () => {
  const post = (headers: string[], body = 'II*\0') =>
    rawRequest(
      serve.port,
      [
        'POST /api/upload?name=movie.tif HTTP/1.1',
        `Host: 127.0.0.1:${serve.port}`,
        'Connection: close',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...headers,
      ],
      body,
    );
  const cookie = () => `Cookie: hitmic_token_${serve.port}=${serve.token}`;
  const stored = () =>
    fs
      .readdirSync(tmpdir)
      .filter((d) => d.startsWith('hitmic-uploads-'))
      .flatMap((d) => fs.readdirSync(path.join(tmpdir, d)));

  it('refuses another site’s page, a form’s content types, and no token; stores nothing', async () => {
    const before = stored();
    const octet = 'Content-Type: application/octet-stream';
    expect((await post([octet])).status).toBe(401);
    expect((await post([cookie(), octet, 'Origin: http://evil.example'])).status).toBe(403);
    expect((await post([cookie(), octet, 'Origin: null'])).status).toBe(403);
    expect((await post([cookie(), octet, 'Sec-Fetch-Site: cross-site'])).status).toBe(403);
    expect((await post([cookie(), octet, 'Sec-Fetch-Site: same-site'])).status).toBe(403);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])
      expect((await post([cookie(), `Content-Type: ${type}`])).status, type).toBe(415);
    expect((await post([cookie()])).status).toBe(415);
    expect(stored()).toEqual(before);
    await expectAlive();
  });

  it('accepts the app’s own upload: same origin, octet-stream, the token', async () => {
    const r = await post([
      cookie(),
      'Content-Type: application/octet-stream',
      `Origin: http://127.0.0.1:${serve.port}`,
      'Sec-Fetch-Site: same-origin',
    ]);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { path: string; name: string; size: number };
    expect(body).toMatchObject({ name: 'movie.tif', size: 4 });
    expect(path.relative(tmpdir, body.path).split(path.sep)[0]).toMatch(
      new RegExp(`^hitmic-uploads-${serve.proc.pid}-`),
    );
    expect(fs.readFileSync(body.path, 'latin1')).toBe('II*\0');
  });
});

describe('what the API writes (defect 2: any path, and a chain that ran a command)', () => {
  const upload = async (name: string, body: string) => {
    const r = await rawRequest(
      serve.port,
      [
        `POST /api/upload?name=${encodeURIComponent(name)} HTTP/1.1`,
        `Host: 127.0.0.1:${serve.port}`,
        'Connection: close',
        `Authorization: Bearer ${serve.token}`,
        'Content-Type: application/octet-stream',
        `Content-Length: ${Buffer.byteLength(body)}`,
      ],
      body,
    );
    expect(r.status).toBe(200);
    return (JSON.parse(r.body) as { path: string }).path;
  };
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: { code?: string }) => e.code,
    );

  it('opens only YAML files as configs, and saves configs only where the rule allows', async () => {
    const api = await apiSocket(serve.port, serve.token);
    try {
      const home = path.join(tmp, 'home');
      fs.mkdirSync(path.join(home, '.config', 'autostart'), { recursive: true });
      fs.writeFileSync(path.join(home, '.bashrc'), '# rc\n');
      fs.writeFileSync(path.join(home, 'notes.yml'), '- not\n- a config\n');
      expect(await refused(api.call('config', 'load', ['/etc/shadow']))).toBe('BAD_INPUT');
      expect(await refused(api.call('config', 'load', ['/etc/passwd']))).toBe('BAD_INPUT');
      const text = 'models:\n  model_collection: x.zip\n';
      for (const target of [
        '/etc/hitmic.yml',
        path.join(home, '.bashrc'),
        path.join(home, '.bashrc.yml'),
        path.join(home, '.config/autostart/x.yml'),
        path.join(home, 'notes.yml'),
        path.join(home, 'missing/x.yml'),
      ]) {
        expect(await refused(api.call('config', 'save', [target, text])), target).toBe('BAD_INPUT');
      }
      expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe('# rc\n');
      expect(fs.readFileSync(path.join(home, 'notes.yml'), 'utf8')).toBe('- not\n- a config\n');
      const saved = (await api.call('config', 'save', [path.join(home, 'run.yml'), text])) as {
        path: string;
      };
      expect(fs.readFileSync(saved.path, 'utf8')).toBe(text);
      // Saving again over the config it wrote is fine.
      await api.call('config', 'save', [saved.path, `${text}# v2\n`]);
    } finally {
      api.close();
    }
  });

  it('breaks the chain upload → relabel → export: hostile classes refused, exports only to .csv, formulas neutralised', async () => {
    const api = await apiSocket(serve.port, serve.token);
    try {
      const table =
        'label,frame,object_class,class_prob\n' +
        '1,0,single-cell,0.9\n' +
        '2,0,x;touch pwned;#,0.8\n' +
        '3,0,"=HYPERLINK(""http://evil.example"",""x"")",0.7\n';
      const runDir = path.dirname(await upload('m_fl.csv', table));
      const shellClass = [{ frame: 0, label: 1, oldClass: 'single-cell', newClass: 'x;touch pwned;#' }];
      expect(await refused(api.call('qc', 'relabel', [runDir, 'm', shellClass]))).toBe('BAD_INPUT');
      const formulaClass = [{ frame: 0, label: 1, oldClass: 'single-cell', newClass: '=1+1' }];
      expect(await refused(api.call('qc', 'relabel', [runDir, 'm', formulaClass]))).toBe('BAD_INPUT');
      // Objects the table classed with those names may still be corrected to a proper class.
      await api.call('qc', 'relabel', [
        runDir,
        'm',
        [
          { frame: 0, label: 2, oldClass: '', newClass: 'clump' },
          { frame: 0, label: 3, oldClass: '', newClass: 'noise' },
        ],
      ]);
      const rc = path.join(tmp, 'home', '.bashrc');
      for (const target of [
        rc,
        '/any/path',
        path.join(tmp, 'home', '.bashrc.csv'),
        '/etc/cron.d/x.csv',
        'm_fl.csv',
      ]) {
        expect(await refused(api.call('qc', 'exportCorrections', [runDir, 'm', target])), target).toBe(
          'BAD_INPUT',
        );
      }
      expect(fs.readFileSync(rc, 'utf8')).toBe('# rc\n');
      const exp = (await api.call('qc', 'exportCorrections', [runDir, 'm'])) as { path: string; csv: string };
      expect(exp.path).toBe(path.join(fs.realpathSync(runDir), 'm_qc_corrections.csv'));
      expect(fs.readFileSync(exp.path, 'utf8')).toBe(
        'frame,label,old_class,new_class\n' +
          '0,2,"x;touch pwned;#",clump\n' +
          `0,3,"'=HYPERLINK(""http://evil.example"",""x"")",noise\n`,
      );
      // A typed name ending in .csv, relative to the run folder.
      const typed = (await api.call('qc', 'exportCorrections', [runDir, 'm', 'mine.csv'])) as {
        path: string;
      };
      expect(typed.path).toBe(path.join(fs.realpathSync(runDir), 'mine.csv'));
    } finally {
      api.close();
    }
    await expectAlive();
  });
});

describe('stopping the server', () => {
  it('removes its upload folder on SIGTERM', async () => {
    const mine = () =>
      fs.readdirSync(tmpdir).filter((d) => d.startsWith(`hitmic-uploads-${serve.proc.pid}-`));
    expect(mine()).toHaveLength(1);
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(mine()).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../test-support/hostile-http';
import { createBackend, type Backend } from '../backend';
import { startServer, type RunningServer } from '.';

/**
 * The Viewer's frames over HTTP in `hitmic serve` (frames.ts): the same bytes as `movies.frame`,
 * the API's errors as JSON with a status, and nothing for a request the server's checks refuse
 * (no token, another site's page, a rebinding Host) or for a movie not opened through the API.
 * A real server and backend; hostile requests as raw bytes.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-frames-test-'));
const DEMO = path.resolve(__dirname, '../../resources/demo/demo_movie.tif');
let backend: Backend;
let server: RunningServer;

beforeAll(async () => {
  backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  server = await startServer({ backend, rendererDir: tmp });
});

afterAll(async () => {
  await server?.close();
  await backend?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (query: string, token: string | undefined = server.token) =>
  fetch(`http://127.0.0.1:${server.port}/api/frame?${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('GET /api/frame', () => {
  it('answers the plane movies.frame reads, as raw bytes with its size and dtype', async () => {
    const movie = await backend.api.movies.open(DEMO);
    const res = await get(`movie=${movie.id}&frame=7&channel=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hitmic-width')).toBe('512');
    expect(res.headers.get('x-hitmic-height')).toBe('512');
    expect(res.headers.get('x-hitmic-dtype')).toBe('uint16');
    const got = new Uint16Array(await res.arrayBuffer());
    const want = (await backend.api.movies.frame({ movieId: movie.id, frame: 7, channel: 1 })).data;
    expect(got.length).toBe(512 * 512);
    expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(
      true,
    );
  });

  it('says what is wrong with a request, as the API does, and refuses one without the token', async () => {
    const movie = await backend.api.movies.open(DEMO);
    const outside = await get(`movie=${movie.id}&frame=20&channel=0`);
    expect(outside.status).toBe(400);
    expect(await outside.json()).toMatchObject({ code: 'BAD_INPUT', message: 'frame 20 is outside 0–19' });
    const noNumber = await get(`movie=${movie.id}&frame=&channel=0`);
    expect(await noNumber.json()).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/frame=/),
    });
    const unknown = await get('movie=nope&frame=0&channel=0');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const noToken = await get(`movie=${movie.id}&frame=0&channel=0`, '');
    expect(noToken.status).toBe(401);
    expect((await noToken.arrayBuffer()).byteLength).toBeLessThan(200);
  });

  it('gives nothing to another site’s page, a rebinding Host or a cookie of another port, token or not', async () => {
    const movie = await backend.api.movies.open(DEMO);
    const raw = (headers: string[], host = `127.0.0.1:${server.port}`) =>
      rawRequest(server.port, [
        `GET /api/frame?movie=${movie.id}&frame=0&channel=0 HTTP/1.1`,
        `Host: ${host}`,
        'Connection: close',
        ...headers,
      ]);
    const bearer = `Authorization: Bearer ${server.token}`;
    expect((await raw([bearer])).status).toBe(200);
    for (const [headers, host, status] of [
      [[bearer, 'Origin: http://evil.example'], undefined, 403],
      [[bearer, 'Origin: null'], undefined, 403],
      [[bearer], `evil.example:${server.port}`, 403],
      [[`Cookie: hitmic_token_1=${server.token}`], undefined, 401],
      [['Authorization: Bearer 00'], undefined, 401],
    ] as const) {
      const r = await raw([...headers], host);
      expect(r.status, `${headers.join(', ')} Host ${host ?? 'own'}`).toBe(status);
      expect(r.headers['x-hitmic-dtype']).toBeUndefined();
      expect(r.body.length).toBeLessThan(200);
    }
  });

  it('reads only movies opened through the API: a path in the URL opens nothing; only GET', async () => {
    for (const movie of [DEMO, encodeURIComponent(DEMO), '../../resources/demo/demo_movie.tif']) {
      const r = await get(`movie=${movie}&frame=0&channel=0`);
      expect(r.status, movie).toBe(404);
      expect(await r.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    const movie = await backend.api.movies.open(DEMO);
    const post = await fetch(
      `http://127.0.0.1:${server.port}/api/frame?movie=${movie.id}&frame=0&channel=0`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}` },
      },
    );
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

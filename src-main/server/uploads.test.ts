import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../test-support/hostile-http';
import { createBackend, type Backend } from '../backend';
import { startServer, type RunningServer } from '.';

/**
 * Dropped files in `hitmic serve`: a quota over all uploads, the per-file limit, the upload
 * folder removed on close, and the folders of servers that died removed at the next start.
 * A real server with a real backend; requests as raw bytes.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-uploads-test-'));
let backend: Backend;
let server: RunningServer;

/** A pid no process has: one of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

beforeAll(async () => {
  backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
});

afterAll(async () => {
  await server?.close();
  await backend?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function upload(s: RunningServer, name: string, bytes: number, chunked = false) {
  const body = Buffer.alloc(bytes, 7);
  const length = chunked ? ['Transfer-Encoding: chunked'] : [`Content-Length: ${bytes}`];
  const payload = chunked
    ? Buffer.concat([Buffer.from(`${bytes.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
    : body;
  return rawRequest(
    s.port,
    [
      `POST /api/upload?name=${name} HTTP/1.1`,
      `Host: 127.0.0.1:${s.port}`,
      'Connection: close',
      `Authorization: Bearer ${s.token}`,
      'Content-Type: application/octet-stream',
      ...length,
    ],
    payload,
  );
}

describe('upload limits', () => {
  it('keeps the per-file limit and the quota over all uploads, declared or chunked', async () => {
    const parent = path.join(tmp, 'limits');
    fs.mkdirSync(parent);
    server = await startServer({
      backend,
      rendererDir: path.join(tmp, 'renderer'),
      uploadParent: parent,
      uploadLimits: { maxFileBytes: 4000, quotaBytes: 6000 },
    });
    const big = await upload(server, 'big.tif', 4001);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).message).toContain('per file');
    expect((await upload(server, 'a.tif', 3000)).status).toBe(200);
    expect((await upload(server, 'b.tif', 2500)).status).toBe(200);
    const over = await upload(server, 'c.tif', 1000);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).message).toMatch(/quota.*--upload-quota/);
    const overChunked = await upload(server, 'd.tif', 1000, true);
    expect(overChunked.status).toBe(413);
    // What was refused left nothing behind; what fits still goes in.
    expect((await upload(server, 'e.tif', 400, true)).status).toBe(200);
    const kept = fs
      .readdirSync(server.uploadDir)
      .flatMap((d) => fs.readdirSync(path.join(server.uploadDir, d)))
      .sort();
    expect(kept).toEqual(['a.tif', 'b.tif', 'e.tif']);
    const dir = server.uploadDir;
    await server.close();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses an upload that would leave less than the reserve free on the disk', async () => {
    const parent = path.join(tmp, 'reserve');
    fs.mkdirSync(parent);
    const s = fs.statfsSync(parent);
    server = await startServer({
      backend,
      rendererDir: path.join(tmp, 'renderer'),
      uploadParent: parent,
      uploadLimits: { reserveBytes: s.bavail * s.bsize },
    });
    const r = await upload(server, 'a.tif', 100_000);
    expect(r.status).toBe(507);
    expect(JSON.parse(r.body).message).toContain('free');
    await server.close();
  });
});

describe('upload folders', () => {
  it('at start removes the folders of servers whose process is gone, and only those', async () => {
    const parent = path.join(tmp, 'sweep');
    fs.mkdirSync(parent);
    const dead = path.join(parent, `hitmic-uploads-${deadPid()}-AbC123`);
    const alive = path.join(parent, `hitmic-uploads-${process.ppid}-XyZ789`);
    const legacyOld = path.join(parent, 'hitmic-uploads-Qw3rTy');
    const legacyNew = path.join(parent, 'hitmic-uploads-N3wOne');
    const notOurs = path.join(parent, 'hitmic-uploads-file');
    for (const d of [dead, alive, legacyOld, legacyNew]) {
      fs.mkdirSync(path.join(d, 'x'), { recursive: true });
      fs.writeFileSync(path.join(d, 'x', 'movie.tif'), 'II*\0');
    }
    fs.writeFileSync(notOurs, 'a file, not a folder');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
    fs.utimesSync(legacyOld, twoDaysAgo, twoDaysAgo);

    server = await startServer({ backend, rendererDir: path.join(tmp, 'renderer'), uploadParent: parent });
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(legacyOld)).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);
    expect(fs.existsSync(legacyNew)).toBe(true);
    expect(fs.existsSync(notOurs)).toBe(true);
    expect(path.basename(server.uploadDir)).toMatch(new RegExp(`^hitmic-uploads-${process.pid}-`));
    expect(fs.statSync(server.uploadDir).mode & 0o777).toBe(0o700);
    await server.close();
    expect(fs.existsSync(server.uploadDir)).toBe(false);
  });

  it('is removed when the process exits without closing the server', () => {
    const parent = path.join(tmp, 'exit');
    fs.mkdirSync(parent);
    const dist = path.resolve(__dirname, '../../dist/node/src-main');
    const script = `
      const { createBackend } = require(${JSON.stringify(path.join(dist, 'backend'))});
      const { startServer } = require(${JSON.stringify(path.join(dist, 'server'))});
      const backend = createBackend({ shell: 'serve', libraryDir: ${JSON.stringify(path.join(tmp, 'library'))} });
      startServer({ backend, rendererDir: '.', uploadParent: ${JSON.stringify(parent)} }).then((s) => {
        require('node:fs').writeFileSync(require('node:path').join(s.uploadDir, 'movie.tif'), 'II*');
        process.stdout.write(s.uploadDir);
        process.exit(0);
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(path.dirname(r.stdout)).toBe(parent);
    expect(fs.existsSync(r.stdout)).toBe(false);
  });
});

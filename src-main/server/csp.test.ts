import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startServeProcess, type ServeProcess } from '../../test-support/hostile-http';
import { PAGE_POLICY, SERVE_CSP } from './csp';

/**
 * One page policy in two places: the renderer's meta element (the desktop app has no HTTP
 * headers) without frame-ancestors, which a meta element cannot carry (browsers log an error
 * for it), and `hitmic serve`'s header with frame-ancestors 'none'.
 */
const indexHtml = fs.readFileSync(path.join(__dirname, '..', '..', 'src-renderer', 'index.html'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-csp-'));
let serve: ServeProcess;

beforeAll(async () => {
  serve = await startServeProcess([], { TMPDIR: tmp, HITMIC_LIBRARY: path.join(tmp, 'library') });
});

afterAll(async () => {
  await serve?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the content security policy', () => {
  it("is in the page's meta element without frame-ancestors", () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(indexHtml);
    expect(meta?.[1]).toBe(PAGE_POLICY);
    expect(meta?.[1]).not.toContain('frame-ancestors');
  });

  it("is sent by hitmic serve as a header, with frame-ancestors 'none', on the page and the API", async () => {
    expect(SERVE_CSP).toBe(`${PAGE_POLICY}; frame-ancestors 'none'`);
    for (const target of [`/?token=${serve.token}`, `/api/health?token=${serve.token}`]) {
      const r = await rawRequest(serve.port, [
        `GET ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${serve.port}`,
        'Connection: close',
      ]);
      expect(r.headers['content-security-policy'], target).toBe(SERVE_CSP);
    }
  });
});

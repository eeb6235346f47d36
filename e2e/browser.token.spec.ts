import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropFile, expect, launchChromium, screenshot, startServe, test } from './serve-fixture';

test('hitmic serve lets in only the printed URL: token on loopback, then a cookie', async () => {
  const serve = await startServe();
  const browser = await launchChromium();
  try {
    expect(serve.token).toMatch(/^[0-9a-f]{48}$/);
    expect(new URL(serve.url).searchParams.get('token')).toBe(serve.token);
    const base = new URL(serve.url).origin;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/api/health?token=${serve.token}`)).status).toBe(200);
    // A cross-origin upload with the token is refused all the same.
    const upload = await fetch(`${base}/api/upload?name=x.tif&token=${serve.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', origin: 'http://evil.example' },
      body: 'II*\0',
    });
    expect(upload.status).toBe(403);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    const cookies = await context.cookies(base);
    expect(cookies).toEqual([
      expect.objectContaining({
        name: `hitmic_token_${new URL(base).port}`,
        httpOnly: true,
        sameSite: 'Strict',
      }),
    ]);
    // The cookie lets the same browser back in without the token in the URL.
    await page.goto(`${base}/#/resources`);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    // A fresh browser profile without the token gets nothing.
    const stranger = await (await browser.newContext()).newPage();
    const response = await stranger.goto(`${base}/`);
    expect(response?.status()).toBe(401);
  } finally {
    await browser.close();
    await serve.stop();
  }
});

test('bound to every address, it prints a URL that opens, and still requires the token', async () => {
  const serve = await startServe(['--host', '0.0.0.0']);
  try {
    const url = new URL(serve.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect((await fetch(`${url.origin}/api/health`)).status).toBe(401);
    const browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await browser.close();
  } finally {
    await serve.stop();
  }
});

test('a dropped file is named by its own name, never by its upload path', async ({ app }) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-names-'));
  try {
    await expect(app.getByTestId('backend-status')).toHaveText('Backend connected');
    const notes = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notes, 'not a movie');
    await dropFile(app.getByTestId('view-collections'), notes, 'text/plain');
    await expect(app.getByTestId('error-dialog')).toContainText('notes.txt');
    await expect(app.getByTestId('error-dialog')).not.toContainText('hitmic-uploads');
    await app.keyboard.press('Escape');
    await expect(app.getByTestId('error-dialog')).toHaveCount(0);
    // A file that is uploaded, then fails to open: the message names the dropped file.
    const broken = path.join(tmp, 'broken_movie.tif');
    fs.writeFileSync(broken, 'this is no TIFF at all');
    await dropFile(app.getByTestId('view-collections'), broken, 'image/tiff');
    await expect(app.getByTestId('error-dialog')).toContainText('broken_movie.tif');
    await expect(app.getByTestId('error-dialog')).not.toContainText('hitmic-uploads');
    await screenshot(app, 'dropped-file-error');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

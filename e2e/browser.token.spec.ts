import { expect, launchChromium, startServe, test } from './serve-fixture';

test('a non-loopback host requires the printed token', async () => {
  const serve = await startServe(['--host', '0.0.0.0']);
  try {
    expect(serve.token).toMatch(/^[0-9a-f]{48}$/);
    const port = new URL(serve.url).port;
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/api/health?token=${serve.token}`)).status).toBe(200);
    // The page opened with the token works end to end, WebSocket included.
    const browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${base}/?token=${serve.token}`);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await browser.close();
  } finally {
    await serve.stop();
  }
});

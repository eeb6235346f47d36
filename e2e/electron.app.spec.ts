import { _electron as electron, expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** An Electron binary, if this machine has one (ELECTRON_OVERRIDE_DIST_PATH or a normal download). */
function electronBinary(): string | undefined {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    const p = path.join(override, exe);
    return fs.existsSync(p) ? p : undefined;
  }
  try {
    // electron's index.js throws when its binary was never downloaded, so load it lazily.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require('electron') as unknown as string;
    return typeof p === 'string' && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) process.stderr.write('electron e2e: skipped: no Electron binary on this machine\n');

/** Electron needs a display; start Xvfb when there is none (CI runs headless as root). */
function ensureDisplay(): { env: NodeJS.ProcessEnv; stop(): void } {
  if (process.env.DISPLAY || process.platform !== 'linux' || !fs.existsSync('/usr/bin/Xvfb'))
    return { env: process.env, stop: () => undefined };
  const display = `:${90 + Math.floor(Math.random() * 9)}`;
  const xvfb = spawn('/usr/bin/Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  return { env: { ...process.env, DISPLAY: display }, stop: () => xvfb.kill() };
}

test.describe('desktop app (Electron)', () => {
  test.skip(
    !binary,
    'skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH or let electron download it)',
  );

  test('opens the window with the app frame and a connected backend', async () => {
    const display = ensureDisplay();
    await new Promise((r) => setTimeout(r, 500));
    const app = await electron.launch({
      executablePath: binary,
      args: [path.join(ROOT, 'dist', 'node', 'src-main', 'electron', 'main.js'), '--no-sandbox'],
      cwd: ROOT,
      env: display.env as Record<string, string>,
    });
    const page = await app.firstWindow();
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await expect(page.getByTestId('device')).toContainText('CPU');
    // contextIsolation on, nodeIntegration off, sandboxed: the page sees only window.hitmic.
    const exposed = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      hitmic: typeof window.hitmic,
      invoke: typeof window.hitmic?.invoke,
    }));
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      hitmic: 'object',
      invoke: 'function',
    });
    fs.mkdirSync(path.join(ROOT, 'test-results', 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', 'electron-app.png') });
    await app.close();
    display.stop();
  });
});

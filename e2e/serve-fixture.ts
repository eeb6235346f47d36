import { test as base, chromium, type Browser, type Locator, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { startServeProcess } from '../test-support/hostile-http';

export const ROOT = path.resolve(__dirname, '..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

/** Chromium from Debian (or CHROMIUM_PATH); Playwright's own download is not available here. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  return candidates.find((p) => fs.existsSync(p));
}

export interface ServeHandle {
  /** The URL `hitmic serve` printed: it carries the token, so a page opened there is let in. */
  url: string;
  token: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `hitmic serve` on a free port and resolves with the tokened URL it prints. What the app
 * remembers (recent runs) and the demo's files go to a scratch folder of this server unless `env`
 * names them (HITMIC_SETTINGS_DIR, HITMIC_DEMO_DIR), never to the settings of whoever runs the tests.
 */
export async function startServe(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeHandle> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-user-'));
  const serve = await startServeProcess(args, {
    HITMIC_SETTINGS_DIR: path.join(scratch, 'settings'),
    HITMIC_DEMO_DIR: path.join(scratch, 'demo'),
    ...env,
  });
  serve.proc.once('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
  return {
    url: serve.url,
    token: serve.token,
    proc: serve.proc,
    stop: async () => void (await serve.stop()),
  };
}

/** Zips the bundled demo collection the way a lab would share it. */
export async function zipDemoCollection(file: string): Promise<void> {
  const dir = path.join(ROOT, 'models', 'demo-collection');
  const zip = new yazl.ZipFile();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else zip.addFile(path.join(dir, r), r);
    }
  };
  walk('');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream
      .pipe(fs.createWriteStream(file))
      .on('close', () => resolve())
      .on('error', reject);
  });
}

/**
 * A real drop as a user makes it: a DataTransfer holding the file's bytes, dispatched on `target`
 * (the page's drop zone covers the whole window). The dropped file keeps its base name.
 */
export async function dropFile(target: Locator, file: string, type: string): Promise<void> {
  const name = path.basename(file);
  const b64 = fs.readFileSync(file).toString('base64');
  await target.evaluate(
    (el, f) => {
      const bin = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], f.name, { type: f.type }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64, name, type },
  );
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error(
      'no Chromium found: install Debian chromium (apt-get install -y chromium) or set CHROMIUM_PATH',
    );
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

export const test = base.extend<{ serve: ServeHandle; app: Page }, { browserInstance: Browser }>({
  browserInstance: [
    async ({}, use) => {
      const b = await launchChromium();
      await use(b);
      await b.close();
    },
    { scope: 'worker' },
  ],
  serve: async ({}, use) => {
    const s = await startServe();
    await use(s);
    await s.stop();
  },
  app: async ({ browserInstance, serve }, use) => {
    const context = await browserInstance.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(serve.url);
    await use(page);
    await context.close();
  },
});

export { expect } from '@playwright/test';

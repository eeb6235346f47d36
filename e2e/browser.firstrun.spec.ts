import type { Browser, Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  expect,
  launchChromium,
  ROOT,
  screenshot,
  startServe,
  test,
  type ServeHandle,
} from './serve-fixture';

/**
 * A newcomer's first session, in a real browser against real `hitmic serve` processes: an empty
 * library, "Try the demo", a real run, its QC; the runs still listed after the backend restarts;
 * Remove asking first; configs flagged when their collection is gone; the page's accessibility
 * fixes. No page may log a console error (the CSP's frame-ancestors in a meta element did).
 */

interface Session {
  serve: ServeHandle;
  page: Page;
  errors: string[];
}

/** A user folder for one scenario: library, settings (remembered runs) and the demo's files. */
function userFolders(tmp: string): NodeJS.ProcessEnv {
  return {
    HITMIC_LIBRARY: path.join(tmp, 'library'),
    HITMIC_SETTINGS_DIR: path.join(tmp, 'settings'),
    HITMIC_DEMO_DIR: path.join(tmp, 'demo'),
  };
}

/** Starts `hitmic serve` with `env`, opens its page, and collects every console error and page error. */
async function open(
  browser: Browser,
  env: NodeJS.ProcessEnv,
  viewport = { width: 1280, height: 800 },
): Promise<Session> {
  const serve = await startServe([], env);
  const page = await (await browser.newContext({ viewport })).newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(serve.url);
  await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
  return { serve, page, errors };
}

/** From the empty library: Try the demo, run it over `frames`, and wait until the run is done. */
async function tryAndRunDemo(page: Page, frames: string, shots?: string): Promise<void> {
  await expect(page.getByTestId('collections-empty')).toBeVisible();
  if (shots) await screenshot(page, `${shots}-empty-library`);
  await page.getByTestId('collections-empty').getByTestId('try-demo').click();
  await expect(page.getByTestId('demo-dialog')).toContainText('The demo is ready', { timeout: 30_000 });
  await expect(page.getByTestId('demo-dialog')).toContainText('demo_movie.tif');
  if (shots) await screenshot(page, `${shots}-demo-ready`);
  await page.getByTestId('demo-frames').fill(frames);
  await page.getByTestId('demo-run').click();
  await expect(page.getByTestId('view-runs')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 80_000 });
}

/** WCAG contrast ratio of an element's text colour on the first opaque background behind it. */
async function contrastOf(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return els.map((el) => {
      let bg: number[] = [255, 255, 255];
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
          bg = c;
          break;
        }
      }
      // SVG text (the charts' legends) is coloured by its fill, HTML text by its color.
      const style = getComputedStyle(el);
      const ink = el instanceof SVGElement ? style.fill : style.color;
      const [a, b] = [lum(rgb(ink)), lum(bg)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
  });
}

test.describe('first run', () => {
  let browser: Browser;
  let tmp: string;
  const sessions: Session[] = [];
  test.beforeAll(async () => {
    browser = await launchChromium();
  });
  test.afterAll(async () => {
    await browser.close();
  });
  test.beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-firstrun-'));
  });
  test.afterEach(async () => {
    for (const s of sessions.splice(0)) await s.serve.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // The "under 90 s on 2 cores" is measured and printed here, not asserted: speed is for
  // benchmarks, and a loaded CI machine must not fail a correct scenario.
  test('Try the demo: from an empty library to a finished run and its QC', async () => {
    test.setTimeout(150_000);
    const s = await open(browser, userFolders(tmp));
    sessions.push(s);
    const { page } = s;
    const t0 = Date.now();
    // Six frames of the demo movie: the whole pipeline (restoration, segmentation, classification,
    // PI, tracking) on each, as `hitmic run --frames 0:6`.
    await tryAndRunDemo(page, '0:6', 'firstrun');
    await expect(page.getByTestId('run-movie-demo_movie')).toContainText('frame 6/6');
    await screenshot(page, 'firstrun-demo-run-done');
    await page.getByTestId('open-qc-demo_movie').click();
    await expect(page.getByTestId('qc-facts')).toContainText('matching objects shown', { timeout: 30_000 });
    await expect(page.locator('[data-testid^="crop-"]').first()).toBeVisible();
    const seconds = (Date.now() - t0) / 1000;
    test.info().annotations.push({ type: 'Try the demo → QC', description: `${seconds.toFixed(1)} s` });
    console.log(`Try the demo → finished 6-frame run → QC tiles: ${seconds.toFixed(1)} s (target < 90 s)`);
    await expect(page.getByTestId('qc-run')).toHaveValue(path.join(tmp, 'demo', 'output'));
    await screenshot(page, 'firstrun-demo-qc');

    // The demo also opened its movie in the Viewer and its config in the editor, saved and checked
    // as `hitmic config validate` checks it.
    await page.getByTestId('nav-viewer').click();
    await expect(page.getByTestId('viewer-movie-info')).toContainText('demo_movie');
    await page.getByTestId('nav-config').click();
    await expect(page.getByTestId('config-checked')).toHaveText('files checked');
    await expect(page.getByTestId('config-status')).toHaveText(/^0 errors/);
    await expect(page.getByRole('textbox', { name: 'Run config, YAML' })).toBeVisible();

    // At 1024×700 the QC relabel bar stays in view while the crops scroll under it.
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('nav-qc').click();
    await expect(page.getByTestId('qc-keys')).toBeVisible();
    await page.getByTestId('view-qc').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect
      .poll(async () => (await page.getByTestId('view-qc').evaluate((el) => el.scrollTop)) > 200)
      .toBe(true);
    const bar = (await page.getByTestId('qc-keys').boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(0);
    expect(bar.y + bar.height).toBeLessThanOrEqual(700);
    await screenshot(page, 'firstrun-qc-1024x700-scrolled');
    expect(s.errors).toEqual([]);
  });

  test('runs stay listed after a backend restart; Remove asks first; configs pointing at it are flagged', async () => {
    test.setTimeout(240_000);
    const env = userFolders(tmp);
    const first = await open(browser, env);
    sessions.push(first);
    await tryAndRunDemo(first.page, '0:3');
    expect(first.errors).toEqual([]);
    await first.serve.stop();

    // A new backend process: the run is found on disk, with links into QC and Results.
    const s = await open(browser, env);
    sessions.push(s);
    const { page } = s;
    await page.getByTestId('nav-runs').click();
    const card = page.getByTestId('history-output');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('history-state')).toHaveText('done');
    await expect(card.getByTestId('history-movie-demo_movie')).toContainText('3 frames');
    await screenshot(page, 'runs-after-restart');
    await card.getByTestId('history-results-demo_movie').click();
    await expect(page.getByTestId('results-facts')).toContainText('demo_movie', { timeout: 30_000 });
    // Legend words keep a readable contrast; their colour is in the swatch beside them.
    const legend = await contrastOf(
      page,
      '[data-testid^="plot-"] svg .chart-legend .legend-entry text',
    );
    expect(legend.length).toBeGreaterThan(0);
    for (const ratio of legend) expect(ratio).toBeGreaterThanOrEqual(4.5);

    // Re-run (force) from the list, then cancel it: it shows as cancelled, not failed.
    await page.getByTestId('nav-runs').click();
    await card.getByTestId('history-rerun').click();
    await expect(page.getByTestId('run-cancel')).toBeVisible();
    // Every progress bar on the page has a name.
    await expect(page.locator('[role="progressbar"]').first()).toBeAttached({ timeout: 30_000 });
    for (const bar of await page.locator('[role="progressbar"]').all())
      expect(await bar.getAttribute('aria-label')).toBeTruthy();
    await page.getByTestId('run-cancel').click();
    await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
    await expect(card.getByTestId('history-state')).toHaveText('cancelled');
    await expect(card.getByTestId('history-rerun')).toBeEnabled();
    await screenshot(page, 'runs-cancelled');

    // Remove asks first, naming the saved config that uses the collection; Cancel keeps it.
    await page.getByTestId('nav-collections').click();
    await page.getByTestId('collection-list').getByRole('button').first().click();
    await page.getByTestId('remove-collection').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText('Remove');
    await expect(page.getByTestId('confirm-details')).toContainText('demo_config.yml');
    await screenshot(page, 'collections-remove-asks');
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('collection-list').getByRole('button')).toHaveCount(1);
    await page.getByTestId('remove-collection').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('collections-empty')).toBeVisible();

    // The run's config now points at nothing: flagged, and Re-run is not offered.
    await page.getByTestId('nav-runs').click();
    await expect(card.getByTestId('history-flag')).toContainText('model collection is gone');
    await expect(card.getByTestId('history-rerun')).toBeDisabled();
    // The editor runs the same file checks as `hitmic config validate`: the missing collection is an error.
    await page.getByTestId('nav-config').click();
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path.join(tmp, 'demo', 'demo_config.yml'));
    await page.getByTestId('path-ok').click();
    await expect(page.getByTestId('config-status')).toHaveText(/^1 error/);
    await expect(page.getByTestId('config-diagnostics')).toContainText('not found');
    await screenshot(page, 'config-collection-removed');

    // Unsaved edits are not lost silently: New from template asks, and Keep editing keeps them.
    await page.getByTestId('cfg-pipeline_setup-reference_channel').fill('1');
    await page.getByTestId('config-new').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText('Discard unsaved changes?');
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('cfg-pipeline_setup-reference_channel')).toHaveValue('1');
    expect(s.errors).toEqual([]);
    // …and leaving the page asks too (the browser's own question).
    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const question = await asked;
    expect(question.type()).toBe('beforeunload');
    await question.accept();
  });

  test('Resources says why each waiter waits, and stops a run of ours that waits', async () => {
    test.setTimeout(180_000);
    const bookings = path.join(tmp, 'bookings');
    fs.mkdirSync(bookings);
    const env = { ...userFolders(tmp), TMPDIR: bookings, HITMIC_CAPACITY_GB: '' };
    // Another user's job holds 2 GB; another waits for 3 GB against its own --capacity-gb 3, though
    // the machine has far more free: its own limit is why it waits.
    const reserve = (args: string[]): ChildProcess =>
      spawn(process.execPath, [path.join(ROOT, 'bin', 'hitmic.js'), 'reserve', '--device', 'cpu', ...args], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
    const procs = [reserve(['--gb', '2', '--', 'sleep', '300'])];
    try {
      const s = await open(browser, env);
      sessions.push(s);
      const { page } = s;
      await page.getByTestId('nav-resources').click();
      await expect(page.getByTestId('holders-cpu')).toContainText('hitmic reserve');
      procs.push(reserve(['--gb', '3', '--capacity-gb', '3', '--timeout', '300', '--', 'true']));
      const capped = page.getByTestId(`waiter-${procs[1].pid}`);
      await expect(capped.getByTestId('waiter-reason')).toContainText(
        `waits for 3.0 GB of the 3 GB capacity set by --capacity-gb; 2.0 GB of it is booked (1.0 GB free), held by pid ${procs[0].pid} (hitmic reserve`,
      );
      // Not ours: no Stop.
      await expect(capped.getByRole('button', { name: 'Stop' })).toHaveCount(0);

      // The demo run's first stage fits, but queues behind that waiter (first come, first served).
      await page.getByTestId('nav-collections').click();
      await page.getByTestId('collections-empty').getByTestId('try-demo').click();
      await page.getByTestId('demo-frames').fill('0:2');
      await page.getByTestId('demo-run').click();
      await expect(page.locator('[data-testid^="run-waiting-"]')).toContainText('waits for', {
        timeout: 60_000,
      });
      await page.getByTestId('nav-resources').click();
      const ours = page.locator('tr[data-testid^="waiter-"]').filter({ hasText: 'waits its turn' });
      await expect(ours).toContainText(`first pid ${procs[1].pid} (hitmic reserve`);
      await expect(page.getByTestId('booked-chart')).toContainText('2.00 GB booked now');
      await expect(ours.getByRole('button', { name: 'Stop' })).toBeVisible();
      await screenshot(page, 'resources-waiters');
      await page.getByTestId('booked-chart').scrollIntoViewIfNeeded();
      await screenshot(page, 'resources-booked-chart');
      await ours.getByRole('button', { name: 'Stop' }).click();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('nav-runs').click();
      await expect(page.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
      expect(s.errors).toEqual([]);
    } finally {
      for (const p of procs) p.kill('SIGTERM');
    }
  });
});

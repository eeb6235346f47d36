import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { TEST_MODE_STAGES } from '../src-shared/api';
import {
  dropFile,
  expect,
  launchChromium,
  ROOT,
  screenshot,
  startServe,
  test,
  zipDemoCollection,
} from './serve-fixture';

/**
 * Acceptance scenario "test mode changing patch_size re-runs only restoration onwards" (issue 16,
 * item 4): the demo movie and the demo collection, the whole pipeline of the template config on
 * three frames, then a segmentation setting and a restoration setting changed in turn. The panel's
 * stage list must say what re-ran and what came from the worker's cache, and what is drawn must
 * agree: a stage taken from the cache draws the very same pixels.
 */
const DEMO_MOVIE = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
const STAGES = TEST_MODE_STAGES;

/** Each stage's status and cache key, as the panel lists them. */
async function stages(page: Page): Promise<Record<string, { status: string; key: string }>> {
  const out: Record<string, { status: string; key: string }> = {};
  for (const s of STAGES) {
    const row = page.getByTestId(`test-mode-stage-${s}`);
    out[s] = {
      status: (await row.getAttribute('data-status')) ?? '',
      key: /cache key (\w+)/.exec((await row.getAttribute('title')) ?? '')?.[1] ?? '',
    };
  }
  return out;
}

const statuses = async (page: Page) =>
  Object.fromEntries(Object.entries(await stages(page)).map(([k, v]) => [k, v.status]));

/** A hash of the canvas pixels: equal hashes, equal pictures. */
function canvasHash(page: Page): Promise<number> {
  return page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) >>> 0;
    return h;
  });
}

/** Shows one stage image (right of the compare line) without objects or tracks, and hashes the canvas. */
async function pictureOf(page: Page, image: string): Promise<number> {
  await page.getByTestId('test-mode-image').locator('..').click();
  await page.getByRole('option', { name: image, exact: true }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await page.waitForTimeout(150); // one frame for the canvas to redraw
  return canvasHash(page);
}

async function chooseObjects(page: Page, name: string): Promise<void> {
  await page.getByTestId('test-mode-objects').locator('..').click();
  await page.getByRole('option', { name }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

test.use({ actionTimeout: 30_000 });

test('test mode: the whole pipeline on three frames, then only what a changed setting reaches re-runs', async () => {
  test.setTimeout(600_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-testmode-'));
  const zipFile = path.join(tmp, 'demo_collection.zip');
  await zipDemoCollection(zipFile);
  const serve = await startServe([], { HITMIC_LIBRARY: path.join(tmp, 'library'), TMPDIR: tmp });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await dropFile(page.getByTestId('view-collections'), zipFile, 'application/zip');
    await expect(page.getByTestId('collection-list')).toContainText('6 models', { timeout: 60_000 });

    await page.getByTestId('nav-viewer').click();
    await page.getByTestId('viewer-path-input').fill(DEMO_MOVIE);
    await page.getByTestId('viewer-open').click();
    await expect(page.getByTestId('viewer-movie-info')).toContainText('frame ready');
    await page.getByTestId('viewer-canvas').click();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('viewer-frame-label')).toHaveText('Frame 4 (0–19)');

    // The whole pipeline (config: the template with the demo collection) on frames 4–6.
    await page.getByTestId('test-mode-count').fill('3');
    await expect(page.getByTestId('test-mode-run')).toHaveText('Run from frame 4');
    await page.getByTestId('test-mode-run').click();
    await expect(page.getByTestId('test-mode-status')).toHaveText(/^Every stage ran/, { timeout: 240_000 });
    await expect(page.getByTestId('test-mode-result')).toContainText(
      /ASCT_focusrestore on frames 4–6 · frame 4 shown · \d+ objects · \d+ tracks/,
    );
    expect(Object.values(await statuses(page)).every((s) => s === 'ran')).toBe(true);
    const first = await stages(page);
    await expect(page.getByTestId('test-mode-cache')).toContainText(
      /Cache in the worker: [\d.]+ MB of [\d.]+ GB/,
    );

    // Every stage's output is a layer: hover an object for its row of the table.
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    for (let gy = 0.3; gy < 0.7 && !(await page.getByTestId('test-mode-object').count()); gy += 0.03)
      for (let gx = 0.3; gx < 0.7; gx += 0.05) {
        await page.mouse.move(box.x + box.width * gx, box.y + box.height * gy);
        if (await page.getByTestId('viewer-hover-object').count()) break;
      }
    await expect(page.getByTestId('viewer-hover-object')).toContainText(
      /label \d+ · \S+ \d+\.\d % · \d+ px( \([\d.]+ µm²\))? · pi(POS|NEG) · track \d+/,
    );
    await expect(page.getByTestId('test-mode-object')).toContainText(/mean_intensity/);
    await expect(page.getByTestId('test-mode-object')).toContainText(/pi_class\s*pi(POS|NEG)/);
    await page.getByTestId('test-mode-stages').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-mode-first-run');

    await chooseObjects(page, 'None');
    await page.getByRole('switch', { name: 'Tracks' }).uncheck();
    const restoredBefore = await pictureOf(page, 'Restored bright field');
    const probabilityBefore = await pictureOf(page, 'Cell probability');
    const flBefore = await pictureOf(page, 'Restored PI channel');
    // The stage outputs are layers of the layer list; the panel's choices set which are shown, and
    // the list changes each of them after that.
    const layer = (id: string) => page.getByTestId(`layer-test-${id}`);
    await expect(layer('restored-fl')).toHaveAttribute('data-visible', 'true');
    await expect(layer('restored-bf')).toHaveAttribute('data-visible', 'false');
    await expect(layer('labels')).toHaveAttribute('data-visible', 'false');
    await expect(layer('tracks')).toHaveAttribute('data-visible', 'false');
    await page.getByTestId('layer-test-restored-fl-visible').uncheck();
    await expect.poll(() => canvasHash(page)).not.toBe(flBefore);
    await page.getByTestId('layer-test-restored-fl-visible').check();
    await expect.poll(() => canvasHash(page)).toBe(flBefore);

    // A segmentation-only setting: restoration comes from the cache, segmentation onwards re-runs (live).
    await page.getByTestId('test-mode-segmentation-patch').fill('128');
    await expect(page.getByTestId('test-mode-status')).toContainText('segmentation onwards re-ran', {
      timeout: 120_000,
    });
    await expect(page.getByTestId('test-mode-status')).toContainText(
      'alignment, background correction, restoration (bright field), restoration (PI channel) from the cache',
    );
    const seg = await stages(page);
    expect(Object.fromEntries(STAGES.map((s) => [s, seg[s].status]))).toEqual({
      align: 'cached',
      background: 'cached',
      bf_focus: 'cached',
      fl_focus: 'cached',
      segmentation: 'ran',
      cell_classifier: 'ran',
      measure: 'ran',
      pi_classification: 'ran',
      tracking: 'ran',
    });
    for (const s of ['align', 'background', 'bf_focus', 'fl_focus']) expect(seg[s].key).toBe(first[s].key);
    for (const s of ['segmentation', 'cell_classifier', 'measure', 'pi_classification', 'tracking'])
      expect(seg[s].key).not.toBe(first[s].key);
    // The cached restoration draws the same pixels; the re-run segmentation another probability map.
    expect(await pictureOf(page, 'Restored PI channel')).toBe(flBefore);
    expect(await pictureOf(page, 'Restored bright field')).toBe(restoredBefore);
    expect(await pictureOf(page, 'Cell probability')).not.toBe(probabilityBefore);
    await chooseObjects(page, 'Classes');
    await page.getByTestId('test-mode-stages').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-mode-segmentation-patch');

    // A restoration setting: the bright-field restoration re-runs and everything after it; the PI one stays.
    await page.getByTestId('test-mode-bf_focus-overlap').fill('0.5');
    await expect(page.getByTestId('test-mode-stage-bf_focus')).toHaveAttribute('data-status', 'ran', {
      timeout: 120_000,
    });
    expect(await statuses(page)).toEqual({
      align: 'cached',
      background: 'cached',
      bf_focus: 'ran',
      fl_focus: 'cached',
      segmentation: 'ran',
      cell_classifier: 'ran',
      measure: 'ran',
      pi_classification: 'ran',
      tracking: 'ran',
    });
    await chooseObjects(page, 'None');
    expect(await pictureOf(page, 'Restored bright field')).not.toBe(restoredBefore);
    expect(await pictureOf(page, 'Restored PI channel')).toBe(flBefore);

    // Another frame of the range comes from the cache; the report of the last run that ran stays.
    // (Click beside the compare line's handle, which sits in the middle of the canvas.)
    await page.getByTestId('viewer-canvas').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('test-mode-result')).toContainText('frame 5 shown', { timeout: 60_000 });
    await expect(page.getByTestId('test-mode-stage-bf_focus')).toHaveAttribute('data-status', 'ran');
    await chooseObjects(page, 'PI status');
    await page.getByRole('switch', { name: 'Tracks' }).check();
    await page.getByTestId('test-mode-stages').scrollIntoViewIfNeeded();
    await screenshot(page, 'test-mode-frame-5-pi-tracks');
  } finally {
    await browser.close();
    await serve.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropFile, expect, launchChromium, ROOT, screenshot, startServe, test } from './serve-fixture';

const DEMO_MOVIE = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');

/**
 * A collection as HiTMicTools labs ship theirs — PyTorch `.pth` models and a scikit-learn PI
 * classifier (models/demo-variants) — dropped on the window: the cards say the models run
 * converted, and a frame is classified in the Viewer through the converted models.
 */
test('a .pth collection dropped on the window runs converted: cards say so, the Viewer classifies a frame', async () => {
  test.setTimeout(240_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-pth-'));
  const zipFile = path.join(tmp, 'demo-pth.zip');
  const made = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'hitmic.js'),
      'collection',
      'create',
      '-i',
      path.join(ROOT, 'models', 'demo-variants', 'pth-collection.yml'),
      '-o',
      zipFile,
      '--no-auto-date',
    ],
    { encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
  const serve = await startServe([], { HITMIC_LIBRARY: path.join(tmp, 'library') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await dropFile(page.getByTestId('view-collections'), zipFile, 'application/zip');
    await expect(page.getByTestId('collection-list')).toContainText('5 models', { timeout: 30_000 });
    for (const key of ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier']) {
      await expect(page.getByTestId(`model-${key}`)).toContainText('pytorch');
      await expect(page.getByTestId(`model-${key}`)).toContainText('runnable, converted');
    }
    await expect(page.getByTestId('model-segmentation').getByTestId('conversion-note')).toContainText(
      /converted from the \.pth by HiTMic Studio/,
    );
    await expect(page.getByTestId('model-pi_classification')).toContainText('sklearn');
    await page.getByTestId('verify-collection').click();
    await expect(page.getByTestId('verify-result')).toContainText('Verified', { timeout: 90_000 });
    await screenshot(page, 'collections-pth');

    await page.getByTestId('nav-viewer').click();
    await page.getByTestId('viewer-path-input').fill(DEMO_MOVIE);
    await page.getByTestId('viewer-open').click();
    await expect(page.getByTestId('viewer-movie-info')).toContainText('frame ready', { timeout: 30_000 });
    await expect(page.getByTestId('preview-classify')).toBeEnabled();
    await page.getByTestId('preview-classify').click();
    await expect(page.getByTestId('preview-status')).toContainText(/cell_classifier on frame 0: \d+ objects/, {
      timeout: 90_000,
    });
    await screenshot(page, 'viewer-pth-classified');
  } finally {
    await browser.close();
    await serve.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

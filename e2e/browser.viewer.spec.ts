import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
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

const DEMO_MOVIE = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');

/** What is drawn on the canvas: a hash of its pixels, how many are not black, and how many are class-overlay blue. */
async function canvasStats(page: Page): Promise<{ hash: number; lit: number; blue: number }> {
  return page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    let lit = 0;
    let blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      hash = (hash * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) >>> 0;
      if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
      if (d[i + 2] > d[i] + 60) blue++; // single-cell (sky blue) and off-focus (blue) outlines; grey + red PI never is
    }
    return { hash, lit, blue };
  });
}

test('the Viewer opens the demo movie, scrubs frames and previews segmentation with classes on hover', async () => {
  test.setTimeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-viewer-'));
  const zipFile = path.join(tmp, 'demo_collection.zip');
  await zipDemoCollection(zipFile);
  const serve = await startServe([], { HITMIC_LIBRARY: path.join(tmp, 'library') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    // The demo collection, dropped as a lab would share it.
    await dropFile(page.getByTestId('view-collections'), zipFile, 'application/zip');
    await expect(page.getByTestId('collection-list')).toContainText('6 models', { timeout: 30_000 });

    await page.getByTestId('nav-viewer').click();
    await page.getByTestId('viewer-path-input').fill(DEMO_MOVIE);
    await page.getByTestId('viewer-open').click();
    await expect(page.getByTestId('viewer-movie-info')).toContainText(
      '512×512 · 20 frames · 2 channels · uint16',
    );
    await expect(page.getByTestId('viewer-frame-label')).toHaveText('Frame 0 (0–19)');
    await expect(page.getByTestId('viewer-movie-info')).toContainText('frame ready');
    const f0 = await canvasStats(page);
    expect(f0.lit).toBeGreaterThan(100_000);

    // Keys step frames; the canvas shows the new frame.
    await page.getByTestId('viewer-canvas').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('viewer-frame-label')).toHaveText('Frame 3 (0–19)');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('viewer-frame-label')).toHaveText('Frame 2 (0–19)');
    await expect.poll(async () => (await canvasStats(page)).hash).not.toBe(f0.hash);
    // The slider scrubs: its far right end is the last frame.
    const slider = (await page.getByTestId('viewer-frame-slider').boundingBox())!;
    await page.mouse.click(slider.x + slider.width - 1, slider.y + slider.height / 2);
    await expect(page.getByTestId('viewer-frame-label')).toHaveText('Frame 19 (0–19)');
    await page.mouse.click(slider.x + slider.width * 0.3, slider.y + slider.height / 2);
    await expect(page.getByTestId('viewer-frame-label')).toContainText(/Frame [5-6] /);
    await page.getByTestId('viewer-canvas').click();
    const frameText = (await page.getByTestId('viewer-frame-label').textContent())!;
    const frame = Number(/Frame (\d+)/.exec(frameText)![1]);

    // Pixel readout under the cursor.
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('viewer-hover')).toContainText(
      /x 25\d y 25\d \(1\d\d\.\d\d, 1\d\d\.\d\d µm\) · ch0 \d+ · ch1 \d+/,
    );
    await screenshot(page, 'viewer-frame');

    // Classify: restoration + segmentation + classes, drawn over the frame.
    const before = await canvasStats(page);
    await expect(page.getByTestId('preview-classify')).toBeEnabled();
    await page.getByTestId('preview-classify').click();
    await expect(page.getByTestId('preview-status')).toContainText(
      new RegExp(`cell_classifier on frame ${frame}: \\d+ objects`),
      { timeout: 60_000 },
    );
    await expect(page.getByTestId('preview-timing')).toContainText(
      /took \d+ ms \(bf_focus \d+, segmentation \d+, cell_classifier \d+; cpu\)/,
    );
    await expect.poll(async () => (await canvasStats(page)).blue).toBeGreaterThan(before.blue + 500);

    // Hover over objects until one reads out its label, class and confidence.
    let found = '';
    for (let gy = 0.2; gy < 0.8 && !found; gy += 0.04) {
      for (let gx = 0.2; gx < 0.8 && !found; gx += 0.04) {
        await page.mouse.move(box.x + box.width * gx, box.y + box.height * gy);
        const o = page.getByTestId('viewer-hover-object');
        if (await o.count()) found = (await o.textContent()) ?? '';
      }
    }
    expect(found).toMatch(/label \d+ · (single-cell|clump|noise|off-focus|joint-cell) \d+\.\d % · \d+ px/);
    await screenshot(page, 'viewer-classify');

    // The compare line: raw on the left, restored on the right; dragging it moves the split.
    const handle = page.getByTestId('compare-handle');
    await expect(handle).toHaveAttribute('aria-valuenow', '50');
    const hb = (await handle.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, hb.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect(handle).toHaveAttribute('aria-valuenow', /7[4-6]/);

    // Changing the segmentation patch size re-runs the preview with it.
    await page.getByTestId('override-segmentation-patch').fill('128');
    await expect(page.getByTestId('preview-settings')).toContainText('segmentation: patch 128', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('preview-settings')).toContainText(
      'bf_focus: patch 128, overlap 0.25, range01 scaling',
    );
    await screenshot(page, 'viewer-compare');
  } finally {
    await browser.close();
    await serve.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a movie dropped on the window opens in the Viewer; zoom, 1:1, Fit and manual contrast redraw it', async ({
  app,
}) => {
  // A small 2-channel movie written with HiTMic's own writer (the compiled Node side).
  const { HyperstackWriter } = createRequire(__filename)(
    path.join(ROOT, 'dist/node/src-main/io/tiff/writer.js'),
  ) as {
    HyperstackWriter: {
      create(
        f: string,
        o: object,
      ): Promise<{ writePlane(d: Uint16Array): Promise<void>; close(): Promise<void> }>;
    };
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-drop-'));
  const file = path.join(tmp, 'tiny_movie.tif');
  try {
    const w = await HyperstackWriter.create(file, {
      width: 64,
      height: 48,
      dtype: 'uint16',
      frames: 3,
      channels: 2,
    });
    for (let p = 0; p < 6; p++)
      await w.writePlane(Uint16Array.from({ length: 64 * 48 }, (_, i) => 100 + ((i % 64) * 10 + p * 50)));
    await w.close();
    await expect(app.getByTestId('backend-status')).toHaveText('Backend connected');
    await dropFile(app.getByTestId('view-collections'), file, 'image/tiff');
    await expect(app.getByTestId('viewer-movie-info')).toContainText(
      'tiny_movie.tif · 64×48 · 3 frames · 2 channels · uint16',
      { timeout: 20_000 },
    );
    await expect(app.getByTestId('viewer-movie-info')).toContainText('frame ready');
    // The server's temporary copy is nowhere to be seen: not in the path field, not in the info.
    await expect(app.getByTestId('viewer-path-input')).toHaveValue('');
    await expect(app.getByTestId('viewer-movie-info')).not.toContainText('hitmic-uploads');

    const canvas = app.getByTestId('viewer-canvas');
    const box = (await canvas.boundingBox())!;
    await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(app.getByTestId('viewer-hover')).toContainText(/x 3[12] y 2[34] · ch0 \d+ · ch1 \d+/);
    await app.mouse.wheel(0, -300);
    await expect(app.getByTestId('viewer-zoom')).toContainText(/^\d+ %/);
    await app.getByTestId('viewer-1to1').click();
    await expect(app.getByTestId('viewer-zoom')).toContainText('100 %');
    await app.getByTestId('viewer-fit').click();
    await expect(app.getByTestId('viewer-zoom')).toContainText('fit');

    const hash = () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let h = 0;
        for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + d[i + 1] * 7) >>> 0;
        return h;
      });
    const auto = await hash();
    await app.getByTestId('contrast-0-max').fill('5000');
    await app.getByTestId('contrast-0-max').press('Enter');
    await expect.poll(hash).not.toBe(auto);
    await expect(app.getByTestId('contrast-0')).toHaveAttribute('data-mode', 'manual');
    await expect(app.getByTestId('contrast-0-max')).toHaveValue('5000');
    await screenshot(app, 'viewer-dropped');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { decodePng } from '../test-support/png-decode';
import { addRunFolder, demoRunForThisFile, DEMO_RUN_MOVIE as MOVIE } from './demo-run';
import { expect, screenshot, SCREENSHOTS, test } from './serve-fixture';

// Figures of a real run: the bundled demo through the real CLI, once for this file.
const demoRun = demoRunForThisFile('figures');

async function openResults(page: Page): Promise<void> {
  await addRunFolder(page, demoRun());
  await page.getByTestId('nav-results').click();
  await page.getByTestId('results-run').selectOption(demoRun());
  await page.getByTestId('results-movie').selectOption(MOVIE);
  await page.getByTestId('results-load').click();
  await expect(
    page.getByTestId('plot-area-histogram-chart').locator('svg rect[data-bin]').first(),
  ).toBeAttached();
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const d = await pending;
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

test('Results plots export as SVG and PNG with title, axes, units and legend', async ({ app }) => {
  await openResults(app);

  // SVG: a standalone file a browser parses, with what makes a figure readable on its own.
  const svg = await download(app, 'plot-class-counts-svg');
  expect(svg.name).toBe(`${MOVIE}_objects_per_class.svg`);
  const text = svg.bytes.toString('utf8');
  const parsed = await app.evaluate((markup) => {
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName('parsererror').length > 0,
      root: root.localName,
      ns: root.namespaceURI,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      title: root.querySelector('.chart-title')?.textContent,
      axes: Array.from(root.querySelectorAll('.axis-title'), (e) => e.textContent),
      legend: Array.from(root.querySelectorAll('.legend-entry'), (e) => e.textContent),
      background: root.querySelector('.chart-background')?.getAttribute('fill'),
    };
  }, text);
  expect(parsed).toMatchObject({
    error: false,
    root: 'svg',
    ns: 'http://www.w3.org/2000/svg',
    width: '720',
    height: '420',
    title: 'Objects per class over time',
    axes: ['objects (count)', 'time (h)'],
    background: '#ffffff',
  });
  expect(parsed.legend).toEqual(['single-cell', 'clump', 'noise', 'off-focus', 'joint-cell']);

  const hist = (await download(app, 'plot-area-histogram-svg')).bytes.toString('utf8');
  expect(hist).toContain('>area (px)<');
  expect(hist).toContain('>Object area by class<');

  // PNG: the browser's own SVG renderer draws the same file at twice its size.
  const png = await download(app, 'plot-kill-curve-png');
  expect(png.name).toBe(`${MOVIE}_kill_curve.png`);
  // Kept beside the screenshots, to be looked at.
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fs.writeFileSync(path.join(SCREENSHOTS, 'figures-export-kill-curve.png'), png.bytes);
  fs.writeFileSync(path.join(SCREENSHOTS, 'figures-export-objects-per-class.svg'), svg.bytes);
  const img = decodePng(png.bytes);
  expect([img.width, img.height]).toEqual([1440, 840]);
  expect(Array.from(img.rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
  let red = 0;
  let dark = 0;
  for (let i = 0; i < img.rgba.length; i += 4) {
    const [r, g, b] = [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]];
    if (r === 0xd3 && g === 0x2f && b === 0x2f) red++;
    if (r < 90 && g < 90 && b < 90) dark++;
  }
  expect(red).toBeGreaterThan(500); // the PI-positive line
  expect(dark).toBeGreaterThan(3000); // title, legend and axis text

  await screenshot(app, 'figures-results-light');
  await app.getByTestId('plot-area-histogram').scrollIntoViewIfNeeded();
  await screenshot(app, 'figures-results-histogram-light');
});

test('charts follow dark mode, exports stay light', async ({ browserInstance, serve }) => {
  const context = await browserInstance.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'dark',
  });
  const page = await context.newPage();
  try {
    await page.goto(serve.url);
    await openResults(page);
    const chart = page.getByTestId('plot-class-counts-chart');
    await expect(chart.locator('.chart-background')).toHaveAttribute('fill', '#121212');
    const titleFill = await chart.locator('.chart-title').getAttribute('fill');
    expect(titleFill).toBe('#f2f2f2');
    await screenshot(page, 'figures-results-dark');
    await page.getByTestId('plot-area-histogram').scrollIntoViewIfNeeded();
    await screenshot(page, 'figures-results-histogram-dark');
    // The exported file is a figure for white paper whatever the app's mode.
    const svg = (await download(page, 'plot-class-counts-svg')).bytes.toString('utf8');
    expect(svg).toContain('class="chart-background" x="0" y="0" width="720" height="420" fill="#ffffff"');

    // The memory chart: axes with units and a clock, in the dark theme too.
    await page.getByTestId('nav-resources').click();
    const memory = page.getByTestId('memory-chart');
    await expect(memory.locator('.axis-title')).toHaveText(['memory (MB)', 'time of day (hh:mm:ss)'], {
      timeout: 20_000,
    });
    await expect(memory.locator('.x-axis .tick text').first()).toHaveText(/^\d\d:\d\d(:\d\d)?$/);
    await expect(memory.locator('.legend-entry').first()).toHaveText('HiTMic Studio');
    await expect(memory.locator('.chart-background')).toHaveAttribute('fill', '#121212');
    await memory.scrollIntoViewIfNeeded();
    await screenshot(page, 'figures-resources-dark');
  } finally {
    await context.close();
  }
});

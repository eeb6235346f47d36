import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { writeDemoRunConfig } from '../test-support/demo-run-config';
import { addRunFolder } from './demo-run';
import { expect, ROOT, screenshot, test } from './serve-fixture';

/**
 * Issue 16, items 3, 5 and 6 in the browser: the layer list, whole-movie contrast with its
 * histogram, physical units; a tracked run of the demo movie (whose cells divide) with tails and
 * the lineage of a dividing cell; QC's "Show in the Viewer" with the right run.
 */
const DEMO_MOVIE = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
const MOVIE = 'demo_movie';
const W = 512;
const load = createRequire(__filename);
const dist = (p: string) => path.join(ROOT, 'dist', 'node', p);

let tmp = '';
let runA = '';
let runB = '';

test.beforeAll(() => {
  test.setTimeout(300_000);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-layers-'));
  runA = path.join(tmp, 'run-a');
  fs.mkdirSync(runA);
  // Tracking with divisions: the demo's cells divide; v5 finds daughters of 0.25–0.8 of the mother's area.
  const config = writeDemoRunConfig(path.join(runA, 'config.yml'), {
    output: runA,
    exportLabels: true,
    focusCorrection: false,
    tracking: true,
    extra: `tracking:
  backend: hungarian
  version: v5
  parameters:
    max_distance: 15.0
    division_area_ratio_range: [0.25, 0.8]
    division_search_radius: 25.0
`,
  });
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hitmic.js'), 'run', config, '--json'], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp },
  });
  if (r.status !== 0) throw new Error(`hitmic run failed: ${r.stderr}`);
  // A second run folder of the same movie, for QC: "Show in the Viewer" must switch to it.
  runB = path.join(tmp, 'run-b');
  fs.mkdirSync(runB);
  for (const f of fs.readdirSync(runA).filter((f) => f.startsWith(MOVIE)))
    fs.copyFileSync(path.join(runA, f), path.join(runB, f));
});

test.afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Row {
  at(column: string): string;
}
function csvRows(file: string): Row[] {
  const [head, ...rows] = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
  return rows.map((r) => ({ at: (c: string) => r[head.indexOf(c)] }));
}

/** The movie's pixels of one plane, read with HiTMic's own reader (the compiled Node side). */
async function plane(frame: number, channel: number): Promise<ArrayLike<number>> {
  const { openMovie } = load(dist('src-main/io/index.js')) as {
    openMovie(f: string): Promise<{
      readPlane(s: { t: number; c: number }): Promise<{ data: ArrayLike<number> }>;
      close(): Promise<void>;
    }>;
  };
  const m = await openMovie(DEMO_MOVIE);
  const { data } = await m.readPlane({ t: frame, c: channel });
  await m.close();
  return data;
}

/** Canvas RGB at the centre of movie pixels (x, y) under the Fit view (every `step`-th pixel). */
async function sampleFit(page: Page, step: number): Promise<{ x: number; y: number; rgb: number[] }[]> {
  return page.getByTestId('viewer-canvas').evaluate(
    (c: HTMLCanvasElement, a) => {
      const dpr = c.width / c.clientWidth;
      const scale = Math.min(c.clientWidth / a.W, c.clientHeight / a.W);
      const ox = (c.clientWidth - a.W * scale) / 2;
      const oy = (c.clientHeight - a.W * scale) / 2;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const out: { x: number; y: number; rgb: number[] }[] = [];
      for (let y = 0; y < a.W; y += a.step)
        for (let x = 0; x < a.W; x += a.step) {
          const sx = Math.floor((ox + (x + 0.5) * scale) * dpr);
          const sy = Math.floor((oy + (y + 0.5) * scale) * dpr);
          const i = (sy * c.width + sx) * 4;
          out.push({ x, y, rgb: [d[i], d[i + 1], d[i + 2]] });
        }
      return out;
    },
    { W, step },
  );
}

/** Sums of the canvas: red, green and blue over all pixels, and a hash. */
async function canvasSums(page: Page): Promise<{ r: number; g: number; b: number; hash: number }> {
  return page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let [r, g, b, hash] = [0, 0, 0, 0];
    for (let i = 0; i < d.length; i += 4) {
      r += d[i];
      g += d[i + 1];
      b += d[i + 2];
      hash = (hash * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) >>> 0;
    }
    return { r, g, b, hash };
  });
}

/** The canvas once it has stopped changing (the run's labels of a new frame arrive after its pixels). */
async function settled(page: Page): Promise<{ r: number; g: number; b: number; hash: number }> {
  let last = await canvasSums(page);
  for (;;) {
    await page.waitForTimeout(400);
    const now = await canvasSums(page);
    if (now.hash === last.hash) return now;
    last = now;
  }
}

/** The screen point of movie point (x, y) (continuous: pixel x covers [x, x+1)) under Fit. */
async function screenOf(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const scale = Math.min(box.width / W, box.height / W);
  return {
    x: box.x + (box.width - W * scale) / 2 + x * scale,
    y: box.y + (box.height - W * scale) / 2 + y * scale,
  };
}

async function openDemo(page: Page): Promise<void> {
  await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
  await page.getByTestId('nav-viewer').click();
  await page.getByTestId('viewer-path-input').fill(DEMO_MOVIE);
  await page.getByTestId('viewer-open').click();
  await expect(page.getByTestId('viewer-movie-info')).toContainText('512×512 · 20 frames · 2 channels');
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-frame', '0');
}

async function goToFrame(page: Page, frame: number): Promise<void> {
  const now = Number(await page.getByTestId('viewer-canvas').getAttribute('data-frame'));
  // The frame keys work anywhere but in a control that takes keys itself (a field, a checkbox).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = now; i !== frame; i += frame > now ? 1 : -1)
    await page.keyboard.press(frame > now ? 'ArrowRight' : 'ArrowLeft');
  await expect(page.getByTestId('viewer-frame-label')).toHaveText(`Frame ${frame} (0–19)`);
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-frame', String(frame));
}

test('layers change the pixels; one contrast for the whole movie with its histogram; µm, scale bar and time', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await openDemo(app);
  // The whole-movie range arrives from the backend for both channels.
  for (const c of [0, 1])
    await expect(app.getByTestId(`contrast-${c}-source`)).toContainText(
      'whole movie: 1–99.8 % of 10 frames',
      {
        timeout: 30_000,
      },
    );
  await expect(app.getByTestId('contrast-1-histogram').locator('svg rect[data-bin]')).not.toHaveCount(0);
  await expect(app.getByTestId('contrast-1-histogram').locator('.marker')).toHaveCount(2);
  // Fields print their levels (never "0in": the label sits above the value) and refuse min > max.
  await expect(app.getByTestId('contrast-1-min')).toHaveValue(/^\d+$/);
  await expect(app.getByTestId('contrast-1').locator('label[data-shrink="true"]')).toHaveCount(2);
  const before = await canvasSums(app);

  // Layer list: hiding PI (channel 1, red) leaves grey only; its opacity at 0 does the same; green colours it green.
  await expect(app.getByTestId('layer-raw-1')).toHaveAttribute('data-visible', 'true');
  await app.getByTestId('layer-raw-1-visible').uncheck();
  await expect.poll(async () => (await canvasSums(app)).hash).not.toBe(before.hash);
  const grey = await canvasSums(app);
  expect(grey.r).toBe(grey.g);
  expect(before.r).toBeGreaterThan(grey.r * 1.05);
  await app.getByTestId('layer-raw-1-visible').check();
  await expect.poll(async () => (await canvasSums(app)).hash).toBe(before.hash);
  await app.getByTestId('layer-raw-1-opacity').locator('input').focus();
  await app.keyboard.press('Home');
  await expect.poll(async () => (await canvasSums(app)).r).toBe(grey.r);
  await app.keyboard.press('End');
  await expect.poll(async () => (await canvasSums(app)).hash).toBe(before.hash);
  await app.getByTestId('layer-raw-1-colormap').click();
  await app.getByRole('option', { name: 'green', exact: true }).click();
  await expect.poll(async () => (await canvasSums(app)).g).toBeGreaterThan(before.g * 1.05);
  const green = await canvasSums(app);
  expect(green.r).toBe(grey.r);
  await screenshot(app, 'viewer-layers-green');
  await app.getByTestId('layer-raw-1-colormap').click();
  await app.getByRole('option', { name: 'red', exact: true }).click();

  // Whole-movie contrast: with only PI shown, a value maps to the same red at frame 0 and 19.
  await app.getByTestId('layer-raw-0-visible').uncheck();
  const redByValue = async (frame: number) => {
    await goToFrame(app, frame);
    const [values, drawn] = [await plane(frame, 1), await sampleFit(app, 3)];
    return new Map(drawn.map((p) => [values[p.y * W + p.x], p.rgb[0]]));
  };
  const red0 = await redByValue(0);
  const red19 = await redByValue(19);
  const shared = [...red19.keys()].filter((v) => red0.has(v));
  expect(shared.length).toBeGreaterThan(200);
  expect(shared.filter((v) => red0.get(v) !== red19.get(v))).toEqual([]);
  // The PI trend shows: frame 19 has values drawn brighter than anything at frame 0.
  expect(Math.max(...red19.values())).toBeGreaterThanOrEqual(Math.max(...red0.values()));
  await screenshot(app, 'viewer-contrast-movie-frame19');
  // Per-frame auto is there too, and draws the same values differently at frame 19.
  await app.getByTestId('contrast-1-mode-frame').click();
  await expect(app.getByTestId('contrast-1-source')).toContainText('this frame');
  const auto19 = await redByValue(19);
  expect(shared.filter((v) => auto19.has(v) && auto19.get(v) !== red19.get(v)).length).toBeGreaterThan(20);
  await app.getByTestId('contrast-1-mode-movie').click();

  // Typed values: min above max is refused with a message; a good pair is applied (manual).
  await app.getByTestId('contrast-1-min').fill('5000');
  await app.getByTestId('contrast-1-max').fill('300');
  await app.getByTestId('contrast-1-max').press('Enter');
  await expect(app.getByTestId('contrast-1-error')).toContainText('min (5000) must be below max (300)');
  await expect(app.getByTestId('contrast-1')).toHaveAttribute('data-mode', 'movie');
  await screenshot(app, 'viewer-contrast-refused');
  const movieRange = await canvasSums(app);
  await app.getByTestId('contrast-1-min').fill('0');
  await app.getByTestId('contrast-1-max').fill('3000');
  await app.getByTestId('contrast-1-max').press('Enter');
  await expect(app.getByTestId('contrast-1')).toHaveAttribute('data-mode', 'manual');
  await expect(app.getByTestId('contrast-1-error')).toHaveCount(0);
  await expect(app.getByTestId('contrast-1-min')).toHaveValue('0');
  await expect.poll(async () => (await canvasSums(app)).hash).not.toBe(movieRange.hash);
  await app.getByTestId('layer-raw-0-visible').check();

  // Physical units from the file: 0.65 µm/px, 600 s between frames.
  await expect(app.getByTestId('viewer-time-stamp')).toHaveText('03:10:00 · frame 19');
  await expect(app.getByTestId('viewer-frame-time')).toHaveText('03:10:00');
  await expect(app.getByTestId('viewer-scale-bar')).toContainText(/^\d+ µm$/);
  const um = Number(await app.getByTestId('viewer-scale-bar').getAttribute('data-um'));
  const px = Number(await app.getByTestId('viewer-scale-bar').getAttribute('data-px'));
  const box = (await app.getByTestId('viewer-canvas').boundingBox())!;
  const fit = Math.min(box.width / W, box.height / W);
  expect(px).toBeCloseTo((um / 0.65) * fit, 1);
  const at = await screenOf(app, 100.5, 200.5);
  await app.mouse.move(at.x, at.y);
  await expect(app.getByTestId('viewer-hover')).toContainText('x 100 y 200 (65.33, 130.33 µm)');
  await goToFrame(app, 3);
  await expect(app.getByTestId('viewer-time-stamp')).toHaveText('00:30:00 · frame 3');
  // Playback speed: asked for 5 fps, it steps on.
  await app.getByTestId('viewer-fps').click();
  await app.getByRole('option', { name: '5 fps', exact: true }).click();
  await app.getByTestId('viewer-play').click();
  await expect(app.getByTestId('viewer-fps-reached')).toContainText(/\d\.\d fps/, { timeout: 10_000 });
  await app.getByTestId('viewer-play').click();
  await screenshot(app, 'viewer-units');
});

/** A daughter cell with its mother and a sister, far enough from the edge to click. */
function dividingCell(): { id: number; parent: number; sister: number; frame: number; x: number; y: number } {
  const rows = csvRows(path.join(runA, `${MOVIE}_fl.csv`));
  const first = new Map<number, Row>();
  for (const r of rows) {
    const id = Number(r.at('trackid'));
    const f = Number(r.at('frame'));
    if (!first.has(id) || f < Number(first.get(id)!.at('frame'))) first.set(id, r);
  }
  const daughters = [...first.entries()].filter(([, r]) => Number(r.at('parent_track_id')) >= 0);
  for (const [id, r] of daughters) {
    const parent = Number(r.at('parent_track_id'));
    const sister = daughters.find(([o, s]) => o !== id && Number(s.at('parent_track_id')) === parent);
    const [x, y, f] = [
      Number(r.at('centroid_1_movie')),
      Number(r.at('centroid_0_movie')),
      Number(r.at('frame')),
    ];
    if (
      sister &&
      first.has(parent) &&
      f < 17 &&
      Math.min(x, y) > 40 &&
      Math.max(x, y) < W - 40 &&
      Number(r.at('area')) > 60
    )
      return { id, parent, sister: sister[0], frame: f, x, y };
  }
  throw new Error(`no dividing cell among ${daughters.length} daughters`);
}

test('track lineage shown for a dividing cell: tails, mother and daughters, followed during playback', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const cell = dividingCell();
  await openDemo(app);
  // The Viewer picks the run from those the app knows: added once in the Runs view.
  await addRunFolder(app, runA, MOVIE);
  await app.getByTestId('nav-viewer').click();
  await app.getByTestId('viewer-run-dir').selectOption(runA);
  await app.getByTestId('viewer-run-movie').selectOption(MOVIE);
  await app.getByTestId('viewer-run-show').click();
  await expect(app.getByTestId('layer-tracks')).toBeVisible();
  await expect(app.getByTestId('lineage-panel')).toContainText(/\d+ tracks, \d+ born by division/);
  await goToFrame(app, cell.frame + 2);

  // Tails: hiding the tracks layer takes lines off the canvas.
  const withTails = await settled(app);
  await app.getByTestId('layer-tracks-visible').uncheck();
  await expect.poll(async () => (await canvasSums(app)).hash).not.toBe(withTails.hash);
  await app.getByTestId('layer-tracks-visible').check();
  await expect.poll(async () => (await canvasSums(app)).hash).toBe(withTails.hash);
  // The whole movie with the run's labels and tails, the layer list beside (docs/screenshot.png).
  await screenshot(app, 'viewer-layers-run-overlay');

  await goToFrame(app, cell.frame);
  const at = await screenOf(app, cell.x + 0.5, cell.y + 0.5);
  await app.mouse.click(at.x, at.y);
  await expect(app.getByTestId('lineage-panel')).toHaveAttribute('data-track', String(cell.id));
  await expect(app.getByTestId('lineage-track')).toContainText(`Track ${cell.id} · frames ${cell.frame}–`);
  await expect(app.getByTestId('lineage-parent')).toContainText(`track ${cell.parent}`);
  await expect(app.getByTestId('lineage-sisters')).toContainText(`track ${cell.sister}`);
  await expect(app.getByTestId('lineage-follow')).toBeChecked();
  await screenshot(app, 'viewer-lineage-daughter');

  // The mother: her daughters are this cell and its sister; the view goes to her last frame.
  await app.getByTestId('lineage-parent-track').click();
  await expect(app.getByTestId('lineage-panel')).toHaveAttribute('data-track', String(cell.parent));
  await expect(app.getByTestId('lineage-daughters')).toContainText(`track ${cell.id}`);
  await expect(app.getByTestId('lineage-daughters')).toContainText(`track ${cell.sister}`);
  await screenshot(app, 'viewer-lineage-mother');

  // Following: back on the daughter, a few frames on, the cell is still in the middle of the view.
  await app.locator(`[data-testid="lineage-daughter-track"][data-track="${cell.id}"]`).click();
  await expect(app.getByTestId('viewer-frame-label')).toHaveText(`Frame ${cell.frame} (0–19)`);
  await expect(app.getByTestId('lineage-follow')).toBeChecked();
  await goToFrame(app, cell.frame + 3);
  const box = (await app.getByTestId('viewer-canvas').boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(app.getByTestId('viewer-hover-object')).toContainText(`track ${cell.id}`);
  await screenshot(app, 'viewer-lineage-followed');
});

test('QC tiles show context and outline; "Show in the Viewer" opens the right run, centred and highlighted', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await openDemo(app);
  // The Viewer shows run A; QC works on run B.
  // The Viewer picks the run from those the app knows: added once in the Runs view.
  await addRunFolder(app, runA, MOVIE);
  await app.getByTestId('nav-viewer').click();
  await app.getByTestId('viewer-run-dir').selectOption(runA);
  await app.getByTestId('viewer-run-movie').selectOption(MOVIE);
  await app.getByTestId('viewer-run-show').click();
  await expect(app.getByTestId('viewer-run-overlay')).toContainText(`Showing ${MOVIE} from ${runA}`);

  // QC picks from the runs the app knows: run B's folder is added once in the Runs view.
  await addRunFolder(app, runB, MOVIE);
  await app.getByTestId('nav-qc').click();
  await app.getByTestId('qc-run').selectOption(runB);
  await app.getByTestId('qc-movie').selectOption(MOVIE);
  await app.getByTestId('qc-load').click();
  await expect(app.getByTestId('qc-contrast')).toContainText('one contrast for the run');
  const tile = app.locator('[data-testid^="qc-group-"] [data-testid^="crop-"][data-class]').nth(3);
  const label = Number((await tile.getAttribute('data-testid'))!.slice('crop-'.length));
  await tile.click();
  await screenshot(app, 'qc-context-tiles');
  const frame = Number(/in frame (\d+)/.exec((await app.getByTestId('qc-selected').textContent())!)![1]);
  await app.getByTestId('qc-show-in-viewer').click();

  await expect(app.getByTestId('viewer-run-overlay')).toContainText(`Showing ${MOVIE} from ${runB}`);
  await expect(app.getByTestId('viewer-frame-label')).toHaveText(`Frame ${frame} (0–19)`);
  await expect(app.getByTestId('viewer-zoom')).toContainText(/^\d+ %/);
  // Centred: the middle of the view is that object of that run.
  const box = (await app.getByTestId('viewer-canvas').boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(app.getByTestId('viewer-hover-object')).toContainText(`label ${label} ·`);
  // Highlighted: a white outline around the middle that the run's own outlines never draw.
  const white = () =>
    app.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) n++;
      return n;
    });
  await expect(app.getByTestId('lineage-panel')).toContainText(`Track `);
  await screenshot(app, 'viewer-from-qc');
  const highlighted = await white();
  await app.getByTestId('lineage-clear').click();
  await expect.poll(async () => highlighted - (await white())).toBeGreaterThan(100);
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { addRunFolder } from './demo-run';
import { expect, ROOT, screenshot, test } from './serve-fixture';

/**
 * Acceptance scenario "aligned run overlay in register" (issue 16, item 1): the config template
 * (align_frames: true) run on the demo movie, whose stage drifts; the run's outlines drawn in the
 * Viewer must lie on the cells of the raw movie. The demo's ground-truth labels are in the raw
 * movie's pixels, so the drawn outline pixels are compared with the true cell boundaries.
 */
const DEMO_DIR = path.join(ROOT, 'resources', 'demo');
const MOVIE = 'demo_movie';
const COLLECTION = path.join(ROOT, 'models', 'demo-collection');
const load = createRequire(__filename);
const dist = (p: string) => path.join(ROOT, 'dist', 'node', p);

interface Registration {
  crop: { x0: number; y0: number };
  shifts: { frame: number; dx: number; dy: number }[];
}

let out = '';
let registration: Registration;

test.beforeAll(() => {
  test.setTimeout(300_000);
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-aligned-'));
  // The config "New from template" gives, pointed at the demo movie.
  const { configTemplate } = load(dist('src-main/config/template.js')) as {
    configTemplate(pipeline: string, collection: string): string;
  };
  const text = configTemplate('ASCT_focusrestore', COLLECTION)
    .replace(/input_folder: .*/, `input_folder: ${JSON.stringify(DEMO_DIR)}`)
    .replace(/output_folder: .*/, `output_folder: ${JSON.stringify(out)}`)
    .replace(/file_pattern: .*/, `file_pattern: ${MOVIE}`);
  expect(text).toMatch(/align_frames: true/);
  const config = path.join(out, 'config.yml');
  fs.writeFileSync(config, text);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hitmic.js'), 'run', config, '--json'], {
    cwd: out,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: out },
  });
  if (r.status !== 0) throw new Error(`hitmic run failed: ${r.stderr}`);
  registration = (
    JSON.parse(fs.readFileSync(path.join(out, `${MOVIE}_run.json`), 'utf8')) as {
      registration: Registration;
    }
  ).registration;
});

test.afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

/** Movie pixels (y·512 + x) on the boundary of a ground-truth object in `frame`. */
async function truthBoundary(frame: number): Promise<{ boundary: Set<number>; width: number }> {
  const { openMovie } = load(dist('src-main/io/index.js')) as {
    openMovie(f: string): Promise<{
      readPlane(s: {
        t: number;
        c: number;
      }): Promise<{ data: ArrayLike<number>; width: number; height: number }>;
      close(): Promise<void>;
    }>;
  };
  const m = await openMovie(path.join(DEMO_DIR, 'demo_truth_labels.tif'));
  const { data, width, height } = await m.readPlane({ t: frame, c: 0 });
  await m.close();
  const boundary = new Set<number>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const l = data[y * width + x];
      if (!l) continue;
      const n = [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ];
      if (n.some(([a, b]) => a < 0 || b < 0 || a >= width || b >= height || data[b * width + a] !== l))
        boundary.add(y * width + x);
    }
  return { boundary, width };
}

/**
 * The movie pixels under the run overlay's drawn outline pixels: canvas pixels of a class colour
 * (the raw frame is grey + red, so green ≠ blue only where an outline is drawn), mapped back
 * through the Viewer's Fit transform of the 512×512 frame.
 */
async function outlinePixels(page: Page): Promise<number[]> {
  return page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => {
    const W = 512;
    const dpr = c.width / c.clientWidth;
    const scale = Math.min(c.clientWidth / W, c.clientHeight / W);
    const ox = (c.clientWidth - W * scale) / 2;
    const oy = (c.clientHeight - W * scale) / 2;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let sy = 0; sy < c.height; sy++)
      for (let sx = 0; sx < c.width; sx++) {
        const i = (sy * c.width + sx) * 4;
        if (Math.abs(d[i + 1] - d[i + 2]) <= 25) continue;
        const x = Math.floor(((sx + 0.5) / dpr - ox) / scale);
        const y = Math.floor(((sy + 0.5) / dpr - oy) / scale);
        if (x >= 0 && y >= 0 && x < W && y < W) seen.add(y * W + x);
      }
    return [...seen];
  });
}

/** Share of the pixels, moved by (mx, my), that lie within one pixel of a true cell boundary. */
function onBoundary(
  pixels: number[],
  truth: { boundary: Set<number>; width: number },
  mx = 0,
  my = 0,
): number {
  const W = truth.width;
  let hits = 0;
  for (const p of pixels) {
    const x = (p % W) + mx;
    const y = Math.floor(p / W) + my;
    let near = false;
    for (let dy = -1; dy <= 1 && !near; dy++)
      for (let dx = -1; dx <= 1 && !near; dx++) near = truth.boundary.has((y + dy) * W + x + dx);
    if (near) hits++;
  }
  return pixels.length ? hits / pixels.length : 0;
}

test('an aligned run made from the config template is drawn in register with the raw movie', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await expect(app.getByTestId('backend-status')).toHaveText('Backend connected');
  await app.getByTestId('nav-viewer').click();
  await app.getByTestId('viewer-path-input').fill(path.join(DEMO_DIR, `${MOVIE}.tif`));
  await app.getByTestId('viewer-open').click();
  await expect(app.getByTestId('viewer-movie-info')).toContainText('512×512 · 20 frames');
  // The Viewer picks the run from those the app knows: added once in the Runs view.
  await addRunFolder(app, out, MOVIE);
  await app.getByTestId('nav-viewer').click();
  await app.getByTestId('viewer-run-dir').selectOption(out);
  await app.getByTestId('viewer-run-movie').selectOption(MOVIE);
  await app.getByTestId('viewer-run-show').click();
  const { x0, y0 } = registration.crop;
  expect(x0 + y0).toBeGreaterThan(0); // the demo drifts: the analysis frame is cropped
  await expect(app.getByTestId('viewer-run-registration')).toContainText(
    `Aligned run: frame 0 is drawn at (${x0}, ${y0}) in the movie`,
  );
  await expect(app.getByTestId('viewer-run-registration-warning')).toHaveCount(0);

  // The last frame, where the drift is largest.
  const slider = (await app.getByTestId('viewer-frame-slider').boundingBox())!;
  await app.mouse.click(slider.x + slider.width - 1, slider.y + slider.height / 2);
  await expect(app.getByTestId('viewer-frame-label')).toHaveText('Frame 19 (0–19)');
  const s19 = registration.shifts.find((s) => s.frame === 19)!;
  const tx = x0 - s19.dx;
  const ty = y0 - s19.dy;
  await expect(app.getByTestId('viewer-run-registration')).toContainText(
    `frame 19 is drawn at (${Number(tx.toFixed(3))}, ${Number(ty.toFixed(3))})`,
  );
  // The template tracks cells: its tails are a layer of their own, drawn in track colours that
  // this count of outline pixels would take for outlines. The labels are what is measured here.
  await app.getByTestId('layer-tracks-visible').uncheck();
  const truth = await truthBoundary(19);
  // Outline pixels on the true cell boundaries (±1 px); drawn at the movie's own pixels instead
  // (the overlay before registration) they would miss them.
  await expect
    .poll(async () => onBoundary(await outlinePixels(app), truth), { timeout: 30_000 })
    .toBeGreaterThan(0.8);
  const drawn = await outlinePixels(app);
  expect(drawn.length).toBeGreaterThan(3000);
  const unregistered = onBoundary(drawn, truth, -Math.round(tx), -Math.round(ty));
  expect(unregistered).toBeLessThan(0.5);
  console.log(
    `frame 19: ${drawn.length} outline pixels, ${(100 * onBoundary(drawn, truth)).toFixed(1)} % on true boundaries; ` +
      `${(100 * unregistered).toFixed(1)} % if drawn unmoved (translate ${tx}, ${ty})`,
  );
  await screenshot(app, 'viewer-aligned-run');

  // The table's movie-pixel centroids find the true cells; hovering a true cell's centre names
  // that same object (the hover reads the labels where they are drawn).
  const csv = (file: string) => {
    const [head, ...rows] = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    const at = (r: string[], c: string) => r[head.indexOf(c)];
    return rows.filter((r) => at(r, 'frame') === '19').map((r) => ({ at: (c: string) => at(r, c) }));
  };
  const truthCells = csv(path.join(DEMO_DIR, 'demo_truth.csv'))
    .filter((r) => r.at('class_name') === 'single-cell' && Number(r.at('area')) >= 150)
    .map((r) => ({
      x: Number(r.at('centroid_1')),
      y: Number(r.at('centroid_0')),
      area: Number(r.at('area')),
    }))
    .filter((c) => Math.min(c.x, c.y) > 20 && Math.max(c.x, c.y) < 492);
  const runObjects = csv(path.join(out, `${MOVIE}_fl.csv`)).map((r) => ({
    label: Number(r.at('label')),
    x: Number(r.at('centroid_1_movie')),
    y: Number(r.at('centroid_0_movie')),
    area: Number(r.at('area')),
  }));
  const found = truthCells.flatMap((c) => {
    const o = runObjects.find(
      (r) => Math.hypot(r.x - c.x, r.y - c.y) < 1.5 && Math.abs(r.area / c.area - 1) < 0.3,
    );
    return o ? [{ truth: c, label: o.label }] : [];
  });
  expect(truthCells.length).toBeGreaterThanOrEqual(10);
  expect(found.length / truthCells.length).toBeGreaterThan(0.7);
  const canvas = (await app.getByTestId('viewer-canvas').boundingBox())!;
  const scale = Math.min(canvas.width / 512, canvas.height / 512);
  const ox = canvas.x + (canvas.width - 512 * scale) / 2;
  const oy = canvas.y + (canvas.height - 512 * scale) / 2;
  for (const { truth: c, label } of found.slice(0, 6)) {
    await app.mouse.move(ox + (c.x + 0.5) * scale, oy + (c.y + 0.5) * scale);
    await expect(app.getByTestId('viewer-hover')).toContainText(/\(run frame x \d+ y \d+\)/);
    await expect(app.getByTestId('viewer-hover-object'), `true cell at (${c.x}, ${c.y})`).toContainText(
      `label ${label} · single-cell`,
      { timeout: 5_000 },
    );
  }
  await screenshot(app, 'viewer-aligned-run-hover');

  // Close up: outlines hug the cells.
  await app.mouse.move(ox + 256 * scale, oy + 256 * scale);
  for (let i = 0; i < 8; i++) await app.mouse.wheel(0, -200);
  await expect(app.getByTestId('viewer-zoom')).toContainText(/^\d+ %/);
  await screenshot(app, 'viewer-aligned-run-zoom');
});

test('QC of the same run cuts the raw movie where each cell is', async ({ app }) => {
  // The run was made by `hitmic run`: its folder is added once in the Runs view, then picked from lists.
  await addRunFolder(app, out, MOVIE);
  await app.getByTestId('nav-qc').click();
  await app.getByTestId('qc-run').selectOption(out);
  await app.getByTestId('qc-movie').selectOption(MOVIE);
  await app.getByTestId('qc-load').click();
  // No restored stack in a template run: the crops come from the raw movie, moved by the registration.
  await expect(app.getByTestId('qc-facts')).toContainText("placed by the run's alignment (nearest pixel)");
  const first = app.getByTestId('qc-group-single-cell').locator('[data-testid^="crop-"]').first();
  await first.click();
  await expect(app.getByTestId('qc-selected')).toContainText(/in the run's frame, \(\d+, \d+\) in the movie/);
  await screenshot(app, 'qc-aligned-run');
});

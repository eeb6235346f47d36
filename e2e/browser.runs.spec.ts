import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoRunConfig } from '../test-support/demo-run-config';
import { expect, screenshot, test } from './serve-fixture';

test('a run started from the Runs view shows per-stage progress, the log, and finishes', async ({ app }) => {
  test.setTimeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-run-'));
  const cfg = path.join(tmp, 'demo.yml');
  writeDemoRunConfig(cfg, {
    output: path.join(tmp, 'out'),
    exportLabels: true,
    focusCorrection: true,
    tracking: true,
    extra: `tracking:\n  backend: hungarian\n  version: v5\n`,
  });
  try {
    await app.getByTestId('nav-runs').click();
    await app.getByTestId('run-config-path').fill(cfg);
    await app.getByTestId('run-frames').fill('0:6');
    await app.getByTestId('run-start').click();
    await expect(app.getByTestId('run-movie-demo_movie')).toContainText(/frame [1-6]\/6/, {
      timeout: 60_000,
    });
    await screenshot(app, 'view-runs-progress');
    await expect(app.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });
    await expect(app.getByTestId('run-movie-demo_movie')).toContainText('frame 6/6');
    await expect(app.getByTestId('run-log')).toContainText('has finished in time');
    await expect(app.getByTestId('run-log')).toContainText('RAM:');
    expect(fs.existsSync(path.join(tmp, 'out', 'demo_movie_fl.csv'))).toBe(true);
    await screenshot(app, 'view-runs-done');
    // From the finished run straight to its results.
    await app.getByTestId('open-results-demo_movie').click();
    await expect(app.getByTestId('results-run')).toHaveValue(path.join(tmp, 'out'));
    await expect(app.getByTestId('results-movie')).toHaveValue('demo_movie');
    await expect(app.getByTestId('results-facts')).toContainText('demo_movie');
    await app.getByTestId('nav-runs').click();
    // …and to the movie in the Viewer with the run's objects over it: hover shows PI status and track.
    await app.getByTestId('open-viewer-demo_movie').click();
    await expect(app.getByTestId('viewer-run-overlay')).toContainText('Showing demo_movie', {
      timeout: 30_000,
    });
    const box = (await app.getByTestId('viewer-canvas').boundingBox())!;
    let found = '';
    for (let gy = 0.15; gy < 0.85 && !found; gy += 0.035) {
      for (let gx = 0.15; gx < 0.85 && !found; gx += 0.035) {
        await app.mouse.move(box.x + box.width * gx, box.y + box.height * gy);
        const o = app.getByTestId('viewer-hover-object');
        if (await o.count()) found = (await o.textContent()) ?? '';
      }
    }
    expect(found).toMatch(/label \d+ · [a-z-]+ \d+\.\d % · \d+ px \([\d.]+ µm²\) · pi(POS|NEG) · track \d+/);
    await screenshot(app, 'viewer-run-overlay');
    await app.getByTestId('nav-runs').click();
    // The config is remembered for next time (recent configs survive a reload).
    await app.reload();
    await expect(app.getByTestId('recent-configs')).toContainText('demo.yml');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

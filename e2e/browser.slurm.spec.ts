import { test as base } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSlurmProblem, startLocalSlurm } from '../test-support/local-slurm.mjs';
import { writeDemoRunConfig } from '../test-support/demo-run-config';
import { expect, launchChromium, screenshot, startServe } from './serve-fixture';

/**
 * The Runs view on a real single-node Slurm (test-support/local-slurm.mjs): hitmic serve runs with
 * SLURM_CONF, so the backend finds sbatch and the view offers "Submit to Slurm"; the job is
 * followed until its movie is complete, and the batch summary is written. Skipped, saying why,
 * where the local Slurm cannot start.
 */
const test = base;

test('the Runs view submits a config to Slurm and follows the job to its results', async () => {
  test.setTimeout(240_000);
  const problem = localSlurmProblem();
  test.skip(problem !== null, `no local Slurm: ${problem}`);
  const slurm = await startLocalSlurm();
  test.skip(!slurm.ok, slurm.ok ? '' : slurm.reason);
  if (!slurm.ok) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-slurm-'));
  const serve = await startServe([], { ...slurm.env, HITMIC_JOBS_DIR: path.join(tmp, 'jobs') });
  const browser = await launchChromium();
  try {
    const cfg = path.join(tmp, 'demo.yml');
    writeDemoRunConfig(cfg, {
      output: path.join(tmp, 'out'),
      exportLabels: true,
      focusCorrection: false,
      tracking: false,
      extra: `cluster:\n  cpus_per_task: 1\n`,
    });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(serve.url);
    await page.getByTestId('nav-runs').click();
    await expect(page.getByTestId('slurm-panel')).toBeVisible({ timeout: 20_000 });
    await page.getByTestId('run-config-path').fill(cfg);
    await page.getByTestId('run-frames').fill('0:3');
    await page.getByTestId('slurm-mem').fill('2G');
    await page.getByTestId('slurm-submit').click();
    const card = page.locator('[data-testid^="slurm-job-"]').first();
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('slurm-movie-demo_movie')).toBeVisible();
    await screenshot(page, 'view-runs-slurm-submitted');
    await expect(page.getByTestId('slurm-job-state')).toHaveText('finished', { timeout: 180_000 });
    await expect(page.getByTestId('slurm-movie-demo_movie')).toContainText('complete');
    await expect(page.getByTestId('slurm-movie-demo_movie')).toContainText('COMPLETED');
    await expect(page.getByTestId('slurm-movie-demo_movie')).toContainText(/\d+ objects, 3 frames/);
    await page.getByTestId('slurm-collect').click();
    await expect(page.getByTestId('slurm-summary')).toContainText('1 movies: 1 complete');
    expect(fs.existsSync(path.join(tmp, 'out', 'batch_summary.json'))).toBe(true);
    await screenshot(page, 'view-runs-slurm-done');
    // From the finished movie to its results.
    await page.getByTestId('slurm-results-demo_movie').click();
    await expect(page.getByTestId('results-run')).toHaveValue(path.join(tmp, 'out'));
    await expect(page.getByTestId('results-movie')).toHaveValue('demo_movie');
  } finally {
    await browser.close();
    await serve.stop();
    await slurm.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

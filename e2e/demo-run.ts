import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ROOT, test } from './serve-fixture';

export const DEMO_RUN_MOVIE = 'demo_movie';

/**
 * A real run made once for the spec file that calls this: the bundled demo through the real CLI
 * (`hitmic demo`), removed after the file's last test. Returns the run folder (read it inside tests:
 * it exists from the file's beforeAll on).
 */
export function demoRunForThisFile(prefix: string): () => string {
  let out = '';
  test.beforeAll(() => {
    test.setTimeout(180_000);
    out = fs.mkdtempSync(path.join(os.tmpdir(), `hitmic-e2e-${prefix}-`));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hitmic.js'), 'demo', '--output', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`hitmic demo failed: ${r.stderr}`);
  });
  test.afterAll(() => {
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });
  return () => out;
}

/** A run made in a terminal is added once in the Runs view; QC and Results then pick it from lists. */
export async function addRunFolder(page: Page, folder: string, movie = DEMO_RUN_MOVIE): Promise<void> {
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-add-folder-path').fill(folder);
  await page.getByTestId('run-add-folder').click();
  await expect(page.getByTestId(`history-movie-${movie}`).first()).toBeVisible();
}

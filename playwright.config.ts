import { defineConfig } from '@playwright/test';

/**
 * Two projects: `browser` drives Debian's Chromium against `hitmic serve` (always runs);
 * `electron` drives the desktop app where an Electron binary exists and skips with the reason
 * otherwise. Screenshots go to test-results/screenshots/.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  projects: [
    { name: 'browser', testMatch: /browser\..*spec\.ts/ },
    { name: 'electron', testMatch: /electron\..*spec\.ts/ },
  ],
});

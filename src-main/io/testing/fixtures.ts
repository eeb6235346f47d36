import fs from 'node:fs';
import path from 'node:path';

/**
 * Locates the shared third-party fixtures (`../shared/fixtures` relative to the repository root)
 * for tests. Returns null when absent, so tests can skip with a visible reason.
 */
export function fixturesDir(): string | null {
  const dir = path.resolve(__dirname, '../../../../shared/fixtures');
  return fs.existsSync(path.join(dir, 'README.md')) ? dir : null;
}

export const FIXTURES_MISSING =
  'SKIPPED: ../shared/fixtures not found (third-party test data is not in this checkout)';

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Tests that start real processes (CLI, workers, server) run the compiled JavaScript in dist/,
 * so compile the Node side once before any test file runs (incremental, so cheap when fresh).
 * Type errors do not stop the tests here — tsc still emits, and `npm test` has already failed
 * on them in its build and typecheck steps — but a compiler that cannot run does.
 */
export default function setup(): () => void {
  // What the app remembers per user (recent runs) and the demo's files go to a scratch folder,
  // never the settings of whoever runs the tests; test processes and the servers they start inherit it.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-test-user-'));
  process.env.HITMIC_SETTINGS_DIR ??= path.join(scratch, 'settings');
  process.env.HITMIC_DEMO_DIR ??= path.join(scratch, 'demo');
  const root = path.resolve(__dirname, '..');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.main.json'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (r.error) throw r.error;
  if (r.status !== 0) {
    process.stderr.write(
      `[global-setup] tsc reported problems (tests use what it emitted):\n${r.stdout}${r.stderr}`,
    );
  }
  return () => fs.rmSync(scratch, { recursive: true, force: true });
}

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Tests that start real processes (CLI, workers, server) run the compiled JavaScript in dist/,
 * so compile the Node side once before any test file runs. Incremental, so cheap when fresh.
 */
export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.main.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

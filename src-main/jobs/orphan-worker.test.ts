/**
 * A worker whose parent is killed (no shutdown message) stops its jobs and exits instead of
 * finishing them alone: the real compiled worker, forked by a real parent process that then dies.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLIENT = path.resolve(__dirname, '../../dist/node/src-main/jobs/worker-client.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('orphaned worker', () => {
  it('exits within seconds when its parent is killed in the middle of a job', async () => {
    const script = `
      const { WorkerClient } = require(${JSON.stringify(CLIENT)});
      const w = new WorkerClient({ name: 'orphan-test' });
      w.call('sleep', { ms: 120000 }).catch(() => undefined);
      const t = setInterval(() => { if (w.pid) { console.log(w.pid); clearInterval(t); } }, 20);`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const workerPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      parent.once('exit', () => reject(new Error('parent exited before its worker started')));
    });
    expect(alive(workerPid)).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // the sleep job is running
    parent.kill('SIGKILL');
    const deadline = Date.now() + 8000;
    while (alive(workerPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(workerPid)).toBe(false);
  }, 20_000);
});

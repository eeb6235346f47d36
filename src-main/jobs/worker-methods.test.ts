import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_PARAM_CHECKS, type WorkerMethod } from './worker-methods';
import { WorkerClient } from './worker-client';

/** The typed worker contract, checked at the worker end: the real compiled worker process. */
describe('worker contract', () => {
  const worker = new WorkerClient({ name: 'contract-test' });
  afterAll(() => worker.dispose());

  it('has a handler for every method of the contract, and each checks its params', async () => {
    for (const method of Object.keys(WORKER_PARAM_CHECKS) as WorkerMethod[]) {
      if (method === 'probe') continue; // takes nothing
      // What arrives is data, whatever the host's types said: a params object missing everything.
      const err = await worker.call(method, {} as never).catch((e: unknown) => e);
      expect(err, method).toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(`^${method} needs`),
      });
    }
    expect((await worker.call('probe', undefined)).pid).toBe(worker.pid);
  });

  it('names what is missing and refuses methods outside the contract', async () => {
    await expect(
      worker.call('infer-frame', { key: 'segmentation', movie: '/m.tif', frame: 0, models: {} } as never),
    ).rejects.toMatchObject({ message: expect.stringMatching(/booking \{device, pipeline\}/) });
    await expect(worker.call('nope' as WorkerMethod, undefined as never)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: "worker has no method 'nope'",
    });
  });

  it('refuses at once a call whose signal is already aborted', async () => {
    const c = new AbortController();
    c.abort();
    await expect(worker.call('sleep', { ms: 10 }, { signal: c.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

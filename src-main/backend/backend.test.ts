import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api';
import { createBackend } from './backend';
import { dispatch } from './router';

describe('backend', () => {
  const backend = createBackend({ shell: 'serve' });
  afterAll(() => backend.dispose());

  it('answers app.info and echo', async () => {
    const info = await backend.api.app.info();
    expect(info.name).toBe('HiTMic Studio');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await backend.api.app.echo('hello')).message).toBe('hello');
  });

  it('reports a killed worker as WORKER_CRASHED and serves the next call with a new worker', async () => {
    const first = await backend.api.workers.probe();
    expect(first.pid).not.toBe(process.pid);
    expect(first.host).toBe('fork');
    const sleeping = backend.api.workers.sleep(30_000);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(first.pid, 'SIGKILL');
    const err = await sleeping.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WORKER_CRASHED');
    expect((err as ApiError).message).toMatch(/SIGKILL.*'sleep'/);
    const second = await backend.api.workers.probe();
    expect(second.pid).not.toBe(first.pid);
    expect((await backend.api.app.echo('still here')).message).toBe('still here');
  });

  it('router refuses methods outside the contract', async () => {
    await expect(dispatch(backend.api, 'app', 'constructor', [])).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(dispatch(backend.api, '__proto__', 'x', [])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(dispatch(backend.api, 'app', 'echo', 'nope')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await dispatch(backend.api, 'app', 'echo', ['x'])).toMatchObject({ message: 'x' });
  });
});

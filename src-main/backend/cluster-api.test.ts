import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClusterApi } from './cluster-api';

/** The Cluster domain's checks of what a client sends (the Slurm path itself: e2e/browser.slurm.spec.ts). */
describe('cluster API', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-cluster-api-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const api = createClusterApi({
    libraryDir: () => path.join(tmp, 'lib'),
    env: { PATH: tmp, HITMIC_JOBS_DIR: tmp },
  });

  it('reports that it cannot submit where sbatch is not on the PATH', async () => {
    expect(await api.available()).toEqual({
      sbatch: null,
      reason: expect.stringMatching(/sbatch is not on the PATH/),
    });
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    // A real executable named sbatch on the PATH is what "available" means (submitting is Slurm's answer).
    fs.copyFileSync('/bin/true', path.join(bin, 'sbatch'));
    fs.chmodSync(path.join(bin, 'sbatch'), 0o755);
    const found = createClusterApi({ libraryDir: () => tmp, env: { PATH: bin } });
    expect(await found.available()).toEqual({ sbatch: path.join(bin, 'sbatch') });
  });

  it('accepts a job id only as digits, and the resources only of their types', async () => {
    await expect(api.status('12; rm -rf ~')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.retry('../x')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.status('12')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.submit({ configPath: '' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.submit({ configPath: '/x.yml', gpus: '2' as unknown as number })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/gpus must be a whole number/),
    });
    await expect(api.submit({ configPath: '/x.yml', frames: [5, 2] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('writes a batch summary only into a run output folder', async () => {
    await expect(api.collect(os.homedir())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/is not a run output folder/),
    });
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'm_fl.csv'), 'label\n');
    fs.symlinkSync('/etc/hostname', path.join(out, 'batch_summary.json'));
    await expect(api.collect(out)).rejects.toMatchObject({
      message: expect.stringMatching(/not a plain file/),
    });
    fs.rmSync(path.join(out, 'batch_summary.json'));
    fs.writeFileSync(path.join(out, 'm_summary.csv'), 'frame\n');
    const s = await api.collect(out);
    expect(s.counts).toMatchObject({ movies: 1, complete: 1 });
    expect(fs.existsSync(path.join(out, 'batch_summary.csv'))).toBe(true);
  });
});

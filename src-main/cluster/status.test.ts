import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastErrorLine, readTaskReport, submissionStatus } from './status';
import { SUBMISSION_FORMAT, type SubmissionRecord } from './submission';

/** Status from a submission's own files, with Slurm's view given (the live path: slurm-cluster.test.ts). */
describe('submission status from the disk', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-status-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const folder = path.join(tmp, 'out', 'hitmic-slurm', 'job');
  fs.mkdirSync(path.join(folder, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(folder, 'reports'));
  const record: SubmissionRecord = {
    format: SUBMISSION_FORMAT,
    jobId: '41',
    cluster: null,
    submittedAt: '2026-01-01T00:00:00Z',
    appVersion: '0',
    config: path.join(tmp, 'c.yml'),
    outputDir: path.join(tmp, 'out'),
    folder,
    movies: ['/m/a.tif', '/m/b.tif'],
    skipped: [],
    resources: {},
    runArgs: [],
    bookingDir: null,
    sbatch: [],
    request: { resources: {}, run: {}, force: false },
    retryOf: null,
  };

  it("ignores Slurm's job of the same id when it runs in another folder (ids restart on a new cluster)", async () => {
    const s = await submissionStatus(
      record,
      {},
      {
        source: 'scontrol',
        tasks: new Map([[0, { state: 'RUNNING', source: 'scontrol' }]]),
        workDir: '/somewhere/else',
      },
    );
    expect(s.slurm).toBe('forgotten');
    expect(s.slurmNote).toMatch(/is now another job/);
    expect(s.movies.map((m) => m.state)).toEqual(['missing', 'missing']);
  });

  it("reads a task's report and the last error of its log", async () => {
    fs.writeFileSync(
      path.join(folder, 'reports', 'task-1.json'),
      JSON.stringify({
        config: record.config,
        ok: false,
        errors: ['c.yml:3:1: error: x', 'c.yml:4:1: error: y'],
      }),
    );
    expect(readTaskReport(folder, 1)).toEqual({
      ok: false,
      error: 'c.yml:3:1: error: x; c.yml:4:1: error: y',
    });
    expect(readTaskReport(folder, 0)).toBeNull();
    const log = path.join(folder, 'logs', 'task-0.out');
    fs.writeFileSync(
      log,
      `hitmic: task 0 analyses /m/a.tif on n1 (Slurm job 42)\n${'noise\n'.repeat(5000)}slurmstepd: error: *** JOB 42 ON n1 CANCELLED AT 2026-01-01T01:00:00 DUE TO TIME LIMIT ***\n`,
    );
    expect(lastErrorLine(log)).toMatch(/DUE TO TIME LIMIT/);
    const s = await submissionStatus(record, {}, { source: 'forgotten', tasks: new Map() });
    expect(s.movies.map((m) => [m.state, m.error])).toEqual([
      ['failed', expect.stringMatching(/TIME LIMIT/)],
      ['failed', expect.stringMatching(/c.yml:3:1/)],
    ]);
    expect(s.finished).toBe(true);
  });
});

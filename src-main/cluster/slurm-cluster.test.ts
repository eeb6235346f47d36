/**
 * Acceptance of `hitmic submit` on a real single-node Slurm (munged, slurmctld and slurmd started
 * here, test-support/local-slurm.mjs): the demo movie and two copies, one truncated, as one array
 * job; two complete results and one failed movie; `--retry` after the file is fixed completes it;
 * a lost node fails its movie until `--retry`. At every poll `hitmic status` must agree with
 * squeue and scontrol, and with the files on disk. Paths hold spaces and quotes on purpose.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary, ClusterJobStatus } from '../../src-shared/api';
import { localSlurmProblem, startLocalSlurm, type LocalSlurm } from '../../test-support/local-slurm.mjs';
import { demoConfig, demoPaths } from '../demo';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin', 'hitmic.js');
const problem = localSlurmProblem();

interface Cli {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `hitmic …` as a user runs it, asynchronously (the test polls Slurm meanwhile). */
function hitmic(args: string[], env: NodeJS.ProcessEnv): Promise<Cli> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** squeue's word for each array task of the job (every state, while slurmctld remembers it). */
function squeueStates(job: string, env: NodeJS.ProcessEnv): Map<number, string> {
  const out = execFileSync('squeue', ['-j', job, '-r', '-h', '-t', 'all', '-o', '%K|%T'], {
    env,
    encoding: 'utf8',
  });
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('|'))
      .map(([k, s]) => [Number(k), s] as const),
  );
}

/** scontrol's JobState and ExitCode per array task, read with a plain regex (not the module's parser). */
function scontrolTasks(job: string, env: NodeJS.ProcessEnv): Map<number, { state: string; exit: string }> {
  const out = execFileSync('scontrol', ['-o', 'show', 'job', job], { env, encoding: 'utf8' });
  const m = new Map<number, { state: string; exit: string }>();
  for (const line of out.split('\n')) {
    const task = / ArrayTaskId=(\d+) /.exec(line);
    if (task)
      m.set(Number(task[1]), {
        state: / JobState=(\S+)/.exec(line)![1],
        exit: / ExitCode=(\S+)/.exec(line)![1],
      });
  }
  return m;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(problem !== null)(
  `hitmic submit on a local single-node Slurm${problem ? ` — skipped: ${problem}` : ''}`,
  () => {
    let slurm: LocalSlurm | null = null;
    let skipReason = '';
    let env: NodeJS.ProcessEnv = {};
    let tmp = '';
    let movies = '';
    let out = '';
    let config = '';

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), `hitmic submit it's "quoted" `));
      movies = path.join(tmp, 'movies folder');
      out = path.join(tmp, 'results $HOME');
      config = path.join(tmp, "lab's config.yml");
      const s = await startLocalSlurm();
      if (!s.ok) {
        skipReason = s.reason;
        process.stderr.write(`[slurm-cluster.test] skipped: ${s.reason}\n`);
        return;
      }
      slurm = s;
      env = { ...s.env, HITMIC_JOBS_DIR: path.join(tmp, 'jobs index') };
      fs.mkdirSync(movies);
      const demo = demoPaths();
      fs.copyFileSync(demo.movie, path.join(movies, 'a_demo.tif'));
      fs.copyFileSync(demo.movie, path.join(movies, 'b_copy.tif'));
      // An interrupted transfer: the first 3 MB of 14.
      fs.writeFileSync(
        path.join(movies, 'c_truncated.tif'),
        fs.readFileSync(demo.movie).subarray(0, 3_000_000),
      );
      const text = demoConfig({ movie: path.join(movies, 'x.tif'), collection: demo.collection }, out, {
        focusCorrection: false,
      }).replace(/file_pattern: .*/, 'file_pattern: ""');
      // Two CPUs, a little memory per movie: the local node runs two movies at once.
      fs.writeFileSync(config, `${text}\ncluster:\n  mem: 2G\n  cpus_per_task: 1\n  array_max: 3\n`);
    });

    afterAll(async () => {
      await slurm?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    async function status(job: string): Promise<ClusterJobStatus> {
      const r = await hitmic(['status', job, '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as ClusterJobStatus;
    }

    /** The states seen, and those Slurm passes through between the first and the last of them. */
    function statesBetween(seen: string[]): string[] {
      const order = ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'];
      const first = order.indexOf(seen[0]);
      const last = seen.at(-1) ?? seen[0];
      const end = order.includes(last) ? order.indexOf(last) : order.length;
      return first < 0 ? seen : [...new Set([...seen, ...order.slice(first, end)])];
    }

    /** One poll: squeue, hitmic status, squeue again — status must agree with Slurm and the disk. */
    async function agreeingStatus(job: string): Promise<ClusterJobStatus> {
      const before = squeueStates(job, env);
      const s = await status(job);
      const after = squeueStates(job, env);
      expect(s.slurm).toBe('scontrol');
      for (const m of s.movies) {
        const seen = [before.get(m.task), after.get(m.task)].filter((x): x is string => x !== undefined);
        expect(seen.length, `squeue lists task ${m.task}`).toBeGreaterThan(0);
        // Slurm moves on between the two snapshots: the state status saw must be one of them or
        // one Slurm passes through between them (RUNNING → COMPLETING → COMPLETED/FAILED).
        expect(statesBetween(seen), `task ${m.task} (${m.movie})`).toContain(m.slurm?.state);
        const onDisk = ['_fl.csv', '_summary.csv'].every((x) =>
          fs.existsSync(path.join(out, `${m.movie}${x}`)),
        );
        if (m.slurm?.state === 'PENDING') expect(m.state).toBe('pending');
        if (m.slurm?.state === 'RUNNING') expect(m.state).toBe('running');
        if (m.state === 'complete') expect(onDisk, `${m.movie} is complete on disk`).toBe(true);
        if (m.state === 'failed') expect(onDisk, `${m.movie} failed, so no results`).toBe(false);
      }
      return s;
    }

    async function waitForJob(job: string): Promise<ClusterJobStatus> {
      const until = Date.now() + 240_000;
      for (;;) {
        const s = await agreeingStatus(job);
        if (s.finished) return s;
        if (Date.now() > until) throw new Error(`job ${job} still going: ${JSON.stringify(s.counts)}`);
        await sleep(1500);
      }
    }

    it('runs three movies as an array: two complete, the truncated one failed; --retry completes it', async (ctx) => {
      ctx.skip(!slurm, skipReason);
      const sub = await hitmic(['submit', config, '--slurm', '--frames', '0:3'], env);
      expect(sub.status, sub.stderr).toBe(0);
      const job = sub.stdout.trim();
      expect(job).toMatch(/^\d+$/);
      expect(sub.stderr).toMatch(/Submitted Slurm array job \d+: 3 movie\(s\)/);

      const done = await waitForJob(job);
      expect(done.counts).toMatchObject({ complete: 2, failed: 1, pending: 0, running: 0, missing: 0 });
      const byName = new Map(done.movies.map((m) => [m.movie, m]));
      expect(byName.get('a_demo')).toMatchObject({
        state: 'complete',
        frames: 3,
        slurm: { state: 'COMPLETED' },
      });
      expect(byName.get('a_demo')!.objects).toBeGreaterThan(50);
      expect(byName.get('b_copy')!.objects).toBe(byName.get('a_demo')!.objects);
      const broken = byName.get('c_truncated')!;
      expect(broken).toMatchObject({ state: 'failed', outputsComplete: false, slurm: { state: 'FAILED' } });
      expect(broken.error).toMatch(/truncated/);
      // Finished: hitmic status says exactly what squeue and scontrol say, task by task.
      const sq = squeueStates(job, env);
      const sc = scontrolTasks(job, env);
      for (const m of done.movies) {
        expect(m.slurm?.state).toBe(sq.get(m.task));
        expect(m.slurm?.state).toBe(sc.get(m.task)?.state);
        expect(m.slurm?.exitCode).toBe(sc.get(m.task)?.exit);
      }
      expect(sc.get(broken.task)?.exit).toBe('1:0');
      // A failed movie leaves nothing that looks complete, not even a partial file.
      expect(fs.readdirSync(out).filter((f) => f.startsWith('c_truncated'))).toEqual([]);

      // The batch summary: movies, objects, the failure with its error.
      const col = await hitmic(['collect', out, '--json'], env);
      expect(col.status).toBe(1);
      const summary = JSON.parse(col.stdout) as BatchSummary;
      expect(summary.counts).toMatchObject({ movies: 3, complete: 2, failed: 1 });
      expect(summary.objects).toBe(byName.get('a_demo')!.objects! * 2);
      expect(summary.failures).toEqual([
        expect.objectContaining({ movie: 'c_truncated', job, task: broken.task, slurmState: 'FAILED' }),
      ]);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'batch_summary.json'), 'utf8'))).toMatchObject({
        counts: summary.counts,
      });
      expect(fs.readFileSync(path.join(out, 'batch_summary.csv'), 'utf8')).toMatch(
        /c_truncated,failed,.*truncated/,
      );

      // The file is fixed: --retry resubmits that movie only.
      fs.copyFileSync(demoPaths().movie, path.join(movies, 'c_truncated.tif'));
      const retry = await hitmic(['submit', '--retry', job], env);
      expect(retry.status, retry.stderr).toBe(0);
      const job2 = retry.stdout.trim();
      expect(job2).not.toBe(job);
      expect(retry.stderr).toMatch(new RegExp(`1 movie\\(s\\) of job ${job} again`));
      const done2 = await waitForJob(job2);
      expect(done2.retryOf).toBe(job);
      expect(done2.movies).toEqual([expect.objectContaining({ movie: 'c_truncated', state: 'complete' })]);
      // The first job's movie now reads complete from the disk; nothing is left to retry.
      expect((await agreeingStatus(job)).counts).toMatchObject({ complete: 3, failed: 0 });
      const again = await hitmic(['submit', '--retry', job], env);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/nothing to retry: 3 complete/);
      const col2 = JSON.parse((await hitmic(['collect', out, '--json'], env)).stdout) as BatchSummary;
      expect(col2.counts).toMatchObject({ movies: 3, complete: 3, failed: 0 });
      expect(col2.movies.find((m) => m.movie === 'c_truncated')).toMatchObject({ job: job2, task: 0 });
    }, 600_000);

    it('a lost node fails its movie, which --retry then completes', async (ctx) => {
      ctx.skip(!slurm, skipReason);
      const s = slurm!;
      const out2 = path.join(tmp, 'node loss');
      const sub = await hitmic(
        [
          'submit',
          config,
          '--slurm',
          '--input',
          path.join(movies, 'a_demo.tif'),
          '--output',
          out2,
          '--frames',
          '0:12',
        ],
        env,
      );
      expect(sub.status, sub.stderr).toBe(0);
      const job = sub.stdout.trim();
      const until = Date.now() + 60_000;
      while (squeueStates(job, env).get(0) !== 'RUNNING') {
        if (Date.now() > until) throw new Error('the task never started');
        await sleep(200);
      }
      execFileSync(
        'scontrol',
        ['update', `nodename=${s.node}`, 'state=down', 'reason=hitmic node-loss test'],
        {
          env,
        },
      );
      const lost = await status(job);
      expect(lost.movies[0]).toMatchObject({ state: 'failed', slurm: { state: 'NODE_FAIL' } });
      expect(lost.movies[0].error).toMatch(/node was lost/);
      expect(fs.existsSync(path.join(out2, 'a_demo_fl.csv'))).toBe(false);
      // The node comes back (ReturnToService=2 may already have brought it back).
      try {
        execFileSync('scontrol', ['update', `nodename=${s.node}`, 'state=resume'], { env, stdio: 'ignore' });
      } catch {
        // already back
      }
      const retry = await hitmic(['submit', '--retry', job], env);
      expect(retry.status, retry.stderr).toBe(0);
      const done = await waitForJob(retry.stdout.trim());
      expect(done.movies).toEqual([
        expect.objectContaining({ movie: 'a_demo', state: 'complete', frames: 12 }),
      ]);
    }, 300_000);

    it('says clearly when Slurm refuses the job, and leaves no submission behind', async (ctx) => {
      ctx.skip(!slurm, skipReason);
      const out3 = path.join(tmp, 'refused');
      const r = await hitmic(
        ['submit', config, '--slurm', '--output', out3, '--partition', 'nosuchpartition'],
        env,
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^hitmic: Slurm refused the job: .*invalid partition/im);
      expect(fs.readdirSync(path.join(out3, 'hitmic-slurm'))).toEqual([]);
    });
  },
);

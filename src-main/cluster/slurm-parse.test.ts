/**
 * Slurm's printed output read back, on output captured from a real Slurm 22.05
 * (test-support/slurm/README.md), and the rules that turn it and the disk into a movie's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expandArrayIndices,
  parseSbatchParsable,
  parseScontrolRecord,
  slurmPhase,
  tasksFromSacct,
  tasksFromScontrol,
} from './slurm-parse';
import { movieVerdict, type TaskFacts } from './status';

const captured = (f: string) =>
  fs.readFileSync(path.resolve(__dirname, '../../test-support/slurm', f), 'utf8');

describe('scontrol -o show job', () => {
  it('splits a record at its keys, keeping values with spaces whole', () => {
    const line = captured('scontrol-array-mixed.txt').split('\n')[0];
    const r = parseScontrolRecord(line);
    expect(r).toMatchObject({ JobId: '1', ArrayJobId: '1', ArrayTaskId: '3-4%2', JobState: 'PENDING' });
    expect(r.WorkDir).toMatch(/^\/tmp\/cap dir \w+$/);
    expect(r['AllocNode:Sid']).toBeDefined();
  });

  it('gives every task its state: pending ranges expanded, ended tasks with their exit code', () => {
    const tasks = tasksFromScontrol(captured('scontrol-array-mixed.txt'), '1');
    expect([...tasks.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(tasks.get(0)).toMatchObject({
      state: 'COMPLETED',
      exitCode: '0:0',
      node: 'hitmic-node',
      jobId: '2',
    });
    expect(tasks.get(1)).toMatchObject({ state: 'FAILED', exitCode: '3:0', reason: 'NonZeroExitCode' });
    expect(tasks.get(2)).toMatchObject({ state: 'RUNNING', node: 'hitmic-node' });
    expect(tasks.get(3)).toMatchObject({ state: 'PENDING', reason: 'JobArrayTaskLimit' });
    expect(tasks.get(4)).toEqual(tasks.get(3));
    // Task 5 was cancelled while pending: Slurm forgets it at once.
    expect(tasks.has(5)).toBe(false);
    // Another array job's records are not this job's.
    expect(tasksFromScontrol(captured('scontrol-array-mixed.txt'), '7').size).toBe(0);
  });

  it('agrees with squeue, captured at the same moment', () => {
    const tasks = tasksFromScontrol(captured('scontrol-array-mixed.txt'), '1');
    for (const line of captured('squeue-array-mixed.txt').trim().split('\n')) {
      const [task, state] = line.split('|');
      expect(tasks.get(Number(task))?.state, `task ${task}`).toBe(state);
    }
  });

  it('reads one record for a whole pending array, throttle and all', () => {
    const tasks = tasksFromScontrol(captured('scontrol-array-pending.txt'), '1');
    expect([...tasks.keys()]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tasks.get(5)?.state).toBe('PENDING');
  });
});

describe('array indices, sbatch and sacct', () => {
  it.each([
    ['0-3', [0, 1, 2, 3]],
    ['0-5%2', [0, 1, 2, 3, 4, 5]],
    ['[1,4,7-9]', [1, 4, 7, 8, 9]],
    ['0-9:3', [0, 3, 6, 9]],
    ['12', [12]],
  ])('%s → %j', (spec, expected) => expect(expandArrayIndices(spec)).toEqual(expected));

  it('refuses to allocate an absurd range', () => {
    expect(expandArrayIndices('0-4000000000', 10)).toHaveLength(10);
  });

  it('sbatch --parsable: the id, with its cluster on a multi-cluster site', () => {
    expect(parseSbatchParsable('1234\n')).toEqual({ jobId: '1234', cluster: null });
    expect(parseSbatchParsable('1234;hpc2\n')).toEqual({ jobId: '1234', cluster: 'hpc2' });
    expect(parseSbatchParsable('sbatch: error: x\n')).toBeNull();
  });

  it('sacct rows in the format hitmic asks for (JobID|JobIDRaw|State|ExitCode|NodeList)', () => {
    // sacct's documented parsable2 output for an array job after slurmctld has purged it.
    const text =
      '77_0|78|COMPLETED|0:0|n01\n77_1|79|NODE_FAIL|0:0|n02\n77_2|80|CANCELLED by 1000|0:15|n01\n77_[3-4]|77|PENDING|0:0|None assigned\n';
    const t = tasksFromSacct(text, '77');
    expect(t.get(1)).toMatchObject({ state: 'NODE_FAIL', node: 'n02', source: 'sacct' });
    expect(t.get(2)?.state).toBe('CANCELLED');
    expect(t.get(4)).toMatchObject({ state: 'PENDING', source: 'sacct' });
    expect(t.get(4)?.node).toBeUndefined();
  });

  it('phases', () => {
    expect(['PENDING', 'REQUEUED', 'SUSPENDED'].map(slurmPhase)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(['RUNNING', 'COMPLETING'].map(slurmPhase)).toEqual(['running', 'running']);
    expect(['COMPLETED', 'FAILED', 'NODE_FAIL', 'TIMEOUT', 'OUT_OF_MEMORY'].map(slurmPhase)).toEqual(
      Array(5).fill('ended'),
    );
  });
});

describe("a movie's state", () => {
  const facts = (over: Partial<TaskFacts>): TaskFacts => ({
    slurm: null,
    slurmSource: 'scontrol',
    outputsComplete: false,
    report: null,
    started: false,
    logError: null,
    ...over,
  });
  const slurm = (state: string, extra = {}) => ({ state, source: 'scontrol' as const, ...extra });

  it.each<[string, Partial<TaskFacts>, { state: string; error?: RegExp }]>([
    [
      'Slurm waits: pending, whatever is on disk',
      { slurm: slurm('PENDING'), outputsComplete: true },
      { state: 'pending' },
    ],
    ['Slurm runs it: running', { slurm: slurm('RUNNING'), started: true }, { state: 'running' }],
    [
      'ended with results: complete',
      { slurm: slurm('COMPLETED'), outputsComplete: true },
      { state: 'complete' },
    ],
    [
      'ended with results even when the task then failed: complete (the skip rule)',
      { slurm: slurm('FAILED'), outputsComplete: true },
      { state: 'complete' },
    ],
    [
      "failed: the task's own error first",
      {
        slurm: slurm('FAILED', { exitCode: '1:0' }),
        report: { ok: false, error: 'TIFF truncated' },
        started: true,
      },
      { state: 'failed', error: /^TIFF truncated$/ },
    ],
    [
      'failed without a report: the last error line of its log',
      {
        slurm: slurm('FAILED', { exitCode: '1:0' }),
        started: true,
        logError: 'hitmic: the config has 2 error(s)',
      },
      { state: 'failed', error: /config has 2 error/ },
    ],
    [
      'node lost: Slurm says so',
      { slurm: slurm('NODE_FAIL', { node: 'n7', reason: 'NodeDown' }), started: true },
      { state: 'failed', error: /NODE_FAIL \(NodeDown\) on n7: its node was lost/ },
    ],
    [
      'time limit: Slurm says so, even over a log line',
      {
        slurm: slurm('TIMEOUT'),
        started: true,
        logError: 'slurmstepd: error: *** JOB CANCELLED DUE TO TIME LIMIT ***',
      },
      { state: 'failed', error: /time limit \(raise --time\)/ },
    ],
    ['forgotten by Slurm, never started: missing', {}, { state: 'missing' }],
    [
      'forgotten by Slurm after it started without a trace: failed',
      { started: true },
      { state: 'failed', error: /left no results and no report/ },
    ],
    [
      'forgotten, with its report: the report',
      { started: true, report: { ok: false, error: 'boom' } },
      { state: 'failed', error: /^boom$/ },
    ],
    [
      'Slurm unreachable, nothing on disk: unknown',
      { slurmSource: 'unreachable', started: true },
      { state: 'unknown' },
    ],
    [
      'Slurm unreachable, results there: complete',
      { slurmSource: 'unreachable', outputsComplete: true },
      { state: 'complete' },
    ],
  ])('%s', (_what, over, expected) => {
    const v = movieVerdict(facts(over));
    expect(v.state).toBe(expected.state);
    if (expected.error) expect(v.error).toMatch(expected.error);
    else expect(v.error).toBeUndefined();
  });
});

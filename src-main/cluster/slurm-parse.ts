/**
 * Reading what Slurm's commands print, as pure functions: `sbatch --parsable`, one-line
 * `scontrol -o show job` records, `sacct --parsable2` rows, and array index lists. Slurm 22.05
 * has no JSON output for scontrol, so records are split at ` Key=` boundaries (values such as
 * WorkDir may hold spaces; a key never does).
 */
import type { SlurmTaskState } from '../../src-shared/api';

/** `sbatch --parsable` prints `JOBID` or `JOBID;CLUSTER`. Null when it is neither. */
export function parseSbatchParsable(stdout: string): { jobId: string; cluster: string | null } | null {
  const line = stdout.trim().split(/\r?\n/).pop() ?? '';
  const m = /^(\d+)(?:;(\S+))?$/.exec(line.trim());
  return m ? { jobId: m[1], cluster: m[2] ?? null } : null;
}

/** One `scontrol -o show job` line as its fields. */
export function parseScontrolRecord(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = line.trim().split(/ (?=[A-Za-z][A-Za-z0-9_:/]*=)/);
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq > 0) out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/**
 * Array indices of `0-3`, `1,4,7-9`, `0-9:2` or `[0-3%2]` (throttle dropped). Refuses more than
 * `max` indices rather than allocating them.
 */
export function expandArrayIndices(spec: string, max = 1_000_000): number[] {
  const body = spec.replace(/^\[|\]$/g, '').replace(/%\d+$/, '');
  const out: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    const step = m[3] !== undefined ? Math.max(1, Number(m[3])) : 1;
    for (let i = a; i <= b && out.length < max; i += step) out.push(i);
  }
  return out;
}

/** Slurm's null words, as scontrol prints an empty field. */
const NONE = new Set(['', '(null)', 'None', 'N/A', 'Unknown']);

/**
 * The array tasks of job `arrayJobId` in `scontrol -o show job` output: one state per task index.
 * A pending record covering several tasks (`ArrayTaskId=3-9`) gives each of them its state.
 */
export function tasksFromScontrol(text: string, arrayJobId: string): Map<number, SlurmTaskState> {
  const tasks = new Map<number, SlurmTaskState>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const r = parseScontrolRecord(line);
    if (r.ArrayJobId !== arrayJobId || r.ArrayTaskId === undefined) continue;
    const state: SlurmTaskState = {
      state: r.JobState ?? 'UNKNOWN',
      jobId: r.JobId,
      source: 'scontrol',
      ...(r.Reason && !NONE.has(r.Reason) ? { reason: r.Reason } : {}),
      ...(r.ExitCode ? { exitCode: r.ExitCode } : {}),
      ...(r.NodeList && !NONE.has(r.NodeList) ? { node: r.NodeList } : {}),
    };
    for (const i of expandArrayIndices(r.ArrayTaskId)) tasks.set(i, state);
  }
  return tasks;
}

/**
 * The array tasks of job `arrayJobId` in `sacct -X -n -P -o JobID,JobIDRaw,State,ExitCode,NodeList`
 * (accounting keeps them after slurmctld has forgotten the job). `State` may read `CANCELLED by 0`.
 */
export function tasksFromSacct(text: string, arrayJobId: string): Map<number, SlurmTaskState> {
  const tasks = new Map<number, SlurmTaskState>();
  for (const line of text.split(/\r?\n/)) {
    const [jobId, raw, stateText, exitCode, node] = line.split('|');
    const m = new RegExp(`^${arrayJobId}_(.+)$`).exec(jobId ?? '');
    if (!m || !stateText) continue;
    const state: SlurmTaskState = {
      state: stateText.split(' ')[0],
      jobId: raw,
      source: 'sacct',
      ...(exitCode ? { exitCode } : {}),
      ...(node && !NONE.has(node) && node !== 'None assigned' ? { node } : {}),
    };
    for (const i of expandArrayIndices(m[1])) tasks.set(i, state);
  }
  return tasks;
}

/** Slurm states in which a task waits to start (it may still run). */
const WAITING = new Set([
  'PENDING',
  'CONFIGURING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESV_DEL_HOLD',
  'SUSPENDED',
  'RESIZING',
]);
/** Slurm states in which a task runs (or is being cleaned up after running). */
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'STAGE_OUT', 'SIGNALING']);

/** Whether Slurm will still run (or is running) this task: 'waiting', 'running', or 'ended'. */
export function slurmPhase(state: string): 'waiting' | 'running' | 'ended' {
  if (WAITING.has(state)) return 'waiting';
  if (RUNNING.has(state)) return 'running';
  return 'ended';
}

/** Why Slurm ended a task, in words, for a failed movie without a report of its own. */
export function slurmEndWords(s: SlurmTaskState): string {
  const where = s.node ? ` on ${s.node}` : '';
  const why: Record<string, string> = {
    NODE_FAIL: 'its node was lost',
    TIMEOUT: 'it reached its time limit (raise --time)',
    OUT_OF_MEMORY: 'it ran out of its memory limit (raise --mem)',
    CANCELLED: 'it was cancelled',
    PREEMPTED: 'it was preempted',
    BOOT_FAIL: 'its node failed to boot',
    DEADLINE: 'it passed its deadline',
    FAILED: `it exited with ${s.exitCode ?? 'an error'}`,
    COMPLETED: 'it ended without writing the results',
  };
  return `Slurm ${s.state}${s.reason ? ` (${s.reason})` : ''}${where}: ${why[s.state] ?? 'it ended'}`;
}

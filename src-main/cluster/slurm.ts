/**
 * Slurm's own commands, run as the user would run them (sbatch, scontrol, sacct from the PATH,
 * with the caller's environment, so SLURM_CONF and the site's settings apply). Nothing here
 * schedules anything: Slurm does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type SlurmTaskState } from '../../src-shared/api';
import { parseSbatchParsable, parseScontrolRecord, tasksFromSacct, tasksFromScontrol } from './slurm-parse';

/** The first executable `name` on env.PATH, or null. */
export function findCommand(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here: next folder of the PATH
    }
  }
  return null;
}

/** sbatch on the PATH, or the error that says where to run hitmic submit instead. */
export function requireSbatch(env: NodeJS.ProcessEnv): string {
  const sbatch = findCommand('sbatch', env);
  if (!sbatch)
    throw new ApiError(
      'NOT_AVAILABLE',
      "Slurm's sbatch is not on the PATH here; run hitmic submit on a login node of your Slurm cluster (or load its module, e.g. 'module load slurm'), or add --dry-run to see the script without submitting",
      { command: 'sbatch', path: env.PATH ?? '' },
    );
  return sbatch;
}

interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command could not start or was killed. */
  status: number | null;
  error?: string;
}

/** Runs a Slurm command; never throws (Slurm down, command missing: the result says so). */
export function runCommand(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        resolve({
          stdout: String(stdout),
          stderr: String(stderr),
          status: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          ...(e && typeof e.code !== 'number' ? { error: e.message } : {}),
        });
      },
    );
  });
}

/** What a failed Slurm command printed, as one readable line. */
function said(r: CommandResult): string {
  const lines = `${r.stderr}\n${r.stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.join('; ') || r.error || `exit status ${r.status}`;
}

/**
 * `sbatch --parsable SCRIPT` in `cwd` (the job's working directory). Slurm's refusal (a wrong
 * partition, a time over the limit, an unknown account) is an error quoting sbatch.
 */
export async function sbatchSubmit(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ jobId: string; cluster: string | null; argv: string[] }> {
  const sbatch = requireSbatch(env);
  const argv = [sbatch, '--parsable', script];
  const r = await runCommand(sbatch, argv.slice(1), { env, cwd });
  const parsed = r.status === 0 ? parseSbatchParsable(r.stdout) : null;
  if (!parsed)
    throw new ApiError('BAD_INPUT', `Slurm refused the job: ${said(r)}`, {
      command: argv.join(' '),
      status: r.status,
      stderr: r.stderr,
      fix: 'Check the partition, time, memory and account against sinfo / your site, or see the script with --dry-run',
    });
  return { ...parsed, argv };
}

/** What Slurm knows of an array job's tasks, and from where. */
export interface SlurmView {
  source: 'scontrol' | 'sacct' | 'forgotten' | 'unreachable';
  tasks: Map<number, SlurmTaskState>;
  /** The job's working directory as scontrol reports it (to check it is the submission's). */
  workDir?: string;
  note?: string;
}

/**
 * Every task of array job `jobId`: from `scontrol -o show job` while slurmctld remembers the job
 * (MinJobAge, 5 min by default after it ends), else from `sacct` where accounting is on.
 */
export async function readSlurmJob(jobId: string, env: NodeJS.ProcessEnv): Promise<SlurmView> {
  const scontrol = findCommand('scontrol', env);
  if (!scontrol)
    return {
      source: 'unreachable',
      tasks: new Map(),
      note: "scontrol is not on the PATH here; ask on a login node of the cluster for Slurm's view",
    };
  const r = await runCommand(scontrol, ['-o', 'show', 'job', jobId], { env });
  if (r.status === 0) {
    const tasks = tasksFromScontrol(r.stdout, jobId);
    const workDir = parseScontrolRecord(r.stdout.split('\n')[0] ?? '').WorkDir;
    if (tasks.size) return { source: 'scontrol', tasks, workDir };
  } else if (!/invalid job id/i.test(r.stderr)) {
    return { source: 'unreachable', tasks: new Map(), note: `scontrol could not ask Slurm: ${said(r)}` };
  }
  const sacct = findCommand('sacct', env);
  if (sacct) {
    const a = await runCommand(
      sacct,
      ['-j', jobId, '-X', '-n', '-P', '-o', 'JobID,JobIDRaw,State,ExitCode,NodeList'],
      { env },
    );
    const tasks = a.status === 0 ? tasksFromSacct(a.stdout, jobId) : new Map<number, SlurmTaskState>();
    if (tasks.size) return { source: 'sacct', tasks };
    return {
      source: 'forgotten',
      tasks,
      note:
        a.status === 0
          ? `Slurm's accounting has no job ${jobId}`
          : `slurmctld no longer remembers job ${jobId} and accounting cannot tell (${said(a)})`,
    };
  }
  return { source: 'forgotten', tasks: new Map(), note: `slurmctld no longer remembers job ${jobId}` };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterJobStatus } from '../../../src-shared/api';
import { jobStatus } from '../../cluster';
import { numberOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

const USAGE = `Usage: hitmic status JOB [--json] [--wait [--interval S]]

The state of each movie of a job 'hitmic submit' submitted: JOB is the job id it printed (or the
job's folder, OUTPUT/hitmic-slurm/<time>-<id>). States come from Slurm (scontrol, and sacct where
accounting is on) while a task waits or runs, then from the disk:
  pending    Slurm has not started the task
  running    Slurm runs it
  complete   its results are there (_fl.csv and _summary.csv)
  failed     its task ended without them: the error, a lost node, a time or memory limit
  missing    Slurm no longer knows the task and it left nothing (never ran)
  unknown    Slurm cannot be asked from here and the disk does not tell
'hitmic submit --retry JOB' resubmits the failed and missing ones.

Options:
  --json          print the status as JSON: {jobId, slurm, counts, movies:[{task, movie, file,
                  state, slurm:{state, exitCode, node, reason}, outputsComplete, objects, error}]}
  --wait          ask again every --interval seconds (default 10) until no movie waits or runs
`;

function printStatus(s: ClusterJobStatus, io: CliIo): void {
  const w = (text: string) => io.stdout.write(text);
  w(
    `Job ${s.jobId}${s.retryOf ? ` (retry of ${s.retryOf})` : ''}: ${s.movies.length} movie(s), submitted ${s.submittedAt}\n`,
  );
  w(`  config  ${s.config}\n  output  ${s.outputDir}\n  folder  ${s.folder}\n`);
  if (s.slurmNote) w(`  note    ${s.slurmNote}\n`);
  const name = Math.max(5, ...s.movies.map((m) => m.movie.length));
  w(`  ${'task'.padEnd(5)} ${'movie'.padEnd(name)} ${'state'.padEnd(9)} ${'slurm'.padEnd(16)} detail\n`);
  for (const m of s.movies) {
    const slurm = m.slurm
      ? `${m.slurm.state}${m.slurm.exitCode && m.slurm.exitCode !== '0:0' ? ` ${m.slurm.exitCode}` : ''}`
      : '—';
    const detail =
      m.state === 'complete'
        ? `${m.objects ?? '?'} objects${m.frames !== undefined ? `, ${m.frames} frames` : ''}`
        : (m.error ?? (m.slurm?.node ? `on ${m.slurm.node}` : (m.slurm?.reason ?? '')));
    w(
      `  ${String(m.task).padEnd(5)} ${m.movie.padEnd(name)} ${m.state.padEnd(9)} ${slurm.padEnd(16)} ${detail}\n`,
    );
  }
  const c = s.counts;
  const parts = (['complete', 'running', 'pending', 'failed', 'missing', 'unknown'] as const)
    .filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${k}`);
  w(`${parts.join(', ')}${s.finished ? '' : ' (still going: hitmic status --wait)'}\n`);
  if (c.failed + c.missing > 0) w(`Resubmit the failed and missing ones: hitmic submit --retry ${s.jobId}\n`);
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'per-movie state of a Slurm job from hitmic submit',
  usage: USAGE,
  async run(argv, io) {
    const { options, positionals } = parseArgs(
      argv,
      { json: { type: 'boolean' }, wait: { type: 'boolean' }, interval: { type: 'string' } },
      'status',
    );
    if (positionals.length !== 1)
      throw new CliError(
        "'status' needs exactly one JOB: the id hitmic submit printed (see 'hitmic status --help')",
      );
    const intervalS = numberOption(options.interval, 'interval', { min: 0.1 }) ?? 10;
    let status = await jobStatus(positionals[0], io.env);
    while (options.wait && !status.finished) {
      await sleep(intervalS * 1000);
      status = await jobStatus(positionals[0], io.env);
    }
    if (options.json) io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    else printStatus(status, io);
    return 0;
  },
};

import path from 'node:path';
import type { ClusterResources } from '../../../src-shared/api';
import { retryJob, submitToSlurm, type SubmitResult, type TaskRunOptions } from '../../cluster';
import { ConfigInvalidError } from '../../config';
import { numberOption, parseArgs, type ParsedArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';
import { deviceOption, parseFrames, parseStageGb } from './run';

const USAGE = `Usage: hitmic submit CONFIG.yml --slurm [--input FILE]... [--worklist W.txt] [--force]
                     [--partition P] [--time T] [--mem M] [--gpus N] [--array-max K] [--dry-run]
       hitmic submit --retry JOB [CONFIG.yml] [resource options]

Analyses a run config's movies on a Slurm cluster: one array job, one movie per task. Movies are
selected exactly as 'hitmic run' selects them (input_data, or --input / --worklist; movies whose
_fl.csv and _summary.csv exist are skipped unless --force). Writes the worklist and the array
script into OUTPUT/hitmic-slurm/<time>-<id>/, submits it with 'sbatch --parsable' and prints the
job id. Each task runs 'hitmic run CONFIG --input MOVIE' of this installation, so it books its
stage memory on its node's booking file as a local run does. Run it where sbatch works (a login
node).

The #SBATCH lines come from the options below, else from the config's cluster: section
(partition, time, mem, gpus, cpus_per_task, account, qos, array_max, booking_dir,
sbatch_options); HiTMicTools ignores that section.

Options:
  --slurm            submit to Slurm (the scheduler hitmic submits to)
  --input FILE       analyse this movie (repeatable) instead of the config's selection
  --worklist W.txt   movies listed one per line (HiTMicTools' -w), filtered by the pattern
  --output DIR       output folder (default: input_data.output_folder)
  --force            also submit movies that were already analysed
  --partition P      sbatch --partition
  --time T           time limit per movie: minutes, HH:MM:SS or D-HH:MM (sbatch --time)
  --mem M            memory per movie: MB, or 16G (sbatch --mem)
  --gpus N           GPUs per movie: sbatch --gres=gpu:N; the task then runs with --device cuda
  --cpus-per-task N  CPU cores per movie; the analysis uses that many threads
  --account A        sbatch --account
  --qos Q            sbatch --qos
  --array-max K      at most K movies at once (sbatch --array=0-N%K)
  --frames A:B       only frames A (inclusive) to B (exclusive)
  --device D         where each task's models run (see 'hitmic run --help')
  --restored         also write {movie}_restored.tif
  --stage-gb S=GB,.. --wait-timeout S  --capacity-gb C   as for 'hitmic run'
  --library DIR      collection library for ZIP collections (must be reachable from the nodes)
  --retry JOB        resubmit only the movies of JOB that failed or are missing (options given
                     now replace the job's)
  --dry-run          print the script (and, on stderr, the movies) without submitting
  --json             print {job, folder, movies, skipped, sbatch, script}
`;

/** Resource flags, each checked against Slurm's formats by the submission. */
function resourceFlags(o: ParsedArgs['options']): ClusterResources {
  const str = (k: string) => (o[k] === undefined ? undefined : String(o[k]));
  const int = (k: string, min: number) => numberOption(o[k], k, { integer: true, min });
  return {
    partition: str('partition'),
    time: str('time'),
    mem: str('mem'),
    gpus: int('gpus', 0),
    cpusPerTask: int('cpus-per-task', 1),
    account: str('account'),
    qos: str('qos'),
    arrayMax: int('array-max', 1),
  };
}

function runFlags(o: ParsedArgs['options']): TaskRunOptions {
  if (o['stage-gb'] !== undefined) parseStageGb(o['stage-gb']);
  return {
    frames: parseFrames(o.frames),
    device: deviceOption(o.device),
    restored: o.restored ? true : undefined,
    stageGb: o['stage-gb'] === undefined ? undefined : String(o['stage-gb']),
    waitTimeoutS: numberOption(o['wait-timeout'], 'wait-timeout', { min: 1 }),
    capacityGb: numberOption(o['capacity-gb'], 'capacity-gb', { min: 0 }),
  };
}

function print(r: SubmitResult, io: CliIo, json: boolean): void {
  if (json) {
    const { script, worklist: _w, ...rest } = r;
    io.stdout.write(`${JSON.stringify({ job: r.jobId || null, ...rest, script }, null, 2)}\n`);
    return;
  }
  for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
  if (r.dryRun) {
    io.stdout.write(r.script);
    io.stderr.write(
      `dry run: nothing written or submitted; ${r.movies.length} movie(s) would be tasks 0–${r.movies.length - 1}:\n` +
        r.movies.map((m, i) => `  ${i}  ${m}\n`).join(''),
    );
    return;
  }
  io.stdout.write(`${r.jobId}\n`);
  io.stderr.write(
    `Submitted Slurm array job ${r.jobId}: ${r.movies.length} movie(s)${r.retryOf ? ` of job ${r.retryOf} again` : ''}` +
      `${r.skipped.length ? `, ${r.skipped.length} already analysed skipped` : ''}.\n` +
      `  folder  ${r.folder}\n  follow  hitmic status ${r.jobId}\n`,
  );
}

export const submitCommand: CliCommand = {
  name: 'submit',
  summary: "analyse a config's movies on a Slurm cluster, one movie per array task",
  usage: USAGE,
  async run(argv, io) {
    const { options, positionals } = parseArgs(
      argv,
      {
        slurm: { type: 'boolean' },
        input: { type: 'list' },
        worklist: { type: 'string', short: 'w' },
        output: { type: 'string' },
        force: { type: 'boolean' },
        partition: { type: 'string' },
        time: { type: 'string' },
        mem: { type: 'string' },
        gpus: { type: 'string' },
        'cpus-per-task': { type: 'string' },
        account: { type: 'string' },
        qos: { type: 'string' },
        'array-max': { type: 'string' },
        frames: { type: 'string' },
        device: { type: 'string' },
        restored: { type: 'boolean' },
        'stage-gb': { type: 'string' },
        'wait-timeout': { type: 'string' },
        'capacity-gb': { type: 'string' },
        library: { type: 'string' },
        retry: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'submit',
    );
    const retry = options.retry === undefined ? undefined : String(options.retry);
    if (positionals.length > 1 || (positionals.length === 0 && retry === undefined))
      throw new CliError(
        "'submit' needs exactly one CONFIG.yml, or --retry JOB (see 'hitmic submit --help')",
      );
    if (!options.slurm && retry === undefined)
      throw new CliError(
        "'submit' needs --slurm: Slurm is the scheduler hitmic submits to (see 'hitmic submit --help')",
      );
    if (retry !== undefined && (options.input || options.worklist))
      throw new CliError('--retry resubmits the failed movies of a job; it takes no --input or --worklist');
    const common = {
      outputDir: options.output ? path.resolve(io.cwd, String(options.output)) : undefined,
      force: options.force ? true : undefined,
      libraryDir: options.library ? path.resolve(io.cwd, String(options.library)) : undefined,
      resources: resourceFlags(options),
      run: runFlags(options),
      dryRun: Boolean(options['dry-run']),
      env: io.env,
    };
    const configPath = positionals[0] ? path.resolve(io.cwd, positionals[0]) : undefined;
    try {
      const r =
        retry !== undefined
          ? await retryJob(retry, { ...common, configPath })
          : await submitToSlurm({
              ...common,
              configPath: configPath!,
              inputs: (options.input as string[] | undefined)?.map((f) => path.resolve(io.cwd, f)),
              worklist: options.worklist ? path.resolve(io.cwd, String(options.worklist)) : undefined,
            });
      print(r, io, Boolean(options.json));
      return 0;
    } catch (err) {
      if (err instanceof ConfigInvalidError) {
        io.stderr.write(`${err.lines.join('\n')}\n`);
        throw new CliError(
          `the config ${err.file} has ${err.lines.length} error(s); fix them and submit again (see 'hitmic config validate')`,
          1,
        );
      }
      throw err;
    }
  },
};

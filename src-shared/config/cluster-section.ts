/**
 * The `cluster:` section of a run config: what `hitmic submit --slurm` puts in its `#SBATCH`
 * lines (partition, time, memory, GPUs, account, QOS, array throttle, extra sbatch options).
 * HiTMicTools reads only the sections it knows (input_data, pipeline_setup, models, tracking,
 * extra and the individual model sections) and ignores any other top-level key, so the same file
 * still runs with `hitmictools run`. The value checks are shared with the command-line flags.
 */
import type { Diagnostic } from './diagnostics';
import { type SectionSpec } from './schema';
import { checkSection, isMapping } from './section-check';
import { diag, type YamlSource } from './yaml-source';

export const CLUSTER_SPEC: SectionSpec = {
  partition: { type: 'string', nullable: true, doc: "Slurm partition (sbatch --partition), e.g. 'gpu'" },
  time: {
    type: 'any',
    nullable: true,
    doc: "time limit per movie (sbatch --time): minutes, 'HH:MM:SS' or 'D-HH:MM'",
  },
  mem: { type: 'any', nullable: true, doc: "memory per movie (sbatch --mem): MB, or with a unit, '16G'" },
  gpus: { type: 'int', nullable: true, min: 0, max: 64, doc: 'GPUs per movie (sbatch --gres=gpu:N)' },
  cpus_per_task: {
    type: 'int',
    nullable: true,
    min: 1,
    max: 4096,
    doc: 'CPU cores per movie (sbatch --cpus-per-task); the analysis uses that many threads',
  },
  account: { type: 'string', nullable: true, doc: 'account charged (sbatch --account)' },
  qos: { type: 'string', nullable: true, doc: 'quality of service (sbatch --qos)' },
  array_max: {
    type: 'int',
    nullable: true,
    min: 1,
    max: 1_000_000,
    doc: 'movies analysed at once at most (sbatch --array=…%K)',
  },
  booking_dir: {
    type: 'string',
    nullable: true,
    doc: 'folder of the booking files on each node, when the site gives every job its own $TMPDIR',
  },
  sbatch_options: {
    type: 'list',
    nullable: true,
    doc: "more sbatch options, one '--name=value' each, e.g. ['--constraint=a100']",
  },
};

/** Partition, account and QOS names: what Slurm allows, and nothing a shell or sbatch would read as more. */
const NAME = /^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$/;
/** Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, and UNLIMITED / INFINITE. */
const TIME =
  /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
/** Memory: a whole number, optionally with K, M, G or T (sbatch's default unit is MB). */
const MEM = /^\d+[KMGT]?$/i;
/** One sbatch option as it would follow `#SBATCH`: `--name` or `--name=value`, no spaces or controls in the name. */
const OPTION = /^--[a-z][a-z0-9-]*(=[^\n\r\0]*)?$/;

/**
 * Options hitmic submit sets itself: one movie per array task, logs where `hitmic status` reads
 * them, the job's folder as its working directory. Given again they would break that.
 */
export const SBATCH_OPTIONS_OWNED = ['--array', '--output', '--error', '--chdir', '--parsable', '--wrap'];

/** Why `v` is not a Slurm time limit, or null when it is one. */
export function slurmTimeProblem(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return null;
  if (typeof v === 'string' && TIME.test(v.trim())) return null;
  return `${JSON.stringify(v)} is not a Slurm time limit; write minutes (90), 'HH:MM:SS' ('02:00:00') or 'D-HH:MM' ('1-12:00')`;
}

/** Why `v` is not a Slurm memory size, or null when it is one. */
export function slurmMemProblem(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return null;
  if (typeof v === 'string' && MEM.test(v.trim()) && !/^0+[KMGT]?$/i.test(v.trim())) return null;
  return `${JSON.stringify(v)} is not a Slurm memory size; write MB (16000) or a number with K, M, G or T ('16G')`;
}

/** Why `v` is not a partition, account or QOS name, or null when it is one. */
export function slurmNameProblem(v: unknown): string | null {
  if (typeof v === 'string' && NAME.test(v)) return null;
  return `${JSON.stringify(v)} is not a Slurm name; use letters, digits and _ . + - (commas between several partitions)`;
}

/** Why `v` cannot be one of `sbatch_options`, or null when it can. */
export function sbatchOptionProblem(v: unknown): string | null {
  if (typeof v !== 'string' || !OPTION.test(v))
    return `${JSON.stringify(v)} is not one sbatch option; write '--name=value' (e.g. '--constraint=a100'), one per list item`;
  const name = v.split('=')[0];
  if (SBATCH_OPTIONS_OWNED.includes(name))
    return `'${name}' is set by hitmic submit itself (one movie per array task, logs in the job's folder); remove it`;
  return null;
}

/** The checks of `cluster:` beyond types: Slurm's formats for each value. */
export function checkCluster(
  src: YamlSource,
  raw: unknown,
  ds: Diagnostic[],
): Record<string, unknown> | null {
  ds.push(
    ...checkSection(src, ['cluster'], raw, CLUSTER_SPEC, {
      unknownKeys: 'error',
      unknownReason: "; hitmic submit would not use it (put other sbatch options in 'sbatch_options')",
    }),
  );
  if (!isMapping(raw)) return null;
  const bad = (key: string, problem: string | null, fix: string, at: (string | number)[] = [key]) => {
    if (problem) ds.push(diag(src, 'error', ['cluster', ...at], `cluster.${at.join('.')}: ${problem}`, fix));
  };
  const given = (key: string) => raw[key] !== undefined && raw[key] !== null;
  if (given('time')) bad('time', slurmTimeProblem(raw.time), "e.g. time: '04:00:00'");
  if (given('mem')) bad('mem', slurmMemProblem(raw.mem), "e.g. mem: '16G'");
  for (const key of ['partition', 'account', 'qos'])
    if (typeof raw[key] === 'string')
      bad(key, slurmNameProblem(raw[key]), 'Copy the name from sinfo / sacctmgr.');
  if (typeof raw.booking_dir === 'string' && !raw.booking_dir.startsWith('/'))
    bad(
      'booking_dir',
      `${JSON.stringify(raw.booking_dir)} is not an absolute path`,
      'Give a folder every node has, e.g. /tmp.',
    );
  if (Array.isArray(raw.sbatch_options))
    raw.sbatch_options.forEach((o, i) =>
      bad('sbatch_options', sbatchOptionProblem(o), "One option per item, e.g. - '--constraint=a100'.", [
        'sbatch_options',
        i,
      ]),
    );
  return raw;
}

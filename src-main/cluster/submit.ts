/**
 * `hitmic submit CONFIG --slurm`: the movies `hitmic run` would analyse (same selection, same
 * skip rule, same --force), as one Slurm array job with one movie per task; and
 * `hitmic submit --retry JOB`, which resubmits only the movies of JOB that failed or went missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type ClusterResources, type ClusterSubmission } from '../../src-shared/api';
import {
  sbatchOptionProblem,
  slurmMemProblem,
  slurmNameProblem,
  slurmTimeProblem,
  type RunConfig,
} from '../../src-shared/config';
import { writeFileAtomic } from '../io';
import { prepareRun } from '../runs';
import { appRoot, appVersion } from '../version';
import {
  arrayScript,
  jobNameFor,
  SUBMISSION_FILES,
  taskRunArgs,
  type SlurmResources,
  type TaskRunOptions,
} from './script';
import { requireSbatch, sbatchSubmit } from './slurm';
import { jobStatus } from './status';
import {
  createSubmissionFolder,
  findSubmission,
  saveSubmission,
  SUBMISSION_FORMAT,
  type SubmissionRecord,
} from './submission';

export interface SubmitOptions {
  configPath: string;
  inputs?: string[];
  worklist?: string;
  outputDir?: string;
  force?: boolean;
  libraryDir?: string;
  /** Flags; each wins over the config's `cluster:` section. */
  resources?: ClusterResources;
  run?: TaskRunOptions;
  /** Write nothing and submit nothing: return the script. */
  dryRun?: boolean;
  env: NodeJS.ProcessEnv;
}

export interface SubmitResult extends ClusterSubmission {
  dryRun: boolean;
  /** The worklist's text (task N analyses line N+1). */
  worklist: string;
}

/** Slurm resources from the config's `cluster:` section (checked by the validator), then the flags. */
export function taskResources(cluster: RunConfig['cluster'], flags: ClusterResources = {}): SlurmResources {
  const c = cluster ?? {};
  const str = (v: unknown) =>
    typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const r: SlurmResources = {
    partition: flags.partition ?? str(c.partition),
    time: flags.time ?? str(c.time),
    mem: flags.mem ?? str(c.mem),
    gpus: flags.gpus ?? num(c.gpus),
    cpusPerTask: flags.cpusPerTask ?? num(c.cpus_per_task),
    account: flags.account ?? str(c.account),
    qos: flags.qos ?? str(c.qos),
    arrayMax: flags.arrayMax ?? num(c.array_max),
    extra: Array.isArray(c.sbatch_options) ? c.sbatch_options.map(String) : [],
  };
  checkResources(r);
  return r;
}

/** The same checks as the config's, for values that came from flags or the API. */
function checkResources(r: SlurmResources): void {
  const refuse = (field: string, problem: string | null) => {
    if (problem) throw new ApiError('BAD_INPUT', `--${field}: ${problem}`, { field });
  };
  if (r.partition !== undefined) refuse('partition', slurmNameProblem(r.partition));
  if (r.account !== undefined) refuse('account', slurmNameProblem(r.account));
  if (r.qos !== undefined) refuse('qos', slurmNameProblem(r.qos));
  if (r.time !== undefined) refuse('time', slurmTimeProblem(r.time));
  if (r.mem !== undefined) refuse('mem', slurmMemProblem(r.mem));
  for (const [field, v, min] of [
    ['gpus', r.gpus, 0],
    ['cpus-per-task', r.cpusPerTask, 1],
    ['array-max', r.arrayMax, 1],
  ] as const)
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min))
      refuse(field, `${JSON.stringify(v)} must be a whole number ≥ ${min}`);
  for (const o of r.extra ?? []) refuse('sbatch_options', sbatchOptionProblem(o));
}

/** This installation's command line: the binary running now and its bin/hitmic.js. */
function thisHitmic(): { nodePath: string; cliPath: string; electron: boolean } {
  const cliPath = path.join(appRoot(), 'bin', 'hitmic.js');
  if (!fs.existsSync(cliPath))
    throw new ApiError(
      'NOT_AVAILABLE',
      `This installation has no command line at ${cliPath} for the tasks to run`,
      {
        file: cliPath,
      },
    );
  return { nodePath: process.execPath, cliPath, electron: Boolean(process.versions.electron) };
}

/** Selects the movies, writes the submission's folder and script, submits them, records the job. */
export async function submitToSlurm(
  opts: SubmitOptions,
  retryOf: string | null = null,
): Promise<SubmitResult> {
  const prepared = await prepareRun({
    configPath: opts.configPath,
    inputs: opts.inputs,
    outputDir: opts.outputDir,
    worklist: opts.worklist,
    force: opts.force,
    libraryDir: opts.libraryDir,
  });
  const movies = prepared.selection.files;
  const skipped = prepared.selection.skipped;
  if (movies.length === 0)
    throw new ApiError(
      'BAD_INPUT',
      skipped.length
        ? `Nothing to submit: all ${skipped.length} movie(s) are already analysed in ${prepared.outputDir} (add --force to analyse them again)`
        : `Nothing to submit: the config selects no movie (input_folder, file_pattern and file_type of ${prepared.file})`,
      { config: prepared.file, skipped },
    );
  for (const m of movies)
    if (/[\n\r]/.test(m))
      throw new ApiError(
        'BAD_INPUT',
        `The movie path ${JSON.stringify(m)} holds a line break; rename it to submit it`,
        {
          file: m,
        },
      );
  const resources = taskResources(prepared.cfg.cluster, opts.resources);
  const bookingDir =
    typeof prepared.cfg.cluster?.booking_dir === 'string' ? prepared.cfg.cluster.booking_dir : undefined;
  const runArgs = taskRunArgs(opts.run ?? {}, resources, { force: opts.force, libraryDir: opts.libraryDir });
  if (!opts.dryRun) requireSbatch(opts.env);
  const folder = opts.dryRun
    ? path.join(prepared.outputDir, '<submission folder>')
    : createSubmissionFolder(prepared.outputDir);
  const worklistText = `${movies.join('\n')}\n`;
  const script = arrayScript({
    appVersion: appVersion(),
    ...thisHitmic(),
    config: prepared.file,
    outputDir: prepared.outputDir,
    worklist: path.join(folder, SUBMISSION_FILES.worklist),
    folder,
    movies: movies.length,
    jobName: jobNameFor(prepared.file),
    resources,
    runArgs,
    bookingDir,
  });
  const base = { folder, movies, skipped, script, warnings: prepared.warnings, worklist: worklistText };
  if (opts.dryRun)
    return { ...base, jobId: '', sbatch: ['sbatch', '--parsable', SUBMISSION_FILES.script], dryRun: true };
  try {
    writeFileAtomic(path.join(folder, SUBMISSION_FILES.worklist), worklistText);
    writeFileAtomic(path.join(folder, SUBMISSION_FILES.script), script, { mode: 0o755 });
    const { jobId, cluster, argv } = await sbatchSubmit(SUBMISSION_FILES.script, folder, opts.env);
    const record: SubmissionRecord = {
      format: SUBMISSION_FORMAT,
      jobId,
      cluster,
      submittedAt: new Date().toISOString(),
      appVersion: appVersion(),
      config: prepared.file,
      outputDir: prepared.outputDir,
      folder,
      movies,
      skipped,
      resources,
      runArgs,
      bookingDir: bookingDir ?? null,
      request: {
        resources: definedOnly(opts.resources ?? {}),
        run: definedOnly(opts.run ?? {}),
        force: Boolean(opts.force),
        ...(opts.libraryDir ? { libraryDir: path.resolve(opts.libraryDir) } : {}),
      },
      sbatch: argv,
      retryOf,
    };
    saveSubmission(record, opts.env);
    return { ...base, jobId, sbatch: argv, ...(retryOf ? { retryOf } : {}), dryRun: false };
  } catch (err) {
    // Slurm refused it: leave no folder that looks like a submission.
    fs.rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Resubmits the movies of `job` that failed or are missing — HiTMicTools' retry of failed files,
 * done right: the movies are read from the job's own record, not from a config variable. Its
 * other movies (complete, still waiting or running) are left alone. Flags given now win over
 * the job's; the config is the job's unless `configPath` names another.
 */
export async function retryJob(
  job: string,
  opts: Omit<SubmitOptions, 'configPath' | 'inputs' | 'worklist'> & { configPath?: string },
): Promise<SubmitResult> {
  const status = await jobStatus(job, opts.env);
  const record = findSubmission(status.jobId, opts.env, status.folder);
  if (status.slurm === 'unreachable')
    throw new ApiError(
      'NOT_AVAILABLE',
      `Cannot tell which movies of job ${status.jobId} failed without Slurm: ${status.slurmNote ?? ''}`,
      { job: status.jobId },
    );
  const again = status.movies.filter((m) => m.state === 'failed' || m.state === 'missing');
  if (again.length === 0) {
    const c = status.counts;
    throw new ApiError(
      'BAD_INPUT',
      `Job ${status.jobId} has nothing to retry: ${c.complete} complete, ${c.running} running, ${c.pending} pending, no failed or missing movie`,
      { job: status.jobId, counts: c },
    );
  }
  const asked = record.request;
  return submitToSlurm(
    {
      ...opts,
      configPath: opts.configPath ?? record.config,
      inputs: again.map((m) => m.file),
      outputDir: opts.outputDir ?? record.outputDir,
      force: opts.force ?? asked.force,
      libraryDir: opts.libraryDir ?? asked.libraryDir,
      resources: { ...asked.resources, ...definedOnly(opts.resources ?? {}) },
      run: { ...asked.run, ...definedOnly(opts.run ?? {}) },
    },
    status.jobId,
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

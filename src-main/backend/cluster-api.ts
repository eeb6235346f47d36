import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type ClusterApi,
  type ClusterResources,
  type ClusterSubmission,
  type ClusterSubmitRequest,
} from '../../src-shared/api';
import {
  BATCH_SUMMARY_FILES,
  collectBatch,
  findCommand,
  jobStatus,
  retryJob,
  submitToSlurm,
  SUBMISSIONS_FOLDER,
  type SubmitResult,
} from '../cluster';

const RESOURCE_FIELDS: Record<keyof ClusterResources, 'string' | 'int'> = {
  partition: 'string',
  time: 'string',
  mem: 'string',
  gpus: 'int',
  cpusPerTask: 'int',
  account: 'string',
  qos: 'string',
  arrayMax: 'int',
};

/** The resources of a request, each of the type the contract says (their formats are checked by submit). */
function resourcesOf(r: ClusterSubmitRequest): ClusterResources {
  const out: Record<string, unknown> = {};
  for (const [k, type] of Object.entries(RESOURCE_FIELDS)) {
    const v = (r as unknown as Record<string, unknown>)[k];
    if (v === undefined || v === null || v === '') continue;
    if (type === 'int' ? !Number.isSafeInteger(v) : typeof v !== 'string')
      throw new ApiError(
        'BAD_INPUT',
        `${k} must be ${type === 'int' ? 'a whole number' : 'text'}, got ${JSON.stringify(v)}`,
        {
          field: k,
        },
      );
    out[k] = v;
  }
  return out as ClusterResources;
}

function jobIdOf(jobId: unknown): string {
  if (typeof jobId !== 'string' || !/^\d+$/.test(jobId))
    throw new ApiError('BAD_INPUT', `A Slurm job id is a number, got ${JSON.stringify(jobId)}`, {
      field: 'jobId',
    });
  return jobId;
}

function submissionOf(r: SubmitResult): ClusterSubmission {
  const { dryRun: _dryRun, worklist: _worklist, ...rest } = r;
  return rest;
}

/**
 * The Cluster domain behind the API: `hitmic submit`, `status`, `submit --retry` and `collect`
 * for the Runs view, with the backend's environment (its PATH finds sbatch; SLURM_CONF applies).
 */
export function createClusterApi(options: { libraryDir: () => string; env?: NodeJS.ProcessEnv }): ClusterApi {
  const env = () => options.env ?? process.env;
  return {
    async available() {
      const sbatch = findCommand('sbatch', env());
      return sbatch
        ? { sbatch }
        : { sbatch: null, reason: "Slurm's sbatch is not on the PATH of the computer running HiTMic Studio" };
    },
    async submit(request) {
      if (typeof request?.configPath !== 'string' || !request.configPath.trim())
        throw new ApiError(
          'BAD_INPUT',
          'Submitting needs the path of a saved config (save it first in the Config view)',
          {
            field: 'configPath',
          },
        );
      const frames = request.frames;
      if (
        frames !== undefined &&
        !(
          Array.isArray(frames) &&
          frames.length === 2 &&
          frames.every(Number.isSafeInteger) &&
          frames[0] < frames[1]
        )
      )
        throw new ApiError(
          'BAD_INPUT',
          `frames must be [start, end) with start < end, got ${JSON.stringify(frames)}`,
          {
            field: 'frames',
          },
        );
      return submissionOf(
        await submitToSlurm({
          configPath: request.configPath,
          inputs: request.inputs,
          outputDir: request.outputDir,
          force: request.force === true,
          libraryDir: options.libraryDir(),
          resources: resourcesOf(request),
          run: { frames },
          env: env(),
        }),
      );
    },
    async status(jobId) {
      return jobStatus(jobIdOf(jobId), env());
    },
    async retry(jobId) {
      return submissionOf(await retryJob(jobIdOf(jobId), { env: env(), libraryDir: options.libraryDir() }));
    },
    async collect(outputDir) {
      if (typeof outputDir !== 'string' || !outputDir.trim())
        throw new ApiError('BAD_INPUT', 'collect needs the path of a run output folder', {
          field: 'outputDir',
        });
      // The API writes the summary only into a run's output folder (results or submissions in it),
      // never over a link: a path from the caller cannot aim it anywhere else.
      const dir = path.resolve(outputDir);
      const isRunFolder =
        fs.existsSync(path.join(dir, SUBMISSIONS_FOLDER)) ||
        (fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('_fl.csv')));
      if (!isRunFolder)
        throw new ApiError(
          'BAD_INPUT',
          `${dir} is not a run output folder (no results, no Slurm submissions)`,
          {
            file: dir,
            fix: 'Pick the output_folder of the run',
          },
        );
      for (const f of Object.values(BATCH_SUMMARY_FILES)) {
        const p = path.join(dir, f);
        if (fs.existsSync(p) && !fs.lstatSync(p).isFile())
          throw new ApiError('BAD_INPUT', `${p} exists and is not a plain file; it is left alone`, {
            file: p,
          });
      }
      return collectBatch(dir, env());
    },
  };
}

import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import {
  bookingDeviceFor,
  COMPUTE_DEVICE_HELP,
  parseComputeDevice,
  type ComputeChoice,
  type RunConfig,
} from '../../src-shared/config';
import type { ConversionFacts, ModelsPlan } from '../collections';
import type { MovieJobParams } from '../pipeline';
import type { Stage } from '../resources';
import { appVersion } from '../version';
import type { RunOptions } from './run-config';

/**
 * The CPU cores this run may use: inside a Slurm job those Slurm gave it (`SLURM_CPUS_PER_TASK`,
 * else `SLURM_CPUS_ON_NODE`) — the node's other cores belong to other jobs, and os.cpus() counts
 * them all — else every core of the machine.
 */
export function cpuBudget(env: NodeJS.ProcessEnv = process.env): number {
  if (env.SLURM_JOB_ID)
    for (const key of ['SLURM_CPUS_PER_TASK', 'SLURM_CPUS_ON_NODE']) {
      const n = Number(env[key]);
      if (Number.isSafeInteger(n) && n > 0) return n;
    }
  return os.cpus().length;
}

/** How many worker processes a run uses, and the onnxruntime threads each gets. */
export function workerShares(
  setup: RunConfig['pipeline_setup'],
  movies: number,
  requested?: number,
  cpus: number = cpuBudget(),
): { workers: number; threads: number } {
  const wanted = Math.max(
    1,
    requested ??
      (setup.parallel_processing ? Number(setup.num_workers) || Math.max(1, Math.floor(cpus / 2)) : 1),
  );
  const workers = Math.min(wanted, Math.max(1, movies));
  return { workers, threads: Math.max(1, Math.floor(cpus / workers)) };
}

/** What every movie's `_run.json` records of the run: versions, the resolved config, the models. */
export function runProvenance(
  configFile: string,
  cfg: RunConfig,
  plan: ModelsPlan,
  warnings: string[],
): Record<string, unknown> {
  return {
    app: 'hitmic-studio',
    app_version: appVersion(),
    config_file: configFile,
    config: cfg,
    collection: plan.collectionDir,
    models: Object.fromEntries(
      Object.entries(plan.models).map(([k, m]) => [
        k,
        {
          weights: m.weights,
          infererArgs: m.infererArgs,
          modelArgs: m.modelArgs,
          ...(m.converted ? { converted_from: conversionProvenance(m.converted) } : {}),
        },
      ]),
    ),
    config_warnings: warnings,
  };
}

/** A converted model's provenance: the checkpoint and its hash, the converter, the ONNX that ran. */
function conversionProvenance(c: ConversionFacts): Record<string, unknown> {
  return {
    file: c.from,
    sha256: c.from_sha256,
    architecture: c.architecture,
    converter: c.converter,
    converter_version: c.converter_version,
    onnx_sha256: c.onnx_sha256,
    crop_size: c.crop_size,
    from_cache: c.cached,
  };
}

/** One movie's job, from the config (HiTMicTools' keys) and the run's options. */
export function movieJobParams(
  movie: string,
  ctx: {
    cfg: RunConfig;
    pipeline: string;
    plan: ModelsPlan;
    outputDir: string;
    options: RunOptions;
    threads: number;
    workers: number;
    provenance: Record<string, unknown>;
  },
): MovieJobParams {
  const { cfg, options } = ctx;
  const setup = cfg.pipeline_setup;
  const compute = computeChoice(options.device ?? (typeof setup.device === 'string' ? setup.device : 'auto'));
  return {
    movie,
    outputDir: ctx.outputDir,
    pipeline: ctx.pipeline,
    setup: {
      referenceChannel: Number(setup.reference_channel),
      piChannel: Number(setup.pi_channel ?? 1),
      alignFrames: Boolean(setup.align_frames),
      method: String(setup.method),
      focusCorrection: setup.focus_correction !== false,
      tracking: Boolean(setup.tracking),
      exportLabelledMasks: Boolean(cfg.input_data.export_labelled_masks),
      exportRestored: Boolean(options.exportRestored),
      scBatchSize:
        typeof setup.sc_segmenter_batch_size === 'number' ? setup.sc_segmenter_batch_size : undefined,
    },
    models: ctx.plan.models,
    tracking: setup.tracking ? { section: cfg.tracking, trackerConfig: ctx.plan.trackerConfig } : null,
    frames: options.frames,
    compute,
    booking: {
      device: bookingDeviceFor(compute.provider === 'auto' ? 'cpu' : compute.provider, compute.deviceId),
      capacityGb:
        options.capacityGb ?? (typeof setup.capacity_gb === 'number' ? setup.capacity_gb : undefined),
      capacityFrom:
        options.capacityGb !== undefined
          ? '--capacity-gb'
          : typeof setup.capacity_gb === 'number'
            ? 'pipeline_setup.capacity_gb'
            : undefined,
      pipeline: ctx.pipeline,
      // The command line's figures win over the config's, stage by stage.
      stageGb: {
        ...(isStageFigures(setup.stage_memory_gb) ? setup.stage_memory_gb : {}),
        ...options.stageGb,
      },
      waitTimeoutS:
        options.waitTimeoutS ?? (typeof setup.memory_wait_s === 'number' ? setup.memory_wait_s : undefined),
    },
    threads: ctx.threads,
    workers: ctx.workers,
    spinning: ctx.workers === 1,
    provenance: ctx.provenance,
  };
}

/** The output folder: the option, else input_data.output_folder, relative to the config's folder. */
export function outputFolder(cfg: RunConfig, configFile: string, option?: string): string {
  return path.resolve(path.dirname(configFile), option ?? String(cfg.input_data.output_folder));
}

/** A validated `stage_memory_gb` mapping (the validator checked names and values). */
function isStageFigures(v: unknown): v is Partial<Record<Stage, number>> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'number');
}

/** A device name from the command line or the config (both checked before), as a compute choice. */
export function computeChoice(device: string): ComputeChoice {
  const choice = parseComputeDevice(device);
  if (!choice)
    throw new ApiError('BAD_INPUT', `Unknown device '${device}'; use one of ${COMPUTE_DEVICE_HELP}`, {
      field: 'device',
    });
  return choice;
}

import os from 'node:os';
import { isModelKey, runsInSlidingWindows } from '../../../src-shared/collections';
import type { ComputeProvider } from '../../../src-shared/config';
import type { ModelPrecision, ModelRunner } from '../../inference';
import { loadModelPool } from './session-pool';
import { loadModel, type SessionOptions } from './session-host';

/** More sessions than this cost memory (one arena each) for little more speed. */
const MAX_SESSIONS = 4;

export interface StageModelOptions {
  key: string;
  /** CPU threads this model may use; default the CPU count. */
  threads?: number;
  /** Let a single session's intra-op threads spin (one worker alone on the machine). */
  allowSpinning?: boolean;
  /** Where to run: 'auto' (default) tries the platform's GPU provider first; CPU is the fallback. */
  provider?: ComputeProvider;
  /** GPU index for CUDA and DirectML. */
  deviceId?: number;
  /** `inferer_args.half_precision`: the fp16 graph on a GPU provider (see session-host.ts). */
  halfPrecision?: boolean;
  /** Also fp16 on the CPU provider: parity tests and the precision benchmark only. */
  halfPrecisionOnCpu?: boolean;
  onWarning?: (message: string) => void;
}

/** The session host's provider options for a compute choice. */
function providerOptions(
  opts: StageModelOptions,
): Pick<SessionOptions, 'prefer' | 'providers' | 'deviceId' | 'halfPrecision' | 'halfPrecisionOnCpu'> {
  const p = opts.provider ?? 'auto';
  const precision = { halfPrecision: opts.halfPrecision, halfPrecisionOnCpu: opts.halfPrecisionOnCpu };
  if (p === 'auto' || p === 'cpu') return { prefer: p, deviceId: opts.deviceId, ...precision };
  return { providers: [p], deviceId: opts.deviceId, ...precision };
}

export interface StageModel {
  runner: ModelRunner;
  provider: string;
  warnings: string[];
  rewrites: string[];
  /** The precision asked for and the one that runs (half_precision). */
  precision: ModelPrecision;
  /** Sessions behind the runner (threads of a pool), 1 for a plain session. */
  sessions: number;
}

/**
 * How many sessions share `threads` CPU threads: at most MAX_SESSIONS, preferably a count that
 * divides the threads evenly (6 threads: 3 sessions of 2, not 4 of 1 leaving 2 idle).
 */
export function sessionCount(threads: number): number {
  const most = Math.min(MAX_SESSIONS, threads);
  for (let s = most; s >= 2; s--) if (threads % s === 0) return s;
  return most;
}

/**
 * A collection model as the pipeline and the previews run it: tiled models (restorers, segmenter)
 * with two or more threads get a pool of one-thread sessions on their own threads (see
 * session-pool.ts); everything else, or HITMIC_SESSION_THREADS=0, one session with all the threads.
 */
export async function loadStageModel(file: string, opts: StageModelOptions): Promise<StageModel> {
  const threads = Math.max(1, Math.floor(opts.threads ?? os.cpus().length));
  const tiled = isModelKey(opts.key) && runsInSlidingWindows(opts.key);
  if (tiled && threads >= 2 && process.env.HITMIC_SESSION_THREADS !== '0') {
    return loadModelPool(file, {
      key: opts.key,
      threads,
      sessions: sessionCount(threads),
      onWarning: opts.onWarning,
      ...providerOptions(opts),
    });
  }
  const m = await loadModel(file, {
    key: opts.key,
    threads,
    allowSpinning: opts.allowSpinning,
    onWarning: opts.onWarning,
    ...providerOptions(opts),
  });
  return {
    runner: m.runner,
    provider: m.provider,
    warnings: m.warnings,
    rewrites: m.rewrites,
    precision: m.precision,
    sessions: 1,
  };
}

/**
 * Worker method `test-mode`: a config's whole pipeline on a few frames (pipeline/test-mode), with
 * models from the session host and stage outputs kept in this process's memory between calls, up
 * to a byte budget: 1.5 GiB or a quarter of the RAM, whichever is less, or $HITMIC_TEST_MODE_CACHE_MB
 * (0 keeps nothing). The cache lives as long as the worker: a killed or restarted worker starts empty.
 */
import os from 'node:os';
import { defaultCacheBudget, runTestMode, StageCache } from '../pipeline';
import { registerWorkerMethod } from './handlers';
import { loadJobModel } from './models';

let cache: StageCache | undefined;

/** The process's stage cache, made on first use (a bad $HITMIC_TEST_MODE_CACHE_MB fails the call that needs it). */
function stageCache(): StageCache {
  cache ??= new StageCache(defaultCacheBudget(os.totalmem(), process.env.HITMIC_TEST_MODE_CACHE_MB));
  return cache;
}

registerWorkerMethod('test-mode', (p, ctx) =>
  runTestMode(p, {
    cache: stageCache(),
    signal: ctx.signal,
    log: (level, message) => ctx.log(level, message),
    loadRunner: (plan) =>
      loadJobModel(plan, {
        provider: p.compute.provider,
        deviceId: p.compute.deviceId,
        // Said in the result's warnings (pipeline/test-mode), once per run.
        onWarning: () => undefined,
      }),
  }),
);

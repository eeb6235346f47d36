/**
 * Worker method `analyse-movie`: one movie through its pipeline, in this worker process, with
 * models from the session host (sessions cached for the worker's life; tiled models as a pool of
 * sessions on threads, see ort/stage-models.ts) and stage reservations booked under this worker's pid.
 */
import { ApiError } from '../../src-shared/api/errors';
import { analyseMovie } from '../pipeline/analyse-movie';
import { inferFrame, type InferFrameParams } from '../pipeline/infer-frame';
import { oofDetection } from '../pipeline/oof-detection';
import type { MovieJobParams } from '../pipeline/job-types';
import { registerWorkerMethod } from './handlers';
import { loadStageModel } from './ort';

registerWorkerMethod('infer-frame', async (params, ctx) => {
  const p = params as InferFrameParams;
  if (!p || typeof p.movie !== 'string' || typeof p.key !== 'string')
    throw new ApiError('BAD_INPUT', 'infer-frame needs {key, models, movie, frame}');
  return inferFrame(
    p,
    async (plan) => {
      const hosted = await loadStageModel(plan.weights, {
        key: plan.key,
        onWarning: (m) => ctx.log('warn', m),
      });
      return { runner: hosted.runner, provider: hosted.provider };
    },
    ctx.signal,
  );
});

registerWorkerMethod('analyse-movie', async (params, ctx) => {
  const p = params as MovieJobParams;
  if (!p || typeof p.movie !== 'string' || typeof p.outputDir !== 'string')
    throw new ApiError('BAD_INPUT', 'analyse-movie needs {movie, outputDir, ...}');
  const run = p.pipeline === 'oof_detection' ? oofDetection : analyseMovie;
  return run(p, {
    signal: ctx.signal,
    progress: (progress) => ctx.progress(progress),
    log: (level, message) => ctx.log(level, message),
    loadRunner: async (plan) => {
      const hosted = await loadStageModel(plan.weights, {
        key: plan.key,
        threads: p.threads,
        allowSpinning: p.spinning ?? false,
        onWarning: (m) => ctx.log('warn', m),
      });
      return { runner: hosted.runner, provider: hosted.provider, warnings: hosted.warnings };
    },
  });
});

/**
 * Worker methods `analyse-movie` (one movie through its pipeline) and `infer-frame` (one model on
 * one frame), in this worker process, with models from the session host (sessions cached for the
 * worker's life; tiled models as a pool of sessions on threads, see ort/stage-models.ts) and stage
 * bookings under this worker's pid.
 */
import { ApiError } from '../../src-shared/api';
import { inferFrame, PIPELINE_JOBS, precisionLines, RUNNABLE_PIPELINES } from '../pipeline';
import { registerWorkerMethod } from './handlers';
import { loadJobModel } from './models';

registerWorkerMethod('infer-frame', (p, ctx) =>
  inferFrame(
    p,
    async (plan) => {
      const m = await loadJobModel(plan, {
        provider: p.compute?.provider,
        deviceId: p.compute?.deviceId,
        onWarning: (w) => ctx.log('warn', w),
      });
      const lines = precisionLines({ [plan.key]: m.precision });
      lines.fallbacks.forEach((l) => ctx.log('warn', l));
      lines.used.forEach((l) => ctx.log('info', l));
      return m;
    },
    ctx.signal,
  ),
);

registerWorkerMethod('analyse-movie', (p, ctx) => {
  const job = Object.prototype.hasOwnProperty.call(PIPELINE_JOBS, p.pipeline)
    ? PIPELINE_JOBS[p.pipeline]
    : undefined;
  if (!job)
    throw new ApiError(
      'BAD_INPUT',
      `this worker runs ${RUNNABLE_PIPELINES.join(', ')}, not '${p.pipeline}'`,
      { pipeline: p.pipeline },
    );
  return job(p, {
    signal: ctx.signal,
    progress: (progress) => ctx.progress(progress),
    log: (level, message) => ctx.log(level, message),
    loadRunner: (plan) =>
      loadJobModel(plan, {
        threads: p.threads,
        allowSpinning: p.spinning ?? false,
        provider: p.compute.provider,
        deviceId: p.compute.deviceId,
        // Said by the job, once, with its cause and the fix (pipeline/compute.ts).
        onWarning: () => undefined,
      }),
  });
});

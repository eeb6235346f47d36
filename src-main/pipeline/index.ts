/**
 * What runs inside a worker process: the per-frame chain (frame-chain.ts: restore → segment →
 * classify → measure, each model step under its memory booking), the movie jobs of the pipelines
 * HiTMic Studio runs (pipelines.ts: ASCT_focusrestore and ASCT_scsegm share analyse-movie.ts's
 * frame loop, oof_detection has its own), and one model on one frame (infer-frame.ts, for
 * `hitmic infer` and the Viewer's previews), and test mode (test-mode/: a config's whole pipeline
 * on a few frames through a cache of stage outputs). Models come in through the job's `loadRunner` (the
 * worker's session host): nothing here loads onnxruntime. Host-side orchestration — config,
 * plan, worker pool, report — is src-main/runs/.
 */
export { toFloat32 } from './frame-prep';
export {
  runFrameChain,
  type ChainFrame,
  type ChainModels,
  type ChainResult,
  type MeasureStep,
} from './frame-chain';
export { inferFrame, type Column, type InferFrameParams, type InferFrameResult } from './infer-frame';
export {
  MovieJobError,
  type MovieJobDeps,
  type MovieJobParams,
  type MovieJobResult,
  type MovieProgress,
} from './job-types';
export { memoryRemedies, OutOfMemoryError } from './out-of-memory';
export { precisionFacts, precisionLines, type PrecisionFact } from './precision';
export { isRunnablePipeline, PIPELINE_JOBS, RUNNABLE_PIPELINES, type PipelineJob } from './pipelines';
export type { BookingPlan, StageBooker } from './stage-booking';
export {
  defaultCacheBudget,
  runTestMode,
  StageCache,
  TEST_MODE_PIPELINES,
  type TestModeOutput,
  type TestModeParams,
} from './test-mode';

import { analyseMovie } from './analyse-movie';
import type { MovieJobDeps, MovieJobParams, MovieJobResult } from './job-types';
import { FOCUSRESTORE, SCSEGM } from './movie-pipelines';
import { oofDetection } from './oof-detection';

/** Runs one movie of a pipeline inside a worker. */
export type PipelineJob = (p: MovieJobParams, deps: MovieJobDeps) => Promise<MovieJobResult>;

/**
 * The pipelines HiTMic Studio runs, by HiTMicTools' canonical name: the only place that says
 * which exist. HiTMicTools' other pipelines (src-shared/collections/model-keys.ts) are recognised
 * and refused clearly by `hitmic run`. Adding a pipeline: its job here (a MoviePipeline for the
 * shared frame loop, or a job of its own like oof_detection), its stage figures in
 * resources/stage-memory.ts.
 */
export const PIPELINE_JOBS: Readonly<Record<string, PipelineJob>> = {
  ASCT_focusrestore: (p, deps) => analyseMovie(FOCUSRESTORE, p, deps),
  ASCT_scsegm: (p, deps) => analyseMovie(SCSEGM, p, deps),
  oof_detection: oofDetection,
};

/** Names of the pipelines that run here, in registry order. */
export const RUNNABLE_PIPELINES: readonly string[] = Object.keys(PIPELINE_JOBS);

export function isRunnablePipeline(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PIPELINE_JOBS, name);
}

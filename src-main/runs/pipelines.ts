import {
  findPipeline as findPipelineName,
  PIPELINE_REQUIRED_MODELS,
  type ModelKey,
} from '../../src-shared/collections/model-keys';

/**
 * The pipelines HiTMicTools registers (names and required models live in
 * src-shared/collections/model-keys.ts) and which of them HiTMic Studio runs yet.
 */
export interface PipelineSpec {
  name: string;
  requiredModels: readonly ModelKey[];
  /** Whether HiTMic Studio runs it yet; the others are recognised and refused clearly. */
  implemented: boolean;
}

const IMPLEMENTED = new Set(['ASCT_focusrestore', 'ASCT_scsegm', 'oof_detection']);

export class UnknownPipelineError extends Error {
  constructor(readonly requested: string) {
    super(
      `Invalid pipeline name: '${requested}'. Available pipelines: ${Object.keys(PIPELINE_REQUIRED_MODELS).join(', ')}`,
    );
    this.name = 'UnknownPipelineError';
  }
}

/** Exact name first, then case-insensitive, as HiTMicTools' get_pipeline does. */
export function findPipeline(name: string): PipelineSpec {
  const canonical = findPipelineName(name);
  if (!canonical) throw new UnknownPipelineError(name);
  return {
    name: canonical,
    requiredModels: PIPELINE_REQUIRED_MODELS[canonical],
    implemented: IMPLEMENTED.has(canonical),
  };
}

import type { MemoryWait, WorkerMemory } from '../../src-shared/api';
import type { ModelKey } from '../../src-shared/collections';
import type { ComputeChoice } from '../../src-shared/config';
import type { ModelPlan } from '../collections';
import type { ModelPrecision, ModelRunner } from '../inference';
import type { BookingPlan } from './stage-booking';

/** What one movie job needs; plain data, so it crosses into the worker process. */
export interface MovieJobParams {
  movie: string;
  outputDir: string;
  pipeline: string;
  setup: {
    referenceChannel: number;
    piChannel: number;
    alignFrames: boolean;
    method: string;
    focusCorrection: boolean;
    tracking: boolean;
    exportLabelledMasks: boolean;
    exportRestored: boolean;
    /** ASCT_scsegm: pipeline_setup.sc_segmenter_batch_size (tiles per model call). */
    scBatchSize?: number;
  };
  models: Partial<Record<ModelKey, ModelPlan>>;
  /** The config's `tracking:` section and the collection's btrack config, when tracking is on. */
  tracking: { section: Record<string, unknown> | null; trackerConfig: string | null } | null;
  /** Frames [start, end) to analyse; all when absent. */
  frames?: [number, number];
  /** Where the models run, as asked (`--device`, pipeline_setup.device). */
  compute: ComputeChoice;
  /**
   * How much each model stage books (cap, per-stage GB of `pipeline`); the device booked is the one
   * the models actually run on (compute.ts), `booking.device` only until they are loaded.
   */
  booking: BookingPlan;
  /** Worker processes of the run (for the memory remedies: fewer workers, less memory). */
  workers?: number;
  /** onnxruntime intra-op threads for this job (CPU count ÷ workers); default: all cores. */
  threads?: number;
  /**
   * Let onnxruntime's threads spin while waiting: faster for a job alone on the machine (measured
   * −17 % on the demo segmenter), wasteful when several workers share the cores. Default off.
   */
  spinning?: boolean;
  /** Written into {movie}_run.json. */
  provenance: Record<string, unknown>;
}

export interface MovieProgress {
  movie: string;
  stage: string;
  done: number;
  total: number;
  /** Set while `stage` waits for its memory booking. */
  waiting?: MemoryWait;
  /** The worker's memory after a frame. */
  memory?: WorkerMemory;
}

export interface MovieJobResult {
  file: string;
  frames: number;
  objects: number;
  tracks: number;
  outputs: Record<string, string>;
  timings_ms: Record<string, number>;
  warnings: string[];
  provider: string;
}

/** What the worker gives a movie job: models, progress, cancellation, log. */
export interface MovieJobDeps {
  loadRunner(
    plan: ModelPlan,
  ): Promise<{ runner: ModelRunner; provider: string; warnings: string[]; precision?: ModelPrecision }>;
  progress(p: MovieProgress): void;
  log(level: 'info' | 'warn', message: string): void;
  signal: AbortSignal;
}

export class MovieJobError extends Error {
  constructor(
    message: string,
    readonly movie: string,
  ) {
    super(message);
    this.name = 'MovieJobError';
  }
}

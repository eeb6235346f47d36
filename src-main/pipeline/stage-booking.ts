import { MODEL_KEY_TABLE, type ModelKey } from '../../src-shared/collections';
import type { MemoryWait } from '../../src-shared/api';
import { allocationReason, isAllocationFailure, OutOfMemoryError } from './out-of-memory';
import {
  acquireReservation,
  capacityOrigin,
  describeHolder,
  resolveCapacityGb,
  stageReservation,
  type Stage,
  type WaitState,
} from '../resources';

/**
 * Runs one model under its memory booking (DESIGN.md principle 2: every session runs under its
 * reservation): books the GB of the model's stage (its memoryStage in the model-key table) on the
 * device's booking file, runs `work`, releases.
 */
export type StageBooker = <R>(model: ModelKey, work: () => Promise<R>) => Promise<R>;

/** Where a job books its stages, and how much (plain data: it crosses into the worker). */
export interface BookingPlan {
  /** Booking-file device, e.g. 'cpu' or 'cuda_0'. */
  device: string;
  /** Cap on what the job may book; default the device's memory (or $HITMIC_CAPACITY_GB). */
  capacityGb?: number;
  /** What set `capacityGb` (`--capacity-gb`, `pipeline_setup.capacity_gb`), shown to whoever sees a wait. */
  capacityFrom?: string;
  /** Pipeline whose per-stage figures (HiTMicTools' ReserveResource values) apply. */
  pipeline: string;
  /** Overrides of those figures, in GB. */
  stageGb?: Partial<Record<Stage, number>>;
  /** How long a stage may wait for its memory, seconds: one figure for all, or per stage. */
  waitTimeoutS?: number | Partial<Record<Stage, number>>;
}

export interface StageBookerOptions {
  plan: BookingPlan;
  signal?: AbortSignal;
  /** The booking's description in the booking file (who holds it: `bookings` shows it). */
  describe(stage: Stage): string;
  /** Called before each stage asks for memory (progress: "segmentation, frame 3"). */
  onStage?(stage: Stage): void;
  /** A stage figure changed to fit the device; said once per stage. */
  onWarning?(message: string): void;
  /** The stage waits for its memory (called when who holds it or the queue changes). */
  onWait?(stage: Stage, wait: MemoryWait): void;
  /** Adds the model's run time (booking wait excluded) to the job's timings, by stage or by model. */
  onTimed?(stage: Stage, ms: number, model: ModelKey): void;
  /** After the model ran, still under its booking (the memory log reads the stage's memory then). */
  onDone?(stage: Stage): Promise<void> | void;
  /** The guide's remedies, with this job's numbers, for a model that ran out of memory. */
  remedies?(model: ModelKey): string[];
  /** The frame the booker works on, for messages. */
  frame?: number;
}

/** The device capacity the plan books against, resolved once per job. */
export async function bookingCapacityGb(plan: BookingPlan): Promise<number> {
  return plan.capacityGb ?? (await resolveCapacityGb(plan.device));
}

/**
 * A booker for one job (a movie, a frame). `capacityGb` is the resolved device capacity
 * ({@link bookingCapacityGb}); figures larger than it are fitted and said once per stage.
 */
export function createStageBooker(capacityGb: number, options: StageBookerOptions): StageBooker {
  const warned = new Set<Stage>();
  const { plan } = options;
  return async <R>(model: ModelKey, work: () => Promise<R>): Promise<R> => {
    const stage = MODEL_KEY_TABLE[model].memoryStage;
    const timeout = plan.waitTimeoutS;
    const r = stageReservation(plan.pipeline, stage, {
      capacityGb,
      overrideGb: plan.stageGb?.[stage],
      overrideTimeoutS: typeof timeout === 'number' ? timeout : timeout?.[stage],
    });
    if (r.warning && !warned.has(stage)) {
      warned.add(stage);
      options.onWarning?.(r.warning);
    }
    options.onStage?.(stage);
    const booking = await acquireReservation({
      device: plan.device,
      gb: r.gb,
      timeoutMs: r.timeoutMs,
      capacityGb,
      capacityFrom: capacityOrigin(plan.capacityGb, plan.capacityFrom),
      stage,
      description: options.describe(stage),
      signal: options.signal,
      onWait: options.onWait && ((state) => options.onWait!(stage, memoryWait(state))),
    });
    try {
      const t0 = performance.now();
      let result: R;
      try {
        result = await work();
      } catch (err) {
        if (!isAllocationFailure(err)) throw err;
        throw new OutOfMemoryError(
          stage,
          model,
          plan.device,
          r.gb,
          allocationReason(err),
          options.remedies?.(model) ?? [],
          options.frame,
        );
      } finally {
        options.onTimed?.(stage, performance.now() - t0, model);
      }
      await options.onDone?.(stage);
      return result;
    } finally {
      await booking.release();
    }
  };
}

/** What a waiting stage reports: the booking file's view, in words a person can act on. */
export function memoryWait(state: WaitState): MemoryWait {
  return {
    device: state.device,
    gb: state.requestGb,
    freeGb: Math.max(0, Math.round(state.freeGb * 100) / 100),
    position: state.position,
    holders: state.holders.map(describeHolder),
    waitedS: Math.round(state.waitedMs / 1000),
    // This runs in the worker that waits: the host can then tell its own waiter in the booking file.
    pid: process.pid,
  };
}

import type { TestModeStage, TestModeStageReport } from '../../../src-shared/api';
import { TEST_MODE_STAGES } from '../../../src-shared/api';
import type { StageCache } from './stage-cache';

interface Tally {
  ran: number;
  cached: number;
  ms: number;
  key: string;
  off?: string;
  note?: string;
}

/**
 * One test-mode run's bookkeeping over the worker's stage cache: each output asked for is looked
 * up by its key and computed only when absent, and every stage counts what it computed, what came
 * from the cache and the time it spent (its inputs' time is theirs, not its own). Within a run an
 * output is computed at most once, even if the cache had to drop it meanwhile.
 */
export class StageRun {
  private readonly tallies = new Map<TestModeStage, Tally>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: StageCache,
    private readonly signal: AbortSignal,
  ) {
    for (const s of TEST_MODE_STAGES) this.tallies.set(s, { ran: 0, cached: 0, ms: 0, key: '' });
  }

  /**
   * The output of `stage` under `key`: from this run, the cache, or `inputs()` then `work()`
   * (only `work` is timed). `sizeOf` gives the bytes the cache counts for it.
   */
  value<I, T>(
    stage: TestModeStage,
    key: string,
    inputs: () => Promise<I>,
    work: (inputs: I) => Promise<T> | T,
    sizeOf: (value: T) => number,
  ): Promise<T> {
    const known = this.memo.get(key) as Promise<T> | undefined;
    if (known) return known;
    const tally = this.tallies.get(stage)!;
    const p = this.cache
      .getOrCompute(
        key,
        async () => {
          const i = await inputs();
          this.signal.throwIfAborted();
          const t0 = performance.now();
          try {
            return await work(i);
          } finally {
            tally.ms += performance.now() - t0;
          }
        },
        sizeOf,
        this.signal,
      )
      .then(({ value, cached }) => {
        if (cached) tally.cached++;
        else tally.ran++;
        return value;
      });
    this.memo.set(key, p);
    // A failed output is not remembered: the error reaches whoever asked first.
    p.catch(() => this.memo.delete(key));
    return p;
  }

  /** Marks a stage as turned off by the config (its input passes through), with why. */
  off(stage: TestModeStage, why: string): void {
    this.tallies.get(stage)!.off = why;
  }

  /** Says which model ran a stage, or anything else worth a line beside it. */
  note(stage: TestModeStage, note: string): void {
    this.tallies.get(stage)!.note = note;
  }

  /** The key shown for a stage (the shown frame's, for per-frame stages). */
  showKey(stage: TestModeStage, key: string): void {
    this.tallies.get(stage)!.key = key.slice(0, 12);
  }

  report(): TestModeStageReport[] {
    return TEST_MODE_STAGES.map((stage) => {
      const t = this.tallies.get(stage)!;
      const status: TestModeStageReport['status'] =
        t.off !== undefined ? 'off' : t.ran === 0 ? 'cached' : t.cached === 0 ? 'ran' : 'partly cached';
      const note = t.off ?? t.note;
      return {
        stage,
        status,
        ran: t.ran,
        cached: t.cached,
        ms: Math.round(t.ms),
        key: t.key,
        ...(note ? { note } : {}),
      };
    });
  }
}

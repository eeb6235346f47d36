import type { TestModeImageName, TestModeResult } from '../../../src-shared/api';
import type { MovieJobDeps, MovieJobParams } from '../job-types';
import type { StageCache } from './stage-cache';

/** The pipelines test mode runs: those of the shared frame loop (oof_detection has no stages to try). */
export const TEST_MODE_PIPELINES = ['ASCT_focusrestore', 'ASCT_scsegm'] as const;

/** A test-mode job: what a movie job of the same config would get, for frames [start, end) of the movie. */
export interface TestModeParams extends Pick<
  MovieJobParams,
  'movie' | 'pipeline' | 'setup' | 'models' | 'tracking' | 'compute' | 'booking'
> {
  frames: [number, number];
  /** The movie frame whose images and objects come back. */
  show: number;
  images?: TestModeImageName[];
}

/** The worker's answer; the backend adds the settings it planned and its own time. */
export type TestModeOutput = Omit<TestModeResult, 'elapsedMs' | 'settings'>;

export interface TestModeDeps {
  loadRunner: MovieJobDeps['loadRunner'];
  signal: AbortSignal;
  log(level: 'info' | 'warn', message: string): void;
  cache: StageCache;
}

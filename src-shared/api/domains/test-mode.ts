import type { FrameData } from '../types';
import type { InfererOverrides, PreviewModelSettings } from './previews';
import type { RunRegistration } from './results-qc';

/**
 * Test mode (CellProfiler's "test mode", ilastik's live update): the whole pipeline of the run
 * config being edited — alignment, background correction, restoration, segmentation,
 * classification, measurements, PI classification and tracking — on a few frames of the movie in
 * the Viewer, in the backend's worker, with every stage's output to look at. The worker keeps each
 * stage's output in memory under a key made of the keys of the stage's inputs, its own settings and
 * its model file's sha256, so a changed setting re-runs only the stages it reaches.
 */
export interface TestModeApi {
  /** Aborting `signal` (a newer request supersedes this one) stops the worker job at its next step. */
  run(request: TestModeRequest, signal?: AbortSignal): Promise<TestModeResult>;
}

/** At most this many frames per test-mode run: it is for trying settings, `hitmic run` is for movies. */
export const TEST_MODE_MAX_FRAMES = 10;

/** The stages of a test-mode run, in pipeline order. */
export const TEST_MODE_STAGES = [
  'align',
  'background',
  'bf_focus',
  'fl_focus',
  'segmentation',
  'cell_classifier',
  'measure',
  'pi_classification',
  'tracking',
] as const;
export type TestModeStage = (typeof TEST_MODE_STAGES)[number];

/** How the UI names each stage. */
export const TEST_MODE_STAGE_LABELS: Readonly<Record<TestModeStage, string>> = {
  align: 'Alignment',
  background: 'Background correction',
  bf_focus: 'Restoration (bright field)',
  fl_focus: 'Restoration (PI channel)',
  segmentation: 'Segmentation',
  cell_classifier: 'Classification',
  measure: 'Measurements',
  pi_classification: 'PI classification',
  tracking: 'Tracking',
};

/** Models whose inferer settings test mode can change over the collection's. */
export const TEST_MODE_OVERRIDE_MODELS = ['bf_focus', 'fl_focus', 'segmentation'] as const;
export type TestModeOverrideModel = (typeof TEST_MODE_OVERRIDE_MODELS)[number];

export interface TestModeRequest {
  movieId: string;
  /** The run config being edited (HiTMicTools YAML, as the Config view holds it). */
  configText: string;
  /**
   * The file that text came from or goes to: its relative paths (model_collection, tracker
   * config) resolve against its folder, as `hitmic run` does; without it, the backend's folder.
   */
  configPath?: string;
  /** First movie frame of the range. */
  start: number;
  /** Frames in the range, 1 to TEST_MODE_MAX_FRAMES (alignment and BaSiC fit over them, as `--frames`). */
  count: number;
  /** The frame whose images and objects come back; default `start`. */
  show?: number;
  /** Images of the shown frame to send back; default all that exist. */
  images?: TestModeImageName[];
  /** Changes to the collection's inferer settings, per model (the collection is left alone). */
  infererOverrides?: Partial<Record<TestModeOverrideModel, InfererOverrides>>;
}

export type TestModeStatus = 'ran' | 'cached' | 'partly cached' | 'off';

/** What one stage did in this run. */
export interface TestModeStageReport {
  stage: TestModeStage;
  /** `ran`: computed now; `cached`: every output from the worker's cache; `off`: the config turns it off. */
  status: TestModeStatus;
  /** Outputs computed now (a frame's output, or the range's for alignment and tracking). */
  ran: number;
  /** Outputs taken from the cache. */
  cached: number;
  /** Time spent computing this stage now (a wait for its memory booking included), ms; 0 when all came from the cache. */
  ms: number;
  /** The first 12 hex digits of the stage's cache key (of the shown frame, for per-frame stages). */
  key: string;
  /** Why it is off, or which model ran it. */
  note?: string;
}

export type TestModeImageName =
  'prepared_bf' | 'prepared_fl' | 'restored_bf' | 'restored_fl' | 'probability' | 'labels';

export const TEST_MODE_IMAGE_LABELS: Readonly<Record<TestModeImageName, string>> = {
  prepared_bf: 'Bright field, aligned and corrected',
  prepared_fl: 'PI channel, aligned and corrected',
  restored_bf: 'Restored bright field',
  restored_fl: 'Restored PI channel',
  probability: 'Cell probability',
  labels: 'Labels',
};

/** One stage output of the shown frame, in the analysis frame (placed in the movie by `registration`). */
export interface TestModeImage {
  name: TestModeImageName;
  stage: TestModeStage;
  /** `labels`: uint16 object ids; `image`: float32 values. */
  kind: 'image' | 'labels';
  frame: FrameData;
}

/**
 * The shown frame's objects, one row each in label order: the `_fl.csv` numbers as columns
 * (`label`, `area`, `centroid_0`, …, `class_prob`, `pi_prob`, `trackid`, `parent_track_id`;
 * NaN where a stage did not give one) and the class names as strings.
 */
export interface TestModeObjects {
  columns: Record<string, Float64Array>;
  objectClass: string[];
  piClass: string[];
}

/** Every object of the range with its track, centroids in movie pixels (registration applied). */
export interface TestModeTracks {
  frame: Int32Array;
  label: Int32Array;
  trackId: Int32Array;
  parentTrackId: Int32Array;
  x: Float64Array;
  y: Float64Array;
}

export interface TestModeCacheInfo {
  /** Bytes the worker's stage cache holds now, and its budget ($HITMIC_TEST_MODE_CACHE_MB). */
  usedBytes: number;
  budgetBytes: number;
  entries: number;
  /** Outputs dropped so far to stay within the budget (least recently used first). */
  evictions: number;
}

export interface TestModeResult {
  pipeline: string;
  /** The movie frames analysed, in order. */
  frames: number[];
  /** The frame of `images` and `objects`. */
  show: number;
  /** The analysis frame's size: the aligned crop, or the movie's frame when not aligning. */
  width: number;
  height: number;
  /** Where the analysis frame lies in the movie, frame by frame (the layers' translate). */
  registration: RunRegistration;
  stages: TestModeStageReport[];
  images: TestModeImage[];
  objects: TestModeObjects;
  /** Null when the config does not track. */
  tracks: TestModeTracks | null;
  /** Inferer settings each tiled model ran with (after overrides). */
  settings: Partial<Record<TestModeOverrideModel, PreviewModelSettings>>;
  cache: TestModeCacheInfo;
  warnings: string[];
  /** Request to result, in the backend. */
  elapsedMs: number;
  provider: string;
}

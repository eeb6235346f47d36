/**
 * Data shapes of the HitmicApi contract. Kept free of Node and DOM types so both sides share them.
 * Domain folders may define richer types; these are what crosses the boundary.
 */

export type ShellKind = 'electron' | 'serve';

export interface AppInfo {
  name: string;
  version: string;
  shell: ShellKind;
  platform: string;
  arch: string;
  nodeVersion: string;
  /** Short description of the compute device the backend will use, e.g. "CPU (2 cores, 24 GB)". */
  device: string;
}

export interface WorkerProbe {
  pid: number;
  /** How the worker was started: Electron utilityProcess or child_process.fork. */
  host: 'utilityProcess' | 'fork';
  uptimeMs: number;
}

import type { PixelArray } from '../io';
export type { PixelArray };

/* ---------- collections ---------- */
export interface CollectionSummary {
  id: string;
  name: string;
  version?: string;
  created?: string;
  sizeBytes: number;
  layout: 'hitmictools-bundle' | 'per-model-folders';
  modelKeys: string[];
  verified?: boolean;
  /** Where the ZIP came from (file name or path). */
  source?: string;
  /** The extracted collection folder in the library (what a config's model_collection may point at). */
  path: string;
  sha256?: string;
}

/** What `hitmic collection inspect` reports; one shape for the CLI and the Collections view. */
export type {
  InspectReport as CollectionInspection,
  ModelReport,
  VerifyReport,
  CollectionProblem,
  TensorInfo,
} from '../collections';

/* ---------- config ---------- */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  path: string;
  line: number;
  column: number;
  fix?: string;
}

export interface ValidationReport {
  ok: boolean;
  diagnostics: Diagnostic[];
}

/** Which model collection a saved config points at, and whether it is still there. */
export interface ConfigUsage {
  path: string;
  /** The config file could not be read or parsed: why. */
  unreadable?: string;
  /** `models.model_collection`, resolved against the config's folder; absent when it names none. */
  collection?: string;
  /** The collection it points at is gone (e.g. removed from the library): the config will not run. */
  collectionMissing: boolean;
}

/* ---------- movies ---------- */
/**
 * A movie opened through the API: the id later frame requests name, its file, size and calibration.
 * (The pixel source's own shape and dtype are `MovieInfo` in src-shared/io.)
 */
export interface OpenedMovie {
  id: string;
  path: string;
  name: string;
  width: number;
  height: number;
  frames: number;
  channels: number;
  slices: number;
  dtype: string;
  pixelSizeUm?: number;
  frameIntervalS?: number;
  /**
   * Time of each frame from the start, seconds (OME DeltaT where the file has it, else frame ×
   * frameIntervalS); absent when the file says nothing about time.
   */
  frameTimestampsS?: number[];
  /** Channel names from the file's metadata (OME Channel Name, ImageJ labels), one per channel. */
  channelNames?: string[];
}

export interface FrameRequest {
  movieId: string;
  frame: number;
  channel: number;
}

/** Contrast limits for one channel of a whole movie, from a sample of its frames. */
export interface ContrastRequest {
  movieId: string;
  channel: number;
  /** How many frames to sample, evenly spread, first and last included (default 10; all when fewer). */
  samples?: number;
}

/**
 * A channel's values over a sample of frames: what the Viewer's whole-movie contrast and its
 * histogram are made of. Computed on the movie's reader thread, off the backend's event loop.
 */
export interface ChannelContrastStats {
  channel: number;
  /** Movie frames whose pixels were counted. */
  frames: number[];
  /** Finite values counted. */
  pixels: number;
  /** Finite data range of the sample. */
  min: number;
  max: number;
  /** 1 % and 99.8 % of the sample: the whole-movie contrast (the per-frame auto uses the same). */
  auto: { min: number; max: number };
  /** Equal bins over [from, to); values below `from` and at or above `to` counted apart. */
  histogram: { from: number; to: number; counts: number[]; below: number; above: number };
}

export interface FrameData {
  width: number;
  height: number;
  dtype: string;
  data: PixelArray;
}

/* ---------- runs ---------- */
export interface RunRequest {
  configPath?: string;
  configText?: string;
  inputs?: string[];
  outputDir?: string;
  /** Frames [start, end) only. */
  frames?: [number, number];
  /** Analyse movies again even when their results exist (`hitmic run --force`). */
  force?: boolean;
}

export type RunState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A model stage waiting for its memory booking: on which device, behind whom. */
export interface MemoryWait {
  device: string;
  /** What the stage asks for, GB. */
  gb: number;
  /** Free on the device's booking file now (capacity − booked), GB. */
  freeGb: number;
  /** Place in the queue, 1 = next. */
  position: number;
  /** Who holds the memory, e.g. `pid 123 ("segmentation of pos01, frame 3")`. */
  holders: string[];
  waitedS: number;
  /** The process that waits (the movie's worker). */
  pid?: number;
}

/** A worker's memory as its job last read it. */
export interface WorkerMemory {
  pid: number;
  rssMb: number;
  /** GPU memory used on the job's device, MB; absent on the CPU. */
  vramMb?: number;
}

export interface RunSummary {
  id: string;
  state: RunState;
  movies: {
    file: string;
    /** Full path of the movie, once known. */ path?: string;
    state: RunState;
    stage?: string;
    done: number;
    total: number;
    etaS?: number;
    /** Set while the movie's current stage waits for its memory. */
    waiting?: MemoryWait;
    memory?: WorkerMemory;
  }[];
  outputDir?: string;
  startedAt?: string;
  error?: string;
  /** The config it runs. */
  configPath?: string;
  /** Movies left out because their results exist (start again with `force` to redo them). */
  skipped?: string[];
}

export interface RunProgressEvent {
  runId: string;
  movie: string;
  stage: string;
  done: number;
  total: number;
  etaS?: number;
  waiting?: MemoryWait;
  memory?: WorkerMemory;
}

export interface LogEvent {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  time: string;
  source?: string;
}

/* ---------- resources ---------- */
export interface DeviceInfo {
  /** Booking-file device name: `cpu`, `mps`, `cuda_0`, … */
  id: string;
  kind: 'cpu' | 'cuda' | 'mps';
  name: string;
  totalGb: number;
  usedGb: number;
  freeGb: number;
  /** What this app may book (a cap from settings/env may lower it below totalGb). */
  capacityGb: number | null;
  bookedGb: number;
}

export interface BookingHolder {
  key: string;
  pid: number;
  host: string;
  app: string;
  memoryGb: number;
  /** Epoch milliseconds. */
  sinceMs: number;
  description: string;
  stage: string;
  /** Its process is gone; the next acquirer removes the entry. */
  gone: boolean;
  /** Program and user of the process, when the backend's machine can tell (`hitmic run`, `ana`). */
  command?: string;
  user?: string;
  /** It is this backend's own (a run it started, the Viewer's worker): it can be cancelled here. */
  own?: boolean;
}

export interface BookingWaiter {
  position: number;
  pid: number;
  host: string;
  memoryGb: number;
  sinceMs: number;
  description: string;
  stage: string;
  /** Why it waits: which capacity, how much of it is booked and by whom, or whom it queues behind. */
  reason?: string;
  /** The capacity it books against and what set it (`--capacity-gb`, …), when it recorded them. */
  capacityGb?: number;
  capacityFrom?: string;
  command?: string;
  user?: string;
  own?: boolean;
}

export interface BookingsSnapshot {
  device: string;
  bookingFile: string;
  capacityGb: number | null;
  bookedGb: number;
  holders: BookingHolder[];
  waiters: BookingWaiter[];
  problems: string[];
}

export interface MemoryPoint {
  atMs: number;
  ramUsedGb: number;
  ramFreeGb: number;
  /** Resident memory of the backend and each worker process, in MB, by label. */
  processesMb: Record<string, number | null>;
  /** GB booked on each device's booking file (by everyone) at that time. */
  bookedGb?: Record<string, number>;
}

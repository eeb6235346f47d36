import type {
  AppInfo,
  BookingsSnapshot,
  CollectionInspection,
  ConfigUsage,
  CollectionSummary,
  DeviceInfo,
  FrameData,
  FrameRequest,
  ChannelContrastStats,
  ContrastRequest,
  LogEvent,
  MemoryPoint,
  OpenedMovie,
  RunProgressEvent,
  RunRequest,
  RunSummary,
  ValidationReport,
  VerifyReport,
  WorkerProbe,
} from './types';
import type { ClusterApi } from './domains/cluster-jobs';
import type { PreviewsApi } from './domains/previews';
import type { QcApi, ResultsApi } from './domains/results-qc';
import type { DemoApi, RunRecord } from './domains/first-run';
import type { TestModeApi } from './domains/test-mode';

export type { ClusterApi, DemoApi, PreviewsApi, QcApi, ResultsApi, TestModeApi };

/**
 * The HitmicApi: one typed interface per domain (VS Code style). Every method returns a Promise
 * and may reject with an ApiError. The renderer only ever sees this; the Electron shell binds it
 * to IPC, `hitmic serve` to a WebSocket, and both call the same backend object.
 *
 * Long calls take a cancellation token as their last argument (VS Code's CancellationToken; here
 * an AbortSignal): aborting it rejects the call with CANCELLED at once and stops the work behind
 * it — a superseded preview stops its worker job. CANCELLABLE_METHODS lists them.
 */
export interface AppApi {
  info(): Promise<AppInfo>;
  /** Round trip through the backend; returns what it was given and the backend's clock. */
  echo(message: string): Promise<{ message: string; receivedAt: string }>;
}

/** Diagnostics of the worker processes that host inference. */
export interface WorkersApi {
  /** Starts (or reuses) a worker and asks it for its pid. */
  probe(): Promise<WorkerProbe>;
  /** Keeps a worker busy for `ms`; used to show that a killed worker fails the call, not the app. */
  sleep(ms: number): Promise<WorkerProbe>;
}

export interface CollectionsApi {
  list(): Promise<CollectionSummary[]>;
  /** Imports a ZIP or folder from a path on the backend's machine (dropped file, dialog). */
  importPath(path: string): Promise<CollectionSummary>;
  inspect(id: string): Promise<CollectionInspection>;
  /** Checks every checksum and re-runs the test tensors in a worker. */
  verify(id: string, signal?: AbortSignal): Promise<VerifyReport>;
  remove(id: string): Promise<void>;
}

export interface ConfigApi {
  validate(text: string, options?: { filePath?: string; strict?: boolean }): Promise<ValidationReport>;
  load(path: string): Promise<{ path: string; text: string; report: ValidationReport }>;
  save(path: string, text: string): Promise<{ path: string }>;
  template(options: { pipeline?: string; collectionId?: string }): Promise<{ text: string }>;
  /** The collection each saved config points at and whether it still exists (configs flagged after a Remove). */
  usage(paths: string[]): Promise<ConfigUsage[]>;
}

export interface MoviesApi {
  open(path: string): Promise<OpenedMovie>;
  frame(request: FrameRequest, signal?: AbortSignal): Promise<FrameData>;
  close(movieId: string): Promise<void>;
  /**
   * Contrast limits of a channel for the whole movie from a sample of its frames (1–99.8 %), with
   * a histogram to draw; decoded and counted on the movie's reader thread.
   */
  contrast(request: ContrastRequest, signal?: AbortSignal): Promise<ChannelContrastStats>;
}

export interface RunsApi {
  start(request: RunRequest): Promise<RunSummary>;
  list(): Promise<RunSummary[]>;
  cancel(runId: string): Promise<void>;
  /** Runs found on disk in the output folders remembered across restarts, newest first. */
  history(): Promise<RunRecord[]>;
  /** Stops listing an output folder (its files stay). */
  forget(outputDir: string): Promise<void>;
  /** Lists a run folder made elsewhere (`hitmic run` in a terminal) from now on; refused when it holds no results. */
  addFolder(outputDir: string): Promise<RunRecord>;
}

export interface ResourcesApi {
  devices(): Promise<DeviceInfo[]>;
  /** Holders and waiters per device (all devices with a booking file, or the one named). */
  bookings(device?: string): Promise<BookingsSnapshot[]>;
  /** RAM and per-process resident memory over the last minutes, oldest first. */
  memory(): Promise<MemoryPoint[]>;
  /**
   * Stops what holds or waits for memory under `pid` when it is this backend's own (a run's
   * worker: the run is cancelled; the Viewer's worker: it is stopped). Others' are refused.
   */
  cancelHolder(pid: number): Promise<{ stopped: string }>;
}

export interface HitmicApi {
  app: AppApi;
  workers: WorkersApi;
  collections: CollectionsApi;
  config: ConfigApi;
  movies: MoviesApi;
  previews: PreviewsApi;
  testMode: TestModeApi;
  runs: RunsApi;
  results: ResultsApi;
  qc: QcApi;
  resources: ResourcesApi;
  demo: DemoApi;
  cluster: ClusterApi;
}

/** Events the backend pushes; subscribe through the transport. */
export interface HitmicEvents {
  'run.progress': RunProgressEvent;
  'run.state': RunSummary;
  log: LogEvent;
  'bookings.changed': BookingsSnapshot;
  /** A command from the desktop app's menu (the browser has none). */
  'menu.command': { command: MenuCommand };
}

export type MenuCommand = 'about' | 'open-movie' | 'import-collection';

export type HitmicEventName = keyof HitmicEvents;
export type HitmicDomain = keyof HitmicApi;

/**
 * The runtime list of every method, so generic proxies (preload, WebSocket client) and the
 * backend router can be built without hand-written channel strings. A test checks it matches
 * the interfaces above.
 */
export const API_METHODS = {
  app: ['info', 'echo'],
  workers: ['probe', 'sleep'],
  collections: ['list', 'importPath', 'inspect', 'verify', 'remove'],
  config: ['validate', 'load', 'save', 'template', 'usage'],
  movies: ['open', 'frame', 'close', 'contrast'],
  previews: ['run'],
  testMode: ['run'],
  runs: ['start', 'list', 'cancel', 'history', 'forget', 'addFolder'],
  results: ['cells', 'summary', 'registration', 'lineage', 'tracks'],
  qc: ['crops', 'relabel', 'exportCorrections'],
  resources: ['devices', 'bookings', 'memory', 'cancelHolder'],
  demo: ['prepare'],
  cluster: ['available', 'submit', 'status', 'retry', 'collect'],
} as const satisfies { [D in HitmicDomain]: readonly (keyof HitmicApi[D])[] };

export const API_EVENTS: readonly HitmicEventName[] = [
  'run.progress',
  'run.state',
  'log',
  'bookings.changed',
  'menu.command',
];

/**
 * The methods that take a cancellation token, and the position of that argument. The transports
 * carry the token as a call id plus a `cancel` message; the backend's router hands the method a
 * fresh AbortSignal in that position.
 */
export const CANCELLABLE_METHODS: { readonly [D in HitmicDomain]?: { readonly [method: string]: number } } = {
  collections: { verify: 1 },
  movies: { frame: 1, contrast: 1 },
  previews: { run: 1 },
  testMode: { run: 1 },
};

/** Position of the cancellation token of `domain.method`, or undefined when it takes none. */
export function cancellationArgument(domain: string, method: string): number | undefined {
  const methods = (CANCELLABLE_METHODS as Record<string, Record<string, number> | undefined>)[domain];
  return methods && Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
}

export function isApiMethod(domain: string, method: string): domain is HitmicDomain {
  if (!Object.prototype.hasOwnProperty.call(API_METHODS, domain)) return false;
  const methods = (API_METHODS as Record<string, readonly string[]>)[domain];
  return methods.includes(method);
}

import type { CollectionSummary, RunState } from '../types';

/**
 * What a newcomer needs to get going, and what stays from one start to the next: the bundled demo
 * set up in one call, and the runs found on disk in the output folders the app remembers.
 */

/** The demo, ready to run: its collection in the library, its movie, and a saved config. */
export interface DemoSetup {
  collection: CollectionSummary;
  /** The collection was already in the library (nothing was copied). */
  collectionReused: boolean;
  /** The bundled demo movie (open it in the Viewer). */
  moviePath: string;
  /** The demo's config, written from the template with the demo's paths filled in. */
  configPath: string;
  configText: string;
  /** Where a run of that config writes. */
  outputDir: string;
  /** Frames of the demo movie. */
  frames: number;
}

export interface DemoApi {
  /**
   * Imports the bundled demo collection into the library (once), writes the demo's config next
   * to its output folder (`$HITMIC_DEMO_DIR`, else `~/hitmic-demo`) and says where everything is.
   */
  prepare(): Promise<DemoSetup>;
}

/** A movie a run left in its output folder. */
export interface RunRecordMovie {
  /** `{movie}` of `{movie}_fl.csv`. */
  name: string;
  /** Its tables are complete (both `_fl.csv` and `_summary.csv`). */
  analysed: boolean;
  /** The raw movie it was made from, when the run recorded it. */
  moviePath?: string;
  frames?: number;
  objects?: number;
  tracks?: number;
  writtenAt?: string;
}

/**
 * A run found on disk: an output folder the app remembers (every run started here is
 * remembered, across restarts) and what is in it now.
 */
export interface RunRecord {
  outputDir: string;
  /** The config it ran, and whether that file is still there (Re-run needs it). */
  configPath?: string;
  configExists: boolean;
  /**
   * How the last run into this folder ended: `running` only while this backend runs it;
   * a run that HiTMic Studio stopped without finishing is `cancelled` or `failed`, with `error`.
   */
  state: RunState;
  error?: string;
  startedAt?: string;
  endedAt?: string;
  /** This backend's id of the run going on now (runs.cancel takes it). */
  liveRunId?: string;
  folderExists: boolean;
  movies: RunRecordMovie[];
}

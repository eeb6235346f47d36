import fs from 'node:fs';
import { movieOfRunFile } from '../../src-shared/results';
import { RunFolder } from './run-folder';

/** One movie found in a run's output folder. */
export interface MovieOnDisk {
  /** The movie's name: the prefix of `{movie}_fl.csv`. */
  name: string;
  /** Both `_fl.csv` and `_summary.csv` are there (HiTMicTools' rule for "done"). */
  analysed: boolean;
  /** The raw movie the run read (from `_run.json`). */
  moviePath?: string;
  /** Frames analysed, objects and tracks found (from `_run.json`). */
  frames?: number;
  objects?: number;
  tracks?: number;
  /** When the run finished this movie (ISO time from `_run.json`). */
  writtenAt?: string;
  /** The config that ran it (from `_run.json`). */
  configFile?: string;
}

/** What an output folder holds: each movie's results, newest first. */
export interface RunFolderListing {
  dir: string;
  exists: boolean;
  movies: MovieOnDisk[];
}

interface RunJson {
  movie?: unknown;
  frames?: unknown;
  objects?: unknown;
  tracks?: unknown;
  written_at?: unknown;
  config_file?: unknown;
}

function readRunJson(file: string): RunJson {
  try {
    const j: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof j === 'object' && j !== null && !Array.isArray(j) ? (j as RunJson) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The movies a run left in `dir`: every `{movie}_fl.csv` or `{movie}_run.json`, with what its
 * `_run.json` says (movie file, frames, objects, tracks, when, which config). Movies without an
 * `_fl.csv` are listed as not analysed (a run stopped before their tables were written).
 */
export function listRunFolder(dir: string): RunFolderListing {
  const folder = new RunFolder(dir);
  let names: string[];
  try {
    names = fs.readdirSync(folder.dir);
  } catch {
    return { dir: folder.dir, exists: false, movies: [] };
  }
  const movies = new Set<string>();
  for (const f of names) {
    const m = movieOfRunFile(f, 'cells') ?? movieOfRunFile(f, 'run');
    if (m !== null) movies.add(m);
  }
  const listed = [...movies].map((name): MovieOnDisk => {
    const j = readRunJson(folder.file(name, 'run'));
    return {
      name,
      analysed: folder.isAnalysed(name),
      moviePath: str(j.movie),
      frames: Array.isArray(j.frames) ? j.frames.length : undefined,
      objects: num(j.objects),
      tracks: num(j.tracks),
      writtenAt: str(j.written_at),
      configFile: str(j.config_file),
    };
  });
  listed.sort((a, b) => (b.writtenAt ?? '').localeCompare(a.writtenAt ?? '') || a.name.localeCompare(b.name));
  return { dir: folder.dir, exists: true, movies: listed };
}

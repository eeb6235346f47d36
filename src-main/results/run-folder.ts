import fs from 'node:fs';
import path from 'node:path';
import { COMPLETION_FILES, movieOfRunFile, runFileName, type RunFileKind } from '../../src-shared/results';
import { ResultsError } from './errors';

/**
 * A run's output folder: where each movie's files lie (names from src-shared/results/run-files.ts)
 * and which movies are done. Used by the pipeline that writes them, by `hitmic run` to skip
 * finished movies, and by Results and QC to read them back.
 */
export class RunFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** The path of one of a movie's files. */
  file(movie: string, kind: RunFileKind): string {
    return path.join(this.dir, runFileName(movie, kind));
  }

  /** Whether the movie is analysed: HiTMicTools' rule, both `_summary.csv` and `_fl.csv` exist. */
  isAnalysed(movie: string): boolean {
    return COMPLETION_FILES.every((kind) => fs.existsSync(this.file(movie, kind)));
  }

  /**
   * Removes what a killed writer left of this movie's outputs: `{movie}_….partial-<pid>-…` files
   * whose process is gone (a live writer's files stay). Returns the files removed.
   */
  removeStalePartials(movie: string): string[] {
    if (!fs.existsSync(this.dir)) return [];
    const removed: string[] = [];
    for (const f of fs.readdirSync(this.dir)) {
      const m = /\.partial-(\d+)-[0-9a-f]+$/.exec(f);
      if (!m || !f.startsWith(`${movie}_`) || processAlive(Number(m[1]))) continue;
      fs.rmSync(path.join(this.dir, f), { force: true });
      removed.push(f);
    }
    return removed;
  }

  /** Movies with a per-cell table here, sorted by name. */
  movies(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .map((f) => movieOfRunFile(f, 'cells'))
      .filter((m): m is string => m !== null)
      .sort();
  }
}

/** One analysed movie's files in a run folder, as Results and QC are asked for them. */
export interface MovieResults {
  folder: RunFolder;
  movie: string;
  file(kind: RunFileKind): string;
}

/**
 * Checks a (folder, movie) pair that came from a caller — the folder must exist, the movie must
 * be a bare name (no folders, so no path escapes the folder) — and returns its files.
 */
export function movieResults(outputDir: unknown, movie: unknown): MovieResults {
  if (typeof outputDir !== 'string' || outputDir.trim() === '') {
    throw new ResultsError('bad-input', 'outputDir must be the path of a run output folder', {
      field: 'outputDir',
    });
  }
  if (
    typeof movie !== 'string' ||
    movie.trim() === '' ||
    /[\\/]/.test(movie) ||
    movie === '.' ||
    movie === '..'
  ) {
    throw new ResultsError(
      'bad-input',
      'movie must be a movie name (the prefix of {movie}_fl.csv), without folders',
      {
        field: 'movie',
        actual: movie,
        fix: 'Type the name only, e.g. demo_movie for demo_movie_fl.csv',
      },
    );
  }
  const folder = new RunFolder(outputDir);
  if (!fs.existsSync(folder.dir) || !fs.statSync(folder.dir).isDirectory()) {
    throw new ResultsError('not-found', `No output folder at ${folder.dir}`, {
      file: folder.dir,
      fix: 'Type the folder the run wrote its results to',
    });
  }
  return { folder, movie, file: (kind) => folder.file(movie, kind) };
}

/** The error for a file of the movie that is missing, naming the movies that are there. */
export function missingFile(results: MovieResults, kind: RunFileKind, what: string): ResultsError {
  const found = results.folder.movies();
  const file = results.file(kind);
  return new ResultsError('not-found', `No ${what} for movie "${results.movie}": ${file} does not exist`, {
    file,
    moviesHere: found,
    fix: found.length
      ? `Movies with results in this folder: ${found.join(', ')}`
      : 'This folder holds no {movie}_fl.csv; pick the run output folder',
  });
}

/** Whether a process with this pid exists (another user's process counts: EPERM). */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

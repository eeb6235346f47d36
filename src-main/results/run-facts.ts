import fs from 'node:fs';
import type { RunRegistration } from '../../src-shared/api';
import { readRegistration } from '../../src-shared/results';
import { missingFile, type MovieResults } from './run-folder';

/** What Results, QC and the Viewer need from a movie's `_run.json`. */
export interface RunFacts {
  /** Movie frames analysed, in the order of the labels stack's planes. */
  frames?: number[];
  /** The raw movie the run read. */
  movie?: string;
  referenceChannel: number;
  /** Where the run's analysis frame lies in the movie, frame by frame (`exact: false` when not recorded). */
  registration: RunRegistration;
}

/** Facts of the run that wrote the movie's results; defaults when run.json is absent or unreadable. */
export function readRunFacts(results: MovieResults): RunFacts {
  const file = results.file('run');
  if (!fs.existsSync(file)) return { referenceChannel: 0, registration: readRegistration(undefined) };
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      frames?: unknown;
      movie?: unknown;
      config?: { pipeline_setup?: { reference_channel?: unknown } };
    };
    const ref = j.config?.pipeline_setup?.reference_channel;
    return {
      frames:
        Array.isArray(j.frames) && j.frames.every((f) => typeof f === 'number')
          ? (j.frames as number[])
          : undefined,
      movie: typeof j.movie === 'string' ? j.movie : undefined,
      referenceChannel: typeof ref === 'number' ? ref : 0,
      registration: readRegistration(j),
    };
  } catch {
    return { referenceChannel: 0, registration: readRegistration(undefined) };
  }
}

/**
 * Where a movie's analysis frame lies in the movie (run.json's `registration`, or what an older
 * run.json allows). Rejects when the folder holds neither results nor run.json for the movie.
 */
export function movieRegistration(results: MovieResults): RunRegistration {
  if (!fs.existsSync(results.file('run')) && !fs.existsSync(results.file('cells')))
    throw missingFile(results, 'run', 'results');
  return readRunFacts(results).registration;
}

import fs from 'node:fs';
import type { MovieResults } from './run-folder';

/** What Results and QC need from a movie's `_run.json`. */
export interface RunFacts {
  /** Movie frames analysed, in the order of the labels stack's planes. */
  frames?: number[];
  /** The raw movie the run read. */
  movie?: string;
  referenceChannel: number;
}

/** Facts of the run that wrote the movie's results; defaults when run.json is absent or unreadable. */
export function readRunFacts(results: MovieResults): RunFacts {
  const file = results.file('run');
  if (!fs.existsSync(file)) return { referenceChannel: 0 };
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
    };
  } catch {
    return { referenceChannel: 0 };
  }
}

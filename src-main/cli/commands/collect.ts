import path from 'node:path';
import { collectBatch } from '../../cluster';
import { parseArgs } from '../args';
import { CliError, type CliCommand } from '../command';

const USAGE = `Usage: hitmic collect OUTPUT_DIR [--json]

Writes the batch summary of a run output folder: every movie with results there and every movie
of its Slurm submissions (hitmic submit; a retry supersedes what it retried), their state,
frames, objects and tracks, and each failure with its error. Files, each complete or not at all:
  OUTPUT_DIR/batch_summary.json   {counts, objects, movies:[…], failures:[{movie, job, task, error}]}
  OUTPUT_DIR/batch_summary.csv    one row per movie (movie, state, frames, objects, tracks, job,
                                  task, file, error), safe to open in a spreadsheet
Slurm is asked about movies still waiting or running. Exit status 1 when a movie failed.

Options:
  --json   print the summary as JSON
`;

export const collectCommand: CliCommand = {
  name: 'collect',
  summary: 'write the batch summary of an output folder (movies, objects, failures)',
  usage: USAGE,
  async run(argv, io) {
    const { options, positionals } = parseArgs(argv, { json: { type: 'boolean' } }, 'collect');
    if (positionals.length !== 1)
      throw new CliError("'collect' needs exactly one OUTPUT_DIR (see 'hitmic collect --help')");
    const s = await collectBatch(path.resolve(io.cwd, positionals[0]), io.env);
    if (options.json) io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    else {
      const c = s.counts;
      io.stdout.write(
        `${c.movies} movie(s): ${c.complete} complete (${s.objects} objects), ${c.failed} failed, ` +
          `${c.missing} missing, ${c.running} running, ${c.pending} pending${c.unknown ? `, ${c.unknown} unknown` : ''}\n`,
      );
      for (const f of s.failures)
        io.stdout.write(`✗ ${f.movie}${f.job ? ` (job ${f.job}, task ${f.task})` : ''}: ${f.error}\n`);
      io.stdout.write(`Summary: ${s.files.json}\n         ${s.files.csv}\n`);
    }
    return s.failures.length ? 1 : 0;
  },
};

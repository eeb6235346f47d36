import path from 'node:path';
import { ConfigInvalidError } from '../../config';
import { runConfig, type RunReport } from '../../runs';
import { numberOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';
import { progressReporter } from '../progress';

const USAGE = `Usage: hitmic run CONFIG.yml [--input FILE]... [--output DIR] [--frames A:B] [--force] [--json]

Runs a HiTMicTools run config (ASCT_focusrestore) over its movies: restoration, segmentation,
classification, measurements, tracking and PI classification, one movie per worker process.
Movies come from input_data (input_folder + file_pattern + file_type, as HiTMicTools selects
them) unless --input names them. Movies whose _fl.csv and _summary.csv exist are skipped.

Outputs per movie, in the output folder: {movie}_fl.csv, {movie}_summary.csv,
{movie}_labels.tif (instance labels, when export_labelled_masks), {movie}_run.json.

Options:
  --input FILE     analyse this movie (repeatable) instead of the config's selection
  --worklist W.txt movies listed one per line (HiTMicTools' -w), filtered by the pattern
  --output DIR     output folder (default: input_data.output_folder)
  --frames A:B     only frames A (inclusive) to B (exclusive), e.g. 0:5
  --workers N      worker processes (default: pipeline_setup.num_workers when parallel)
  --restored       also write {movie}_restored.tif (float32, BF and FL)
  --force          analyse movies that were already analysed
  --capacity-gb C  cap on the memory this run books (see 'hitmic reserve'); also the
                   config key pipeline_setup.capacity_gb and $HITMIC_CAPACITY_GB
  --library DIR    collection library for ZIP collections (default: $HITMIC_LIBRARY)
  --json           print {movies:[{file, frames, objects, tracks, outputs, timings_ms, warnings}]}
`;

export function parseFrames(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(String(v));
  if (!m || Number(m[2]) <= Number(m[1]))
    throw new CliError(`--frames must look like A:B with A < B (e.g. 0:5), got '${String(v)}'`);
  return [Number(m[1]), Number(m[2])];
}

export function printRunReport(report: RunReport, io: CliIo, json: boolean): number {
  const failed = report.movies.filter((m) => !m.ok);
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ pipeline: report.pipeline, outputDir: report.outputDir, skipped: report.skipped, warnings: report.warnings, movies: report.movies }, null, 2)}\n`,
    );
  } else {
    for (const w of report.warnings) io.stderr.write(`warning: ${w}\n`);
    for (const m of report.movies) {
      if (!m.ok) {
        io.stdout.write(`✗ ${path.basename(m.file)}: ${m.error}\n`);
        continue;
      }
      io.stdout.write(
        `✓ ${path.basename(m.file)}: ${m.frames} frames, ${m.objects} objects, ${m.tracks} tracks (${Math.round(Object.values(m.timings_ms ?? {}).reduce((a, b) => a + b, 0) / 1000)} s, ${m.provider})\n`,
      );
      for (const [k, v] of Object.entries(m.outputs ?? {})) io.stdout.write(`    ${k.padEnd(9)} ${v}\n`);
      for (const w of m.warnings ?? []) io.stdout.write(`    note: ${w}\n`);
    }
    if (report.skipped.length)
      io.stdout.write(
        `${report.skipped.length} movie(s) already analysed were skipped (use --force to redo them).\n`,
      );
    io.stdout.write(
      `${report.movies.length - failed.length} of ${report.movies.length} movie(s) analysed; results in ${report.outputDir}\n`,
    );
  }
  return failed.length ? 1 : 0;
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a pipeline config (HiTMicTools YAML) over its input movies',
  usage: USAGE,
  async run(argv, io) {
    const { options, positionals } = parseArgs(
      argv,
      {
        input: { type: 'list' },
        worklist: { type: 'string', short: 'w' },
        output: { type: 'string' },
        frames: { type: 'string' },
        workers: { type: 'string' },
        restored: { type: 'boolean' },
        force: { type: 'boolean' },
        'capacity-gb': { type: 'string' },
        library: { type: 'string' },
        json: { type: 'boolean' },
      },
      'run',
    );
    if (positionals.length !== 1)
      throw new CliError("'run' needs exactly one CONFIG.yml (see 'hitmic run --help')");
    const progress = progressReporter(io);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const report = await runConfig({
        configPath: path.resolve(io.cwd, positionals[0]),
        inputs: (options.input as string[] | undefined)?.map((f) => path.resolve(io.cwd, f)),
        outputDir: options.output ? path.resolve(io.cwd, String(options.output)) : undefined,
        frames: parseFrames(options.frames),
        numWorkers: numberOption(options.workers, 'workers', { integer: true, min: 1 }),
        capacityGb: numberOption(options['capacity-gb'], 'capacity-gb', { min: 0 }),
        exportRestored: Boolean(options.restored),
        force: Boolean(options.force),
        worklist: options.worklist ? path.resolve(io.cwd, String(options.worklist)) : undefined,
        libraryDir: options.library as string | undefined,
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
        onLog: (level, message) => {
          if (level !== 'info' || !options.json)
            io.stderr.write(`${level === 'info' ? '' : `${level}: `}${message}\n`);
        },
      });
      progress.done();
      return printRunReport(report, io, Boolean(options.json));
    } catch (err) {
      progress.done();
      if (err instanceof ConfigInvalidError) {
        io.stderr.write(`${err.lines.join('\n')}\n`);
        if (options.json)
          io.stdout.write(`${JSON.stringify({ config: err.file, ok: false, errors: err.lines }, null, 2)}\n`);
        throw new CliError(
          `the config ${err.file} has ${err.lines.length} error(s); fix them and run again (see 'hitmic config validate')`,
          1,
        );
      }
      throw err;
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  },
};

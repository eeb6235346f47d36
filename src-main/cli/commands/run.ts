import path from 'node:path';
import { COMPUTE_DEVICE_HELP, MEMORY_STAGES, parseComputeDevice } from '../../../src-shared/config';
import { ConfigInvalidError } from '../../config';
import { RUNNABLE_PIPELINES } from '../../pipeline';
import type { Stage } from '../../resources';
import { runConfig, type RunReport } from '../../runs';
import { numberOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';
import { progressReporter } from '../progress';

const USAGE = `Usage: hitmic run CONFIG.yml [--input FILE]... [--output DIR] [--frames A:B] [--force] [--json]

Runs a HiTMicTools run config over its movies, one movie per worker process. Pipelines:
${RUNNABLE_PIPELINES.join(', ')} (HiTMicTools' others are recognised and refused).
ASCT_focusrestore: restoration, segmentation, classification, measurements, tracking and PI
classification; ASCT_scsegm: the same with one instance segmenter; oof_detection: out-of-focus
QC of the first frame. Movies come from input_data (input_folder + file_pattern + file_type, as
HiTMicTools selects them) unless --input names them. Movies whose _fl.csv and _summary.csv exist
are skipped (named with --input too) unless --force.

Outputs per movie, in the output folder, published together when the movie is done:
{movie}_fl.csv, {movie}_summary.csv, {movie}_labels.tif (instance labels, when
export_labelled_masks), {movie}_run.json; oof_detection: {movie}_oof_summary.csv, {movie}_run.json.
Each model stage books its memory on the device's booking file while it runs; a stage that waits
says for what and behind whom.

Options:
  --input FILE     analyse this movie (repeatable) instead of the config's selection
  --worklist W.txt movies listed one per line (HiTMicTools' -w), filtered by the pattern
  --output DIR     output folder (default: input_data.output_folder)
  --frames A:B     only frames A (inclusive) to B (exclusive), e.g. 0:5
  --workers N      worker processes (default: pipeline_setup.num_workers when parallel)
  --restored       also write {movie}_restored.tif (float32, BF and FL)
  --force          analyse movies that were already analysed
  --device D       where the models run: ${COMPUTE_DEVICE_HELP} (default auto:
                   the GPU when its provider works, else the CPU); bookings go to the device
                   used (cuda_N as HiTMicTools names it); also pipeline_setup.device
  --capacity-gb C  cap on the memory this run books (see 'hitmic reserve'); also the
                   config key pipeline_setup.capacity_gb and $HITMIC_CAPACITY_GB
  --stage-gb S=GB[,S=GB]
                   GB a model stage books instead of HiTMicTools' figure, e.g.
                   segmentation=2,classification=4 (stages: ${MEMORY_STAGES.join(', ')});
                   also pipeline_setup.stage_memory_gb
  --wait-timeout S how long a stage may wait for its memory, seconds (default 120–240);
                   also pipeline_setup.memory_wait_s
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

/** `--device`: checked here, so a typo is one line before anything starts. */
export function deviceOption(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!parseComputeDevice(String(v)))
    throw new CliError(`--device must be one of ${COMPUTE_DEVICE_HELP}, got '${String(v)}'`);
  return String(v);
}

/** `segmentation=2,classification=4` → {segmentation: 2, classification: 4}; names and values checked. */
export function parseStageGb(v: unknown): Partial<Record<Stage, number>> | undefined {
  if (v === undefined) return undefined;
  const out: Partial<Record<Stage, number>> = {};
  for (const part of String(v).split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*([0-9.]+)\s*$/.exec(part);
    const stage = m?.[1] as Stage | undefined;
    const gb = Number(m?.[2]);
    if (!m || !(MEMORY_STAGES as readonly string[]).includes(stage!) || !Number.isFinite(gb))
      throw new CliError(
        `--stage-gb takes STAGE=GB pairs separated by commas (stages: ${MEMORY_STAGES.join(', ')}), got '${part}'`,
      );
    out[stage!] = gb;
  }
  return out;
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
        device: { type: 'string' },
        'stage-gb': { type: 'string' },
        'wait-timeout': { type: 'string' },
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
        device: deviceOption(options.device),
        stageGb: parseStageGb(options['stage-gb']),
        waitTimeoutS: numberOption(options['wait-timeout'], 'wait-timeout', { min: 1 }),
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

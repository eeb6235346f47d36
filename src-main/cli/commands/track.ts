/**
 * `hitmic track LABELS --output DIR [...]`: tracks a label movie from any segmentation with the
 * trackers of `hitmic run`, writing a Cell Tracking Challenge result or HiTMic Studio's tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  BACTERIA_BTRACK_CONFIG,
  LINEAGE_MODES,
  selectTracker,
  trackLabelMovie,
  type TrackOutputFormat,
} from '../../tracking';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

const USAGE = `Usage: hitmic track LABELS --output DIR [--format ctc|hitmic]
                    [--backend btrack|hungarian] [--version v2|v5] [--btrack-config FILE]
                    [--config TRACKING.yml] [--lineage ctc|hitmictools] [--force] [--json]

Tracks a label movie made by any segmentation (Omnipose, DeLTA, cellpose, Fiji/napari, or
'hitmic run''s _labels.tif) with the trackers 'hitmic run' uses. LABELS is a T×Y×X stack of
integer labels (TIFF, OME-TIFF, ImageJ) or a folder / pattern of per-frame label TIFFs
('masks/img_t{T}.tif'); labels may be numbered freely in every frame.

Tracker (one of):
  (none)                  btrack backend with a configuration for packed colonies of bacteria
                          (btrack's cell_config with less noise, docs/tracking.md)
  --btrack-config FILE    btrack backend with a btrack configuration (JSON or YAML, any layout
                          btrack has written)
  --backend hungarian --version v2|v5
                          HiTMicTools' Hungarian tracker with its default parameters
  --config TRACKING.yml   a 'tracking:' section as in a HiTMicTools run config (or a whole run
                          config): backend, version, parameters, config_path, parameters_override

Output (--output DIR, created if missing):
  --format ctc (default)  Cell Tracking Challenge result: maskTTT.tif per frame, labelled by track,
                          and res_track.txt ('L B E P', P = parent track or 0)
  --format hitmic         {movie}_tracks.csv (frame, label, trackid, parent_track_id, centroids,
                          area, axes, orientation) and {movie}_tracks.tif (pixel = trackid + 1)

Options:
  --lineage ctc|hitmictools  divisions as the CTC writes them (default: the mother's track ends and
                          both daughters start with her as parent), or HiTMicTools' columns as they are
  --force                 replace the outputs of an earlier run in DIR
  --json                  print the report (counts, tracker, files, timings) as JSON

Score a CTC result against ground truth with 'hitmic evaluate-tracking RESULT GT'.
`;

/** The `tracking:` section a set of options describes. */
export function trackingSection(
  o: Record<string, string | boolean | string[] | undefined>,
  cwd: string,
): { section: Record<string, unknown>; bundleTrackerConfig?: { text: string; file: string } } {
  const given = ['config', 'btrack-config', 'backend'].filter((k) => o[k] !== undefined);
  if (given.length > 1)
    throw new CliError(
      `choose one tracker: --${given.join(' and --')} were both given (see 'hitmic track --help')`,
    );
  const lineage = o.lineage as string | undefined;
  if (lineage !== undefined && !(LINEAGE_MODES as readonly string[]).includes(lineage))
    throw new CliError(`--lineage must be one of ${LINEAGE_MODES.join(', ')}, got '${lineage}'`);
  const withLineage = (s: Record<string, unknown>) => (lineage ? { ...s, lineage } : s);
  if (typeof o.config === 'string') {
    const file = path.resolve(cwd, o.config);
    let doc: unknown;
    try {
      doc = parseYaml(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CliError(
        `--config ${o.config}: cannot read it as YAML (${(err as Error).message.split('\n')[0]})`,
      );
    }
    const rec = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    const section = rec(doc) && rec(doc.tracking) ? doc.tracking : doc;
    if (!rec(section))
      throw new CliError(
        `--config ${o.config}: expected a mapping with a 'tracking:' section (backend, version, parameters)`,
      );
    const out = { ...section };
    // A config_path is relative to the file that names it.
    if (typeof out.config_path === 'string')
      out.config_path = path.resolve(path.dirname(file), out.config_path);
    return { section: withLineage(out) };
  }
  if (typeof o['btrack-config'] === 'string')
    return {
      section: withLineage({ backend: 'btrack', config_path: path.resolve(cwd, o['btrack-config']) }),
    };
  if (o.backend === 'hungarian') {
    const version = typeof o.version === 'string' ? o.version : 'v2';
    return { section: withLineage({ backend: 'hungarian', version }) };
  }
  if (o.backend !== undefined && o.backend !== 'btrack')
    throw new CliError(`--backend must be btrack or hungarian, got '${String(o.backend)}'`);
  if (o.version !== undefined) throw new CliError('--version goes with --backend hungarian');
  return {
    section: withLineage({ backend: 'btrack' }),
    bundleTrackerConfig: {
      text: JSON.stringify(BACTERIA_BTRACK_CONFIG),
      file: 'hitmic_bacteria (built in)',
    },
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { options: o, positionals } = parseArgs(
    argv,
    {
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      backend: { type: 'string' },
      version: { type: 'string' },
      'btrack-config': { type: 'string' },
      config: { type: 'string' },
      lineage: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    'track',
  );
  if (positionals.length !== 1)
    throw new CliError(
      positionals.length === 0
        ? "'track' needs a label movie (see 'hitmic track --help')"
        : `'track' takes one label movie, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  if (typeof o.output !== 'string') throw new CliError("'track' needs --output DIR");
  const format = (o.format ?? 'ctc') as TrackOutputFormat;
  if (format !== 'ctc' && format !== 'hitmic')
    throw new CliError(`--format must be ctc or hitmic, got '${String(o.format)}'`);
  const input = path.resolve(io.cwd, positionals[0]);
  if (!fs.existsSync(input) && !/\{[TtCcZz]\}/.test(path.basename(input)))
    throw new CliError(`label movie ${input} does not exist`);
  const { section, bundleTrackerConfig } = trackingSection(o, io.cwd);
  // Checked before reading the movie, so a bad config fails at once.
  selectTracker(section, { bundleTrackerConfig });
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const report = await trackLabelMovie(input, {
    tracker: (field) =>
      selectTracker(section, {
        bundleTrackerConfig,
        linkerOptions: { volume: { minX: 0, maxX: field.width, minY: 0, maxY: field.height } },
      }).tracker,
    format,
    outputDir: path.resolve(io.cwd, o.output),
    force: o.force === true,
    onProgress: (stage, done, total) => {
      if (tty) io.stderr.write(`\r${stage} ${done}/${total}\x1b[K`);
    },
  });
  if (tty) io.stderr.write('\r\x1b[K');
  if (o.json === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.stdout.write(
      `${path.basename(input)}: ${report.frames} frames, ${report.objects} objects → ${report.tracks} tracks, ${report.divisions} divisions (${report.tracker})\n` +
        `wrote ${report.outputs.length} files to ${path.dirname(report.outputs[report.outputs.length - 1])} in ${((report.timings_ms.read + report.timings_ms.track + report.timings_ms.write) / 1000).toFixed(1)} s\n`,
    );
  }
  return 0;
}

export const trackCommand: CliCommand = {
  name: 'track',
  summary: 'track a label movie from any segmentation (Cell Tracking Challenge or HiTMic outputs)',
  usage: USAGE,
  run,
};

import path from 'node:path';
import { runDemo } from '../../demo';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { progressReporter } from '../progress';
import { printRunReport } from './run';

const USAGE = `Usage: hitmic demo [--output DIR] [--evaluate] [--json]

Runs ASCT_focusrestore on the bundled demo movie (512×512, 20 frames, bright field + propidium
iodide) with the bundled demo model collection, and writes into ./hitmic-demo-output/ (or DIR):
the per-cell table, the summary, instance labels, restored frames, run provenance, the config
it used (demo_config.yml) and preview PNGs — raw and restored bright field, segmentation outlines
coloured by class, the kill curve (PI-positive fraction over time), objects per class over time
and the area distribution, each with title, legend and axes with units.

Options:
  --output DIR   where to write (default ./hitmic-demo-output)
  --evaluate     compare with the demo's ground truth: segmentation F1 at IoU 0.5, class and
                 PI accuracy, correct track links, divisions found (demo_evaluation.json)
  --json         print the result as JSON
`;

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'run the full pipeline on the bundled demo movie and collection',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(
      argv,
      { output: { type: 'string' }, evaluate: { type: 'boolean' }, json: { type: 'boolean' } },
      'demo',
    );
    const outputDir = path.resolve(io.cwd, (options.output as string | undefined) ?? 'hitmic-demo-output');
    const progress = progressReporter(io);
    const t0 = Date.now();
    const report = await runDemo({
      outputDir,
      evaluate: Boolean(options.evaluate),
      onProgress: (p) => progress.update(p),
      onLog: (level, message) => {
        if (level !== 'info') io.stderr.write(`${level}: ${message}\n`);
      },
    }).finally(() => progress.done());
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ outputDir, seconds: (Date.now() - t0) / 1000, movies: report.run.movies, previews: report.previews, evaluation: report.evaluation ?? null }, null, 2)}\n`,
      );
      return report.run.movies.every((m) => m.ok) ? 0 : 1;
    }
    const code = printRunReport(report.run, io, false);
    io.stdout.write(
      `\nPreviews:\n${Object.values(report.previews)
        .map((p) => `    ${p}`)
        .join('\n')}\n`,
    );
    const e = report.evaluation;
    if (e) {
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      io.stdout.write(
        `\nAgainst the demo's ground truth (${e.frames} frames, ${e.truthObjects} true objects):\n` +
          `    segmentation F1 at IoU 0.5  ${e.f1.toFixed(3)} (precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)})\n` +
          `    class accuracy              ${pct(e.classAccuracy)} of ${e.matched} matched objects\n` +
          `    PI accuracy                 ${pct(e.piAccuracy)}\n` +
          `    correct track links         ${pct(e.linkAccuracy)} (${e.linksCorrect}/${e.linksTotal})\n` +
          `    divisions found             ${e.divisionsFound}/${e.divisionsTrue}\n`,
      );
    }
    io.stdout.write(
      `\nDone in ${((Date.now() - t0) / 1000).toFixed(1)} s. Open ${outputDir} to see everything.\n`,
    );
    return code;
  },
};

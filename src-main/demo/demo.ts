import fs from 'node:fs';
import path from 'node:path';
import { csvObjects, openMovie } from '../io';
import { runConfig, type RunOptions, type RunReport } from '../runs';
import { appRoot } from '../version';
import {
  evaluate,
  matchFrame,
  type Evaluation,
  type ObjectMatch,
  type PredictedObject,
  type TruthObject,
} from './evaluate';
import { writePreviews } from './figures/previews';

/** Where the bundled demo lives: the repository, or the packaged app's resources. */
export function demoPaths(): { movie: string; collection: string; truthCsv: string; truthLabels: string } {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const roots = [
    {
      demo: path.join(appRoot(), 'resources', 'demo'),
      collection: path.join(appRoot(), 'models', 'demo-collection'),
    },
    ...(resourcesPath
      ? [{ demo: path.join(resourcesPath, 'demo'), collection: path.join(resourcesPath, 'demo-collection') }]
      : []),
  ];
  const root = roots.find((r) => fs.existsSync(path.join(r.demo, 'demo_movie.tif'))) ?? roots[0];
  return {
    movie: path.join(root.demo, 'demo_movie.tif'),
    collection: root.collection,
    truthCsv: path.join(root.demo, 'demo_truth.csv'),
    truthLabels: path.join(root.demo, 'demo_truth_labels.tif'),
  };
}

/**
 * The demo's run config: ASCT_focusrestore with tracking on one movie, as a microscopist would write
 * it. The memory benchmark reuses it on longer movies and without focus restoration.
 */
export function demoConfig(
  paths: Pick<ReturnType<typeof demoPaths>, 'movie' | 'collection'>,
  outputDir: string,
  opts: { focusCorrection?: boolean; header?: string } = {},
): string {
  const header =
    opts.header ??
    `The HiTMic Studio demo run: written by 'hitmic demo'; run it again with 'hitmic run ${path.join(outputDir, 'demo_config.yml')} --force'.`;
  return `# ${header}
input_data:
  input_folder: ${JSON.stringify(path.dirname(paths.movie))}
  output_folder: ${JSON.stringify(outputDir)}
  file_type: .tif
  file_pattern: ${JSON.stringify(path.basename(paths.movie, '.tif'))}
  export_labelled_masks: true

pipeline_setup:
  name: ASCT_focusrestore
  parallel_processing: false
  num_workers: 1
  reference_channel: 0
  pi_channel: 1
  align_frames: false
  method: standard
  focus_correction: ${opts.focusCorrection ?? true}
  tracking: true

models:
  model_collection: ${JSON.stringify(paths.collection)}

tracking:
  backend: hungarian
  version: v5
  parameters:
    max_distance: 15.0
`;
}

export interface DemoReport {
  run: RunReport;
  previews: Record<string, string>;
  evaluation?: Evaluation;
}

/**
 * Runs the demo and writes preview PNGs (raw, restored, outlines by class at one frame; the kill
 * curve, objects per class and area histogram of the Results view).
 */
export async function runDemo(
  opts: { outputDir: string; evaluate?: boolean } & Pick<
    RunOptions,
    'onProgress' | 'onLog' | 'signal' | 'libraryDir'
  >,
): Promise<DemoReport> {
  const paths = demoPaths();
  for (const [what, p] of Object.entries(paths)) {
    if (!fs.existsSync(p))
      throw new Error(
        `the demo's ${what} is missing at ${p}; reinstall HiTMic Studio or run 'bash scripts/make-demo-world.sh'`,
      );
  }
  fs.mkdirSync(opts.outputDir, { recursive: true });
  const configPath = path.join(opts.outputDir, 'demo_config.yml');
  fs.writeFileSync(configPath, demoConfig(paths, opts.outputDir));
  const run = await runConfig({
    ...opts,
    configPath,
    inputs: [paths.movie],
    force: true,
    exportRestored: true,
  });
  const movie = run.movies[0];
  if (!movie?.ok || !movie.outputs) throw new Error(`the demo run failed: ${movie?.error ?? 'no result'}`);
  const previews = await writePreviews(paths.movie, movie.outputs, opts.outputDir);
  const evaluation = opts.evaluate ? await evaluateRun(paths, movie.outputs) : undefined;
  if (evaluation)
    fs.writeFileSync(
      path.join(opts.outputDir, 'demo_evaluation.json'),
      `${JSON.stringify(evaluation, null, 2)}\n`,
    );
  return { run, previews, evaluation };
}

/** Segmentation F1, class and PI accuracy, links and divisions of the demo run against its truth. */
export async function evaluateRun(
  paths: ReturnType<typeof demoPaths>,
  outputs: Record<string, string>,
): Promise<Evaluation> {
  const truthMovie = await openMovie(paths.truthLabels);
  const predMovie = await openMovie(outputs.labels);
  const matches: ObjectMatch[] = [];
  let predicted = 0;
  let truthCount = 0;
  try {
    const T = Math.min(truthMovie.info.shape.t, predMovie.info.shape.t);
    for (let t = 0; t < T; t++) {
      const r = matchFrame(
        t,
        (await predMovie.readPlane({ t, c: 0 })).data,
        (await truthMovie.readPlane({ t, c: 0 })).data,
      );
      matches.push(...r.matches);
      predicted += r.predictedCount;
      truthCount += r.truthCount;
    }
    const truth: TruthObject[] = csvObjects(fs.readFileSync(paths.truthCsv, 'utf8')).map((r) => ({
      frame: Number(r.frame),
      label: Number(r.label),
      className: r.class_name,
      piClass: r.pi_status,
      trackId: Number(r.track_id),
      parentTrackId: Number(r.parent_track_id),
    }));
    const pred: PredictedObject[] = csvObjects(fs.readFileSync(outputs.cells, 'utf8')).map((r) => ({
      frame: Number(r.frame),
      label: Number(r.label),
      className: r.object_class,
      piClass: r.pi_class,
      trackId: Number(r.trackid),
      parentTrackId: Number(r.parent_track_id),
    }));
    return evaluate(matches, { predicted, truth: truthCount, frames: T }, truth, pred);
  } finally {
    await Promise.all([truthMovie.close(), predMovie.close()]);
  }
}

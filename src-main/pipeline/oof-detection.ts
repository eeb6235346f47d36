import fs from 'node:fs';
import { correctBackgroundStandard } from '../analysis';
import type { ModelKey } from '../../src-shared/collections';
import { detectOutOfFocus, type ModelPrecision } from '../inference';
import { AtomicFile, openMovie, publishTogether, writeCsvTo } from '../io';
import { movieName, OOF_SUMMARY_COLUMNS, RunFolder } from '../results';
import { chainRestorer, runFrameChain } from './frame-chain';
import { toFloat32 } from './frame-prep';
import { MovieJobError, type MovieJobDeps, type MovieJobParams, type MovieJobResult } from './job-types';
import { computeUsed } from './compute';
import { precisionFacts } from './precision';
import { detectorClassNames, detectorOptions } from './model-settings';
import { unetSegmenter } from './segmenters';
import { bookingCapacityGb, createStageBooker } from './stage-booking';

/** HiTMicTools' fallback pixel size for this pipeline when the file has none. */
const OOF_DEFAULT_PIXEL_SIZE_UM = 0.65;

/** Detections below this score are not written (HiTMicTools' OOF summary keeps ≥ 0.5). */
const MIN_SCORE = 0.5;

/**
 * The `oof_detection` pipeline (HiTMicTools §2.10): out-of-focus QC on the first frame of the
 * reference channel. The detector sees the raw frame; the frame chain (standard background, BF
 * restoration, segmentation, classification, measured on the bright field) runs beside it, each
 * model under its booking. Output `{movie}_oof_summary.csv`: one row per classified object
 * (`source` standard, x = column, y = row of the centroid) and per detection with score ≥ 0.5
 * (`source` oof_detector, x, y = box centre).
 */
export async function oofDetection(p: MovieJobParams, deps: MovieJobDeps): Promise<MovieJobResult> {
  const name = movieName(p.movie);
  const warnings: string[] = [];
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  let provider: string | undefined;
  const hostWarnings: string[] = [];
  const precision: Partial<Record<ModelKey, ModelPrecision>> = {};
  const load = async (key: 'oof_detector' | 'bf_focus' | 'segmentation' | 'cell_classifier') => {
    const plan = p.models[key];
    if (!plan)
      throw new MovieJobError(`oof_detection needs the '${key}' model, which the plan lacks`, p.movie);
    const r = await deps.loadRunner(plan);
    hostWarnings.push(...r.warnings);
    provider ??= r.provider;
    if (r.precision) precision[key] = r.precision;
    return { plan, runner: r.runner };
  };
  fs.mkdirSync(p.outputDir, { recursive: true });
  const folder = new RunFolder(p.outputDir);
  for (const f of folder.removeStalePartials(name))
    deps.log('info', `${name}: removed ${f}, left by a run that was killed`);
  const movie = await openMovie(p.movie);
  try {
    const { x: W, y: H, c: C } = movie.info.shape;
    const ref = p.setup.referenceChannel;
    if (ref >= C)
      throw new MovieJobError(
        `${name}: reference_channel ${ref} is not in the movie (channels 0–${C - 1})`,
        p.movie,
      );
    // The detector is loaded first: the job books on the device it runs on.
    const detector = await load('oof_detector');
    const compute = computeUsed(p.compute, provider ?? 'cpu', hostWarnings);
    if (compute.fallback) {
      warnings.push(compute.fallback);
      deps.log('warn', compute.fallback);
    }
    const booking = { ...p.booking, device: compute.bookingDevice };
    const book = createStageBooker(await bookingCapacityGb(booking), {
      plan: booking,
      signal: deps.signal,
      describe: (stage) => `${stage} of ${name}, frame 0`,
      onStage: (stage) => deps.progress({ movie: name, stage, done: 0, total: 1 }),
      onWait: (stage, waiting) => deps.progress({ movie: name, stage, done: 0, total: 1, waiting }),
      onWarning: (m) => warnings.push(m),
    });
    const raw = toFloat32((await movie.readPlane({ t: 0, c: ref }, deps.signal)).data);
    const det = await book('oof_detector', () =>
      detectOutOfFocus({ data: raw, height: H, width: W }, detector.runner, detectorOptions(detector.plan)),
    );
    timings.oof_detector = Math.round(performance.now() - t0);
    const nameOf = detectorClassNames(detector.plan, (id) => `oof_${id}`);
    if (movie.info.pixelSizeUm === null)
      warnings.push(
        `no pixel size in the file; the background blur assumes ${OOF_DEFAULT_PIXEL_SIZE_UM} µm/px as HiTMicTools does here`,
      );
    const corrected = correctBackgroundStandard(
      raw,
      W,
      H,
      movie.info.pixelSizeUm ?? OOF_DEFAULT_PIXEL_SIZE_UM,
    );
    const chain = await runFrameChain(
      { t: 0, width: W, height: H, brightfield: corrected },
      {
        bfFocus: chainRestorer(await load('bf_focus')),
        segmenter: unetSegmenter(await load('segmentation'), { classifier: await load('cell_classifier') }),
      },
      { measure: { on: 'brightfield', channel: ref } },
      { book, signal: deps.signal },
    );
    const m = chain.measurements!;
    const objects = chain.objects!;
    const rows: Record<string, string | number>[] = [];
    for (let i = 0; i < m.label.length; i++) {
      rows.push({
        object_class: objects.classOf(m.label[i]).name,
        x: m.centroid_1[i],
        y: m.centroid_0[i],
        source: 'standard',
        score: '',
      });
    }
    let kept = 0;
    for (let i = 0; i < det.count; i++) {
      if (det.scores[i] < MIN_SCORE) continue;
      kept++;
      const [x1, y1, x2, y2] = det.boxes.subarray(i * 4, i * 4 + 4);
      rows.push({
        object_class: nameOf(det.classIds[i]),
        x: (x1 + x2) / 2,
        y: (y1 + y2) / 2,
        source: 'oof_detector',
        score: det.scores[i],
      });
    }
    timings.total = Math.round(performance.now() - t0);
    const outputs: Record<string, string> = {
      run: folder.file(name, 'run'),
      oof_summary: folder.file(name, 'oofSummary'),
    };
    // Written under temporary names, published together (the summary last).
    const run = await AtomicFile.create(outputs.run);
    const summary = await AtomicFile.create(outputs.oof_summary).catch(async (err: unknown) => {
      await run.abort();
      throw err;
    });
    try {
      await run.append(
        `${JSON.stringify(
          {
            ...p.provenance,
            movie: p.movie,
            pipeline: 'oof_detection',
            frames: [0],
            objects: m.label.length,
            detections: kept,
            execution_provider: provider,
            device: {
              requested: compute.requested,
              used: compute.provider,
              booked_on: compute.bookingDevice,
            },
            precision: precisionFacts(precision),
            timings_ms: timings,
            warnings,
          },
          null,
          2,
        )}\n`,
      );
      await run.close();
      await writeCsvTo(summary, OOF_SUMMARY_COLUMNS, rows);
      await publishTogether([run, summary]);
    } catch (err) {
      await run.abort();
      await summary.abort();
      throw err;
    }
    deps.progress({ movie: name, stage: 'done', done: 1, total: 1 });
    return {
      file: p.movie,
      frames: 1,
      objects: m.label.length,
      tracks: 0,
      outputs,
      timings_ms: timings,
      warnings,
      provider: provider ?? 'cpu',
    };
  } finally {
    await movie.close();
  }
}

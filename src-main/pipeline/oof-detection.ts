import fs from 'node:fs';
import path from 'node:path';
import { correctBackgroundStandard, measureFrame, writeCsvAtomic } from '../analysis';
import {
  classifyCells,
  detectOutOfFocus,
  predictorFromRunner,
  restoreFrame,
  segmentFrame,
} from '../inference';
import { openMovie } from '../io';
import { writeJsonAtomic } from './finish-movie';
import { toFloat32 } from './frame-prep';
import { MovieJobError, type MovieJobDeps, type MovieJobParams, type MovieJobResult } from './job-types';
import { movieName } from '../runs/select-movies';
import { classifierOptions, restoreOptions, segmentOptions } from './model-settings';

/** HiTMicTools' fallback pixel size for this pipeline when the file has none. */
const OOF_DEFAULT_PIXEL_SIZE_UM = 0.65;

/**
 * The `oof_detection` pipeline (HiTMicTools §2.10): out-of-focus QC on the first frame of the
 * reference channel. The detector sees the raw frame; the standard chain (background, BF
 * restoration, segmentation, classification) runs beside it. Output `{movie}_oof_summary.csv`:
 * one row per classified object (`source` standard, x = column, y = row of the centroid) and per
 * detection with score ≥ 0.5 (`source` oof_detector, x, y = box centre).
 */
export async function oofDetection(p: MovieJobParams, deps: MovieJobDeps): Promise<MovieJobResult> {
  const name = movieName(p.movie);
  const warnings: string[] = [];
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const need = <K extends keyof MovieJobParams['models']>(k: K) => {
    const m = p.models[k];
    if (!m) throw new MovieJobError(`oof_detection needs the '${k}' model, which the plan lacks`, p.movie);
    return m;
  };
  fs.mkdirSync(p.outputDir, { recursive: true });
  const movie = await openMovie(p.movie);
  try {
    const { x: W, y: H, c: C } = movie.info.shape;
    const ref = p.setup.referenceChannel;
    if (ref >= C)
      throw new MovieJobError(
        `${name}: reference_channel ${ref} is not in the movie (channels 0–${C - 1})`,
        p.movie,
      );
    deps.progress({ movie: name, stage: 'oof_detector', done: 0, total: 1 });
    const raw = toFloat32((await movie.readPlane({ t: 0, c: ref }, deps.signal)).data);
    const load = async (k: Parameters<typeof need>[0]) => (await deps.loadRunner(need(k))).runner;
    const oofPlan = need('oof_detector');
    const a = oofPlan.infererArgs;
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const det = await detectOutOfFocus({ data: raw, height: H, width: W }, await load('oof_detector'), {
      patchSize: num(a.patch_size),
      overlap: num(a.overlap_ratio),
      scoreThreshold: num(a.score_threshold),
      nmsIou: num(a.nms_iou),
      imagenetNormalize: !/normali[sz]ation is applied inside the graph/i.test(
        JSON.stringify(oofPlan.metadata ?? {}),
      ),
    });
    timings.oof_detector = Math.round(performance.now() - t0);
    // class_dict maps name → index in HiTMicTools' OOF configs; inverted for the names.
    const classDict = (a.class_dict ?? {}) as Record<string, unknown>;
    const nameOf = new Map<number, string>();
    for (const [k, v] of Object.entries(classDict)) {
      if (typeof v === 'number') nameOf.set(v, k);
      else if (typeof v === 'string' && /^\d+$/.test(k)) nameOf.set(Number(k), v);
    }
    if (movie.info.pixelSizeUm === null)
      warnings.push(
        `no pixel size in the file; the background blur assumes ${OOF_DEFAULT_PIXEL_SIZE_UM} µm/px as HiTMicTools does here`,
      );
    deps.progress({ movie: name, stage: 'segmentation', done: 0, total: 1 });
    const corrected = correctBackgroundStandard(
      raw,
      W,
      H,
      movie.info.pixelSizeUm ?? OOF_DEFAULT_PIXEL_SIZE_UM,
    );
    const bf = (
      await restoreFrame(
        { data: corrected, height: H, width: W },
        predictorFromRunner(await load('bf_focus')),
        restoreOptions(need('bf_focus'), false, deps.signal),
      )
    ).restored.data;
    const seg = await segmentFrame(
      { data: bf, height: H, width: W },
      predictorFromRunner(await load('segmentation')),
      segmentOptions(need('segmentation'), 20, deps.signal, false),
    );
    const cls = await classifyCells(
      seg.labels,
      bf,
      H,
      W,
      await load('cell_classifier'),
      classifierOptions(need('cell_classifier')),
    );
    const m = measureFrame(seg.labels, bf, W, H, { frame: 0, channel: ref });
    const classByLabel = new Map(Array.from(cls.labels, (l, i) => [l, cls.className[i]] as const));
    const rows: Record<string, string | number>[] = [];
    for (let i = 0; i < m.label.length; i++) {
      rows.push({
        object_class: classByLabel.get(m.label[i]) ?? 'unknown',
        x: m.centroid_1[i],
        y: m.centroid_0[i],
        source: 'standard',
        score: '',
      });
    }
    let kept = 0;
    for (let i = 0; i < det.count; i++) {
      if (det.scores[i] < 0.5) continue;
      kept++;
      const [x1, y1, x2, y2] = det.boxes.subarray(i * 4, i * 4 + 4);
      rows.push({
        object_class: nameOf.get(det.classIds[i]) ?? `oof_${det.classIds[i]}`,
        x: (x1 + x2) / 2,
        y: (y1 + y2) / 2,
        source: 'oof_detector',
        score: det.scores[i],
      });
    }
    timings.total = Math.round(performance.now() - t0);
    const outputs: Record<string, string> = {
      run: path.join(p.outputDir, `${name}_run.json`),
      oof_summary: path.join(p.outputDir, `${name}_oof_summary.csv`),
    };
    writeJsonAtomic(outputs.run, {
      ...p.provenance,
      movie: p.movie,
      pipeline: 'oof_detection',
      frames: [0],
      objects: m.label.length,
      detections: kept,
      timings_ms: timings,
      warnings,
    });
    await writeCsvAtomic(outputs.oof_summary, ['object_class', 'x', 'y', 'source', 'score'], rows);
    deps.progress({ movie: name, stage: 'done', done: 1, total: 1 });
    return {
      file: p.movie,
      frames: 1,
      objects: m.label.length,
      tracks: 0,
      outputs,
      timings_ms: timings,
      warnings,
      provider: 'cpu',
    };
  } finally {
    await movie.close();
  }
}

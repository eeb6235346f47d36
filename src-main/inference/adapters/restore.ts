import { assertFrame, type Frame } from '../frame';
import {
  rescaleFrame,
  scaleFrame,
  type ScaleMethod,
  type ScaleStats,
  type ScalerArgs,
} from '../scaling/scalers';
import type { WindowPredictor } from '../tiling/predictor';
import {
  checkPatchAndOverlap,
  tileOneChannelFrame,
  type FrameTilingOptions,
  type StageTimings,
} from './options';

/**
 * Focus restoration (`bf_focus`, `fl_focus`; NAFNet) as HiTMicTools FocusRestorer.predict, one frame:
 * scale (per-frame statistics; default range01) → Gaussian-blended sliding window (reflect padding of
 * frames smaller than the patch) → inverse scaling when `rescale` is true.
 * The pipelines call BF with rescale = false (output stays in normalised ≈[0,1] units, which
 * segmentation and classification expect) and FL with rescale = true (original intensity units).
 * Input and output: H×W float32; the model must map [B,1,P,P] → [B,1,P,P].
 */
export interface RestoreOptions extends FrameTilingOptions {
  /** Default 'range01'. HiTMicTools refuses 'none' for restorers; this port allows it. */
  scaleMethod?: ScaleMethod;
  scalerArgs?: ScalerArgs;
  rescale: boolean;
}

export interface RestoreResult {
  restored: Frame;
  scale: ScaleStats;
  timings: StageTimings;
  /** Time inside the model (ms), for overhead ratios. */
  modelMs: number;
}

export async function restoreFrame(
  frame: Frame,
  predictor: WindowPredictor,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  assertFrame(frame, 'restore input frame', predictor.key);
  checkPatchAndOverlap(opts.patchSize, opts.overlap, predictor.key);
  const t0 = performance.now();
  const scaled = scaleFrame(
    frame.data,
    frame.height,
    frame.width,
    opts.scaleMethod ?? 'range01',
    opts.scalerArgs,
  );
  const t1 = performance.now();
  const tiled = await tileOneChannelFrame(
    scaled.data,
    frame.height,
    frame.width,
    predictor,
    opts,
    'gaussian',
    {
      what: 'restored image',
      expected: '1 channel (NAFNet img_channel = 1)',
      fix: 'Export the focus restorer with a single-channel output.',
    },
  );
  const t2 = performance.now();
  const data = tiled.data;
  if (opts.rescale) rescaleFrame(data, scaled.stats, data);
  const t3 = performance.now();
  return {
    restored: { data, height: frame.height, width: frame.width },
    scale: scaled.stats,
    timings: { scale: t1 - t0, tiles: t2 - t1, rescale: t3 - t2 },
    modelMs: tiled.modelMs,
  };
}

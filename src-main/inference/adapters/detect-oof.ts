import { InferenceOptionError } from '../errors';
import { assertFrame, type Frame } from '../frame';
import type { ModelRunner } from '../model-runner';
import { detectTiles, detrOutputNames, type DetrModelOptions } from './detr/detr-model';
import { nms } from './detr/nms';
import { copyTile, oofTileLayout, padRightBottom } from './detr/tiles';
import type { Detection } from './detr/types';
import { prepareDetectorFrame, stripUndefined } from './sc-segment';

/**
 * Out-of-focus detection (`oof_detector`; RF-DETR Base exported to ONNX) as HiTMicTools
 * OofDetector.predict on one frame (H×W; the pipeline feeds the raw BF first frame):
 * min-max to [0,1] with normalizeTo255 (default true; zeros when max is 0), else ÷255 when max > 1;
 * zero-padding bottom/right only when smaller than the tile; OOF tile layout (tiles.ts; default tile
 * 560, overlap 0.25 → step 420); tiles clamped to [0,1]; detector contract in detr-model.ts with
 * score > scoreThreshold; boxes shifted by the tile offset with the max clamped to the valid region,
 * clamped to the frame; per-class NMS (torchvision batched_nms) at nmsIou.
 * Returns float32 boxes [N,4] xyxy, class ids and scores, best score first.
 */
export interface OofOptions {
  patchSize?: number;
  overlap?: number;
  scoreThreshold?: number;
  nmsIou?: number;
  batchSize?: number;
  normalizeTo255?: boolean;
  numSelect?: number;
  outputs?: DetrModelOptions['outputs'];
  /** See DetrModelOptions.imagenetNormalize (default true). */
  imagenetNormalize?: boolean;
}

export const OOF_DEFAULTS = {
  patchSize: 560,
  overlap: 0.25,
  scoreThreshold: 0.5,
  nmsIou: 0.5,
  batchSize: 4,
} as const;

export interface OofResult {
  boxes: Float32Array;
  classIds: Int32Array;
  scores: Float32Array;
  count: number;
}

export async function detectOutOfFocus(
  frame: Frame,
  runner: ModelRunner,
  options: OofOptions = {},
): Promise<OofResult> {
  const o = { ...OOF_DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(o.patchSize) || o.patchSize <= 0)
    throw new InferenceOptionError('patch_size', 'a positive integer', String(o.patchSize), runner.key);
  if (!(o.overlap >= 0 && o.overlap < 1))
    throw new InferenceOptionError('overlap_ratio', 'a number in [0, 1)', String(o.overlap), runner.key);
  if (!Number.isInteger(o.batchSize) || o.batchSize <= 0)
    throw new InferenceOptionError(
      'batch_size',
      'a positive integer (batch_size must be positive)',
      String(o.batchSize),
      runner.key,
    );
  assertFrame(frame, 'oof_detector input frame', runner.key);
  const { height: H, width: W } = frame;
  const prepared = prepareDetectorFrame(frame, options.normalizeTo255 ?? true, true);
  const T = o.patchSize;
  const lay = oofTileLayout(H, W, T, o.overlap);
  const padded = padRightBottom(prepared, H, W, lay.paddedH, lay.paddedW, 0);
  const plane = T * T;
  const tiles = new Float32Array(lay.tiles.length * plane);
  lay.tiles.forEach((t, k) => copyTile(padded, lay.paddedW, t.x, t.y, T, tiles, k * plane));
  for (let i = 0; i < tiles.length; i++) tiles[i] = Math.min(1, Math.max(0, tiles[i]));
  const names = detrOutputNames(runner, options.outputs, false);
  const perTile = await detectTiles(runner, tiles, lay.tiles.length, T, 0, names, {
    threshold: o.scoreThreshold,
    batchSize: o.batchSize,
    numSelect: options.numSelect,
    imagenetNormalize: options.imagenetNormalize,
  });
  const all: Detection[] = [];
  perTile.forEach((dets, k) => {
    const t = lay.tiles[k];
    for (const d of dets) {
      const x2 = Math.min(d.x2 + t.x, t.x + t.validW);
      const y2 = Math.min(d.y2 + t.y, t.y + t.validH);
      all.push({
        ...d,
        mask: undefined,
        x1: clamp(d.x1 + t.x, W),
        y1: clamp(d.y1 + t.y, H),
        x2: clamp(x2, W),
        y2: clamp(y2, H),
      });
    }
  });
  const keep = nms(
    all,
    all.map((d) => d.score),
    o.nmsIou,
    true,
  );
  const res: OofResult = {
    boxes: new Float32Array(keep.length * 4),
    classIds: new Int32Array(keep.length),
    scores: new Float32Array(keep.length),
    count: keep.length,
  };
  keep.forEach((idx, i) => {
    const d = all[idx];
    res.boxes.set([d.x1, d.y1, d.x2, d.y2], i * 4);
    res.classIds[i] = d.classId;
    res.scores[i] = d.score;
  });
  return res;
}

function clamp(v: number, hi: number): number {
  return Math.min(Math.max(v, 0), hi);
}

import { InferenceOptionError } from '../errors';
import { assertFrame, type Frame } from '../frame';
import type { ModelRunner } from '../model-runner';
import { detectTiles, detrOutputNames, type DetrModelOptions } from './detr/detr-model';
import { collectTileDetections, mergeFrameDetections } from './detr/sc-merge';
import type { InstanceResult } from './detr/stitch';
import { copyTile, padRightBottom, scTileLayout } from './detr/tiles';

/**
 * Instance segmentation (`sc_segmenter`; RF-DETR-Seg / BacDETR exported to ONNX) as HiTMicTools
 * ScSegmenter.predict on one frame (H×W float32):
 * 1. with normalizeTo255 (HiTMicTools' default; the pipelines pass false with frames clipped to [0,1])
 *    min-max to [0,1] (zeros when max is 0); values are clamped to [0,1] if the max is still > 1;
 * 2. right/bottom padding with the frame mean and the ScSegmenter tile layout (tiles.ts);
 * 3. per-tile min-max normalisation (x−min)/max(max−min, 1e-6); batches of batchSize, the last padded
 *    with constant tiles of the batch mean (shape stays fixed), detector contract in detr-model.ts;
 * 4. per-frame merge: clump union, NMS with area tie-break, priority stitching (sc-merge.ts).
 * Per-frame processing gives the same detections as HiTMicTools' cross-frame interleaving, since
 * tiles are independent samples and padding tiles are dropped.
 * Class IDs are fixed by HiTMicTools: 0 single-cell, 1 clump, 2 debris.
 */
export interface ScSegmentOptions {
  patchSize?: number;
  overlap?: number;
  scoreThreshold?: number;
  nmsIou?: number;
  clumpMergeMinOverlap?: number;
  priorityOverlapFraction?: number;
  batchSize?: number;
  maskThreshold?: number;
  minMaskArea?: number;
  normalizeTo255?: boolean;
  numSelect?: number;
  outputs?: DetrModelOptions['outputs'];
  /** See DetrModelOptions.imagenetNormalize (default true). */
  imagenetNormalize?: boolean;
}

/** HiTMicTools' "tuned production" defaults. */
export const SC_DEFAULTS = {
  patchSize: 256,
  overlap: 0.33,
  scoreThreshold: 0.4,
  nmsIou: 0.4,
  clumpMergeMinOverlap: 250,
  priorityOverlapFraction: 0.5,
  batchSize: 128,
  maskThreshold: 0.5,
  minMaskArea: 5,
} as const;

export function checkScOptions(
  o: Required<Omit<ScSegmentOptions, 'normalizeTo255' | 'numSelect' | 'outputs' | 'imagenetNormalize'>>,
  key: string,
): void {
  if (!Number.isInteger(o.patchSize) || o.patchSize <= 0)
    throw new InferenceOptionError('patch_size', 'a positive integer', String(o.patchSize), key);
  if (!(o.overlap >= 0 && o.overlap < 1))
    throw new InferenceOptionError('overlap_ratio', 'a number in [0, 1)', String(o.overlap), key);
  if (!(o.priorityOverlapFraction > 0 && o.priorityOverlapFraction <= 1)) {
    throw new InferenceOptionError(
      'priority_overlap_fraction',
      'a number in (0, 1]',
      String(o.priorityOverlapFraction),
      key,
    );
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize <= 0)
    throw new InferenceOptionError('batch_size', 'a positive integer', String(o.batchSize), key);
  if (!(o.maskThreshold > 0 && o.maskThreshold < 1))
    throw new InferenceOptionError(
      'mask_threshold',
      'a number in (0, 1) (exclusive)',
      String(o.maskThreshold),
      key,
    );
  if (!(o.minMaskArea >= 0))
    throw new InferenceOptionError('min_mask_area', 'a number ≥ 0', String(o.minMaskArea), key);
}

/** Frame preparation shared by ScSegmenter and OofDetector: optional min-max to [0,1], clamp if max > 1. */
export function prepareDetectorFrame(
  frame: Frame,
  normalizeTo255: boolean,
  divideBy255: boolean,
): Float32Array {
  const src = frame.data;
  const out = new Float32Array(src.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < src.length; i++) {
    if (src[i] < min) min = src[i];
    if (src[i] > max) max = src[i];
  }
  if (normalizeTo255) {
    if (max !== 0) {
      const den = max - min;
      for (let i = 0; i < src.length; i++) out[i] = den > 0 ? (src[i] - min) / den : 0;
    }
    return out;
  }
  out.set(src);
  if (max > 1) {
    if (divideBy255) for (let i = 0; i < out.length; i++) out[i] /= 255;
    else for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  }
  return out;
}

export async function scSegmentFrame(
  frame: Frame,
  runner: ModelRunner,
  options: ScSegmentOptions = {},
): Promise<InstanceResult> {
  const o = { ...SC_DEFAULTS, ...stripUndefined(options) };
  checkScOptions(o, runner.key);
  assertFrame(frame, 'sc_segmenter input frame', runner.key);
  const { height: H, width: W } = frame;
  const prepared = prepareDetectorFrame(frame, options.normalizeTo255 ?? true, false);
  let mean = 0;
  for (let i = 0; i < prepared.length; i++) mean += prepared[i];
  mean /= prepared.length;
  const lay = scTileLayout(H, W, o.patchSize, o.overlap);
  const padded = padRightBottom(prepared, H, W, lay.paddedH, lay.paddedW, mean);
  const T = o.patchSize;
  const plane = T * T;
  const tiles = new Float32Array(lay.tiles.length * plane);
  lay.tiles.forEach((t, k) => {
    const at = k * plane;
    copyTile(padded, lay.paddedW, t.x, t.y, T, tiles, at);
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = at; i < at + plane; i++) {
      if (tiles[i] < mn) mn = tiles[i];
      if (tiles[i] > mx) mx = tiles[i];
    }
    const den = Math.max(mx - mn, 1e-6);
    for (let i = at; i < at + plane; i++) tiles[i] = (tiles[i] - mn) / den;
  });
  const names = detrOutputNames(runner, options.outputs, true);
  const dets: Awaited<ReturnType<typeof detectTiles>> = [];
  for (let first = 0; first < lay.tiles.length; first += o.batchSize) {
    const n = Math.min(o.batchSize, lay.tiles.length - first);
    const chunk = tiles.subarray(first * plane, (first + n) * plane);
    let s = 0;
    for (let i = 0; i < chunk.length; i++) s += chunk[i];
    const res = await detectTiles(runner, chunk, n, T, s / chunk.length, names, {
      threshold: o.scoreThreshold,
      imagenetNormalize: options.imagenetNormalize,
      batchSize: o.batchSize,
      numSelect: options.numSelect,
    });
    dets.push(...res);
  }
  const all = collectTileDetections(
    lay.tiles.map((tile, k) => ({ tile, dets: dets[k] })),
    H,
    W,
  );
  return mergeFrameDetections(all, H, W, {
    nmsIou: o.nmsIou,
    clumpMergeMinOverlap: o.clumpMergeMinOverlap,
    priorityOverlapFraction: o.priorityOverlapFraction,
    minMaskArea: o.minMaskArea,
    tileSize: T,
  });
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

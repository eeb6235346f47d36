import { InferenceOptionError, ModelInputError } from '../../errors';
import { fixedDim, type ModelRunner } from '../../model-runner';
import { resizeBilinear } from '../resize';
import { checkDetrOutputs, decodeSample, type DetrOutputNames } from './decode';
import type { Detection } from './types';

/**
 * Runs a DETR-style ONNX detector on single-channel tiles in [0,1], as rf-detr's `RFDETR.predict`:
 * each tile is replicated to 3 channels, normalised with the ImageNet mean [0.485, 0.456, 0.406] and
 * std [0.229, 0.224, 0.225], bilinearly resized to the model resolution when it differs from the
 * tile (rf-detr's torchvision resize may antialias when downscaling; this port does not), batched in
 * fixed-size calls (the last call padded with `padValue` tiles whose results are dropped), and
 * decoded per tile (see decode.ts).
 */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export interface DetrModelOptions {
  outputs?: Partial<DetrOutputNames>;
  /** Top-k over queries×classes; default the number of queries. */
  numSelect?: number;
  threshold: number;
  batchSize: number;
  /**
   * Apply the ImageNet mean/std outside the model (rf-detr's predict() does; default true). Set false
   * for exports that normalise inside the graph (e.g. the demo collection's OOF detector).
   */
  imagenetNormalize?: boolean;
}

export function detrOutputNames(
  runner: ModelRunner,
  given: Partial<DetrOutputNames> = {},
  wantMasks: boolean,
): DetrOutputNames {
  const names = runner.outputs.filter((o) => o.isTensor).map((o) => o.name);
  const pick = (g: string | undefined, preferred: string[], idx: number) =>
    g ?? preferred.find((p) => names.includes(p)) ?? names[idx];
  const boxes = pick(given.boxes, ['dets', 'pred_boxes', 'boxes'], 0);
  const logits = pick(given.logits, ['labels', 'pred_logits', 'logits'], 1);
  const masks = wantMasks ? pick(given.masks, ['masks', 'pred_masks'], 2) : undefined;
  return { boxes, logits, masks: masks && names.includes(masks) ? masks : undefined };
}

export async function detectTiles(
  runner: ModelRunner,
  tiles: Float32Array,
  tileCount: number,
  tile: number,
  padValue: number,
  names: DetrOutputNames,
  opts: DetrModelOptions,
): Promise<Detection[][]> {
  const input = runner.inputs[0];
  if (input.shape.length !== 0 && input.shape.length !== 4) {
    throw new ModelInputError(
      runner.key,
      input.name,
      'rank 4 [B, 3, R, R]',
      `rank ${input.shape.length}`,
      'Export the detector with an NCHW image input.',
    );
  }
  const c = fixedDim(input, 1);
  if (c !== undefined && c !== 3)
    throw new ModelInputError(
      runner.key,
      input.name,
      '3 channels (RGB)',
      `${c} channels`,
      'Export the detector with a 3-channel input.',
    );
  const R = fixedDim(input, 2) ?? tile;
  const RW = fixedDim(input, 3) ?? R;
  const fixedBatch = fixedDim(input, 0);
  const B = fixedBatch ?? opts.batchSize;
  if (!Number.isInteger(B) || B < 1)
    throw new InferenceOptionError('batch_size', 'a positive integer', String(B), runner.key);
  const plane = tile * tile;
  const rPlane = R * RW;
  const batch = new Float32Array(B * 3 * rPlane);
  const resized = R === tile && RW === tile ? undefined : new Float32Array(rPlane);
  const padTile = new Float32Array(plane).fill(padValue);
  const out: Detection[][] = [];
  for (let first = 0; first < tileCount; first += B) {
    const n = Math.min(B, tileCount - first);
    for (let b = 0; b < B; b++) {
      let src = b < n ? tiles.subarray((first + b) * plane, (first + b + 1) * plane) : padTile;
      if (resized) {
        resizeBilinear(src, 0, tile, tile, R, RW, resized, 0, RW);
        src = resized;
      }
      for (let ch = 0; ch < 3; ch++) {
        const o = (b * 3 + ch) * rPlane;
        const m = opts.imagenetNormalize === false ? 0 : IMAGENET_MEAN[ch];
        const s = opts.imagenetNormalize === false ? 1 : IMAGENET_STD[ch];
        for (let i = 0; i < rPlane; i++) batch[o + i] = (src[i] - m) / s;
      }
    }
    const fetch = [names.boxes, names.logits, ...(names.masks ? [names.masks] : [])];
    const res = await runner.run({ [input.name]: { data: batch, dims: [B, 3, R, RW] } }, fetch);
    const raw = checkDetrOutputs(runner.key, names, res, B);
    const k = opts.numSelect ?? raw.queries;
    for (let b = 0; b < n; b++) out.push(decodeSample(raw, b, tile, tile, k, opts.threshold));
  }
  return out;
}

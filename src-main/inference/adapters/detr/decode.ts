import { ModelOutputError } from '../../errors';
import { outputAsFloat32, type OutputTensor } from '../../model-runner';
import { resizeBilinear } from '../resize';
import type { Detection } from './types';

/**
 * RF-DETR / BacDETR post-processing (rf-detr 1.3 `PostProcess` + `RFDETR.predict`) for one sample of a
 * batch: sigmoid of the class logits, top-k = numSelect over the flattened queries×classes (ties:
 * lower index first), class = index mod C, query = index div C; boxes cxcywh (normalised) → xyxy scaled
 * to the tile size; masks of the selected queries bilinear-resized (align_corners=False) to the tile
 * size, foreground = logit > 0; detections with score > threshold (strict) are kept, best first.
 * Outputs: boxes [B,Q,4], logits [B,Q,C], optional masks [B,Q,h,w].
 */
export interface DetrOutputNames {
  boxes: string;
  logits: string;
  masks?: string;
}

export interface DetrRaw {
  boxes: Float32Array;
  logits: Float32Array;
  masks?: Float32Array;
  batch: number;
  queries: number;
  classes: number;
  maskH: number;
  maskW: number;
}

export function checkDetrOutputs(
  modelKey: string,
  names: DetrOutputNames,
  res: Record<string, OutputTensor>,
  batch: number,
): DetrRaw {
  const b = res[names.boxes];
  const l = res[names.logits];
  if (!b || b.dims.length !== 3 || b.dims[0] !== batch || b.dims[2] !== 4) {
    throw new ModelOutputError(
      modelKey,
      names.boxes,
      `boxes [${batch}, queries, 4] (cxcywh, normalised)`,
      b ? `[${b.dims.join(', ')}]` : 'nothing',
      'Export the detector with the RF-DETR output contract (dets, labels[, masks]).',
    );
  }
  const Q = b.dims[1];
  if (!l || l.dims.length !== 3 || l.dims[0] !== batch || l.dims[1] !== Q) {
    throw new ModelOutputError(
      modelKey,
      names.logits,
      `class logits [${batch}, ${Q}, classes]`,
      l ? `[${l.dims.join(', ')}]` : 'nothing',
      'Export the detector with the RF-DETR output contract (dets, labels[, masks]).',
    );
  }
  const raw: DetrRaw = {
    boxes: outputAsFloat32(b),
    logits: outputAsFloat32(l),
    batch,
    queries: Q,
    classes: l.dims[2],
    maskH: 0,
    maskW: 0,
  };
  if (names.masks) {
    const m = res[names.masks];
    if (!m || m.dims.length !== 4 || m.dims[0] !== batch || m.dims[1] !== Q) {
      throw new ModelOutputError(
        modelKey,
        names.masks,
        `mask logits [${batch}, ${Q}, h, w]`,
        m ? `[${m.dims.join(', ')}]` : 'nothing',
        'Export the segmenter with a masks output, or use it as a box detector.',
      );
    }
    raw.masks = outputAsFloat32(m);
    raw.maskH = m.dims[2];
    raw.maskW = m.dims[3];
  }
  return raw;
}

/** Decodes sample `b` for a tileH×tileW tile. Returned detections are tile-local (offsets 0). */
export function decodeSample(
  raw: DetrRaw,
  b: number,
  tileH: number,
  tileW: number,
  numSelect: number,
  threshold: number,
): Detection[] {
  const { queries: Q, classes: C } = raw;
  const n = Q * C;
  const base = b * n;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = Math.fround(1 / (1 + Math.exp(-raw.logits[base + i])));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, c) => scores[c] - scores[a] || a - c);
  const k = Math.min(numSelect, n);
  const out: Detection[] = [];
  for (let r = 0; r < k; r++) {
    const idx = order[r];
    const score = scores[idx];
    if (!(score > threshold)) break;
    const q = Math.floor(idx / C);
    const bo = (b * Q + q) * 4;
    const cx = raw.boxes[bo];
    const cy = raw.boxes[bo + 1];
    const w = raw.boxes[bo + 2];
    const h = raw.boxes[bo + 3];
    const det: Detection = {
      x1: (cx - 0.5 * w) * tileW,
      y1: (cy - 0.5 * h) * tileH,
      x2: (cx + 0.5 * w) * tileW,
      y2: (cy + 0.5 * h) * tileH,
      score,
      classId: idx % C,
      maskW: 0,
      maskH: 0,
      offX: 0,
      offY: 0,
      area: 0,
    };
    if (raw.masks) {
      const plane = raw.maskH * raw.maskW;
      const logits = new Float32Array(tileH * tileW);
      resizeBilinear(raw.masks, (b * Q + q) * plane, raw.maskH, raw.maskW, tileH, tileW, logits, 0, tileW);
      const mask = new Uint8Array(tileH * tileW);
      for (let i = 0; i < mask.length; i++) mask[i] = logits[i] > 0 ? 1 : 0;
      det.mask = mask;
      det.maskW = tileW;
      det.maskH = tileH;
    }
    out.push(det);
  }
  return out;
}

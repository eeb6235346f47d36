import { ModelInputError, ModelOutputError } from '../errors';
import { fixedDim, outputAsFloat32, type ModelRunner } from '../model-runner';
import { checkSameShape, objectBoxes, prepareRoi, type LabelImage } from './roi-crops';

/**
 * Cell classification (`cell_classifier`; FlexResNet) as HiTMicTools CellClassifier.classify_rois on
 * one frame: masked bounding-box crops of every object (see roi-crops.ts), no intensity
 * normalisation, stacked as NCHW float32 [n,1,S,S], run in chunks of `batchSize` (default 1024 as
 * HiTMicTools; a short chunk is zero-padded to the next power of two, or to the model's fixed batch
 * dim, and the padding results are dropped), softmax over the
 * classes, argmax → class index, class name (`Unknown_Class_<i>` when the map lacks it) and
 * confidence = the max probability. A frame without objects gives an empty result (HiTMicTools crashes).
 */
export interface ClassifyCellsOptions {
  /** Crop size S (the config's model_args.min_size); default: the model's fixed input H. */
  size?: number;
  batchSize?: number;
  /** Class index → name (config model_args.classes); keys may be numeric strings from YAML/JSON. */
  classes?: Readonly<Record<number | string, string>>;
  /** Also return the S×S crops (for the QC view). */
  keepCrops?: boolean;
}

export interface CellClassification {
  /** Object labels, increasing. */
  labels: Uint32Array;
  classIndex: Int32Array;
  className: string[];
  /** Max softmax probability per object. */
  confidence: Float32Array;
  /** Softmax probabilities, n × numClasses row-major. */
  probabilities: Float32Array;
  numClasses: number;
  /** n × S × S crops when keepCrops. */
  crops?: Float32Array;
  size: number;
}

export function className(classes: ClassifyCellsOptions['classes'], index: number): string {
  const name = classes?.[index] ?? classes?.[String(index)];
  return name ?? `Unknown_Class_${index}`;
}

export async function classifyCells(
  labels: LabelImage,
  image: Float32Array,
  height: number,
  width: number,
  runner: ModelRunner,
  opts: ClassifyCellsOptions = {},
): Promise<CellClassification> {
  checkSameShape(labels.length, height, width, image.length, runner.key);
  const input = runner.inputs[0];
  if (input.shape.length !== 0 && input.shape.length !== 4) {
    throw new ModelInputError(
      runner.key,
      input.name,
      'rank 4 [N, 1, S, S]',
      `rank ${input.shape.length} [${input.shape.join(', ')}]`,
      'Use an image classifier with NCHW input.',
    );
  }
  const declaredC = fixedDim(input, 1);
  if (declaredC !== undefined && declaredC !== 1) {
    throw new ModelInputError(
      runner.key,
      input.name,
      '1 channel (masked single-channel crops)',
      `${declaredC} channels`,
      'Export the classifier with in_channels = 1.',
    );
  }
  const size = opts.size ?? fixedDim(input, 2);
  if (size === undefined || !Number.isInteger(size) || size < 1) {
    throw new ModelInputError(
      runner.key,
      input.name,
      'a crop size S (model_args.min_size) or a fixed input size',
      String(size),
      'Set model_args.min_size in the config.',
    );
  }
  const fixedH = fixedDim(input, 2);
  if (fixedH !== undefined && fixedH !== size) {
    throw new ModelInputError(
      runner.key,
      input.name,
      `crops of ${fixedH}×${fixedH} as declared`,
      `min_size ${size}`,
      `Set model_args.min_size to ${fixedH}.`,
    );
  }
  const boxes = objectBoxes(labels, height, width);
  const n = boxes.labels.length;
  const out: CellClassification = {
    labels: boxes.labels,
    classIndex: new Int32Array(n),
    className: [],
    confidence: new Float32Array(n),
    probabilities: new Float32Array(0),
    numClasses: 0,
    size,
    crops: opts.keepCrops ? new Float32Array(n * size * size) : undefined,
  };
  if (n === 0) return out;
  const fixedBatch = fixedDim(input, 0);
  const chunk = fixedBatch ?? Math.max(1, Math.min(opts.batchSize ?? 1024, n));
  let scratchLen = 0;
  for (let k = 0; k < n; k++)
    scratchLen = Math.max(scratchLen, (boxes.y1[k] - boxes.y0[k]) * (boxes.x1[k] - boxes.x0[k]));
  const scratch = new Float32Array(scratchLen);
  const plane = size * size;
  const outputName = runner.outputs.find((o) => o.isTensor)?.name ?? '';
  for (let first = 0; first < n; first += chunk) {
    const m = Math.min(chunk, n - first);
    // Pad a short chunk to the next power of two (zero crops, results dropped): few distinct input
    // shapes, since onnxruntime's first run at a new shape is slow.
    const b = fixedBatch ?? Math.min(chunk, 2 ** Math.ceil(Math.log2(m)));
    const batch = new Float32Array(b * plane);
    for (let j = 0; j < m; j++)
      prepareRoi(labels, image, width, boxes, first + j, size, batch, j * plane, scratch);
    if (out.crops) out.crops.set(batch.subarray(0, m * plane), first * plane);
    const res = await runner.run({ [input.name]: { data: batch, dims: [b, 1, size, size] } }, [outputName]);
    const t = res[outputName];
    if (!t || t.dims.length !== 2 || t.dims[0] !== b || t.dims[1] < 1) {
      throw new ModelOutputError(
        runner.key,
        outputName,
        `logits [${b}, numClasses]`,
        t ? `[${t.dims.join(', ')}]` : 'nothing',
        'Export the classifier with a [N, num_classes] logits output.',
      );
    }
    const K = t.dims[1];
    if (out.numClasses === 0) {
      out.numClasses = K;
      out.probabilities = new Float32Array(n * K);
    }
    const logits = outputAsFloat32(t);
    for (let j = 0; j < m; j++) {
      const i = first + j;
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, logits[j * K + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(logits[j * K + c] - max);
      let best = 0;
      let bestP = -1;
      for (let c = 0; c < K; c++) {
        const p = Math.exp(logits[j * K + c] - max) / sum;
        out.probabilities[i * K + c] = p;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      out.classIndex[i] = best;
      out.confidence[i] = bestP;
      out.className.push(className(opts.classes, best));
    }
  }
  return out;
}

import { ModelInputError, ModelOutputError } from '../errors';
import { fixedDim, outputAsFloat32, type ModelRunner, type TensorSpec } from '../model-runner';

/**
 * A batched window model for the sliding window: input NCHW float32 [B, inChannels, roiH, roiW],
 * output NCHW float32 [B, outChannels, roiH, roiW].
 */
export interface WindowPredictor {
  readonly key: string;
  readonly inChannels: number;
  /** Batch size the model requires (a fixed first dim), if any. */
  readonly fixedBatch?: number;
  /** Window size the model requires (fixed H, W dims), if any. */
  readonly fixedRoi?: readonly [number, number];
  /** Calls worth keeping in flight (see ModelRunner.concurrency); default 1. */
  readonly concurrency?: number;
  predict(
    batch: Float32Array,
    dims: readonly [number, number, number, number],
  ): Promise<{ data: Float32Array; channels: number }>;
}

function describeShape(spec: TensorSpec): string {
  return `[${spec.shape.map((d) => String(d)).join(', ')}]`;
}

/**
 * Wraps a ModelRunner with one NCHW image input and one NCHW image output as a WindowPredictor.
 * Checks the input is rank 4 with channel count `channels` (default: the declared one, else 1) and
 * that every output keeps the window's batch and spatial size.
 */
export function predictorFromRunner(
  runner: ModelRunner,
  opts: { inputName?: string; outputName?: string; channels?: number } = {},
): WindowPredictor {
  const input = opts.inputName ? runner.inputs.find((i) => i.name === opts.inputName) : runner.inputs[0];
  if (!input) {
    throw new ModelInputError(
      runner.key,
      opts.inputName ?? '(first)',
      `one of ${runner.inputs.map((i) => i.name).join(', ')}`,
      'no such input',
      'Name an input the model declares.',
    );
  }
  if (input.shape.length !== 0 && input.shape.length !== 4) {
    throw new ModelInputError(
      runner.key,
      input.name,
      'rank 4 (N, C, H, W)',
      `rank ${input.shape.length} ${describeShape(input)}`,
      'Use an image model with NCHW input for tiled inference.',
    );
  }
  const declaredC = fixedDim(input, 1);
  const channels = opts.channels ?? declaredC ?? 1;
  if (declaredC !== undefined && declaredC !== channels) {
    throw new ModelInputError(
      runner.key,
      input.name,
      `${declaredC} channel(s) as declared ${describeShape(input)}`,
      `${channels} channel(s)`,
      'Feed the number of channels the model was trained with.',
    );
  }
  const outputName = opts.outputName ?? runner.outputs.find((o) => o.isTensor)?.name ?? '';
  const fh = fixedDim(input, 2);
  const fw = fixedDim(input, 3);
  const fixedRoi = fh !== undefined && fw !== undefined ? ([fh, fw] as const) : undefined;
  return {
    key: runner.key,
    inChannels: channels,
    fixedBatch: fixedDim(input, 0),
    fixedRoi,
    concurrency: runner.concurrency,
    async predict(batch, dims) {
      const res = await runner.run({ [input.name]: { data: batch, dims } }, [outputName]);
      const out = res[outputName];
      if (!out)
        throw new ModelOutputError(
          runner.key,
          outputName,
          'an output tensor',
          'nothing',
          'Check the output name.',
        );
      const d = out.dims;
      if (d.length !== 4 || d[0] !== dims[0] || d[2] !== dims[2] || d[3] !== dims[3]) {
        throw new ModelOutputError(
          runner.key,
          outputName,
          `[${dims[0]}, C, ${dims[2]}, ${dims[3]}] (same batch and window size as the input)`,
          `[${d.join(', ')}]`,
          'Tiled inference needs a dense image-to-image model (restorer or segmenter).',
        );
      }
      return { data: outputAsFloat32(out), channels: d[1] };
    },
  };
}

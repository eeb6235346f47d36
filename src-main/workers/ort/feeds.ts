import { ModelInputError, ModelOutputError } from '../../inference';
import type { FeedTensor, TensorSpec } from '../../inference';

/**
 * The checks every model call gets before onnxruntime sees it, wherever the session lives (this
 * process or a session thread): each declared input fed with the declared rank and fixed dims, and
 * only tensor outputs requested. Returns the output names to fetch (default: every tensor output).
 */
export function checkRequest(
  key: string,
  inputs: readonly TensorSpec[],
  outputs: readonly TensorSpec[],
  feeds: Record<string, FeedTensor>,
  outputNames?: readonly string[],
): string[] {
  for (const spec of inputs) {
    const feed = feeds[spec.name];
    if (!feed) {
      throw new ModelInputError(
        key,
        spec.name,
        `a tensor for input '${spec.name}'`,
        `inputs ${Object.keys(feeds).join(', ') || '(none)'}`,
        'Feed every input the model declares.',
      );
    }
    checkFeed(key, spec, feed);
  }
  const fetch =
    outputNames && outputNames.length > 0
      ? [...outputNames]
      : outputs.filter((o) => o.isTensor).map((o) => o.name);
  for (const name of fetch) {
    const spec = outputs.find((o) => o.name === name);
    if (!spec)
      throw new ModelOutputError(
        key,
        name,
        `one of ${outputs.map((o) => o.name).join(', ')}`,
        'no such output',
        'Request an output the model declares.',
      );
    if (!spec.isTensor)
      throw new ModelOutputError(
        key,
        name,
        'a tensor output',
        'a non-tensor (sequence/map) output',
        'Request the tensor outputs only (e.g. the label output of an ONNX-ML model with ZipMap).',
      );
  }
  return fetch;
}

function checkFeed(key: string, spec: TensorSpec, feed: FeedTensor): void {
  const shape = spec.shape;
  const dims = feed.dims;
  const declared = `[${shape.join(', ')}]`;
  if (shape.length > 0 && shape.length !== dims.length) {
    throw new ModelInputError(
      key,
      spec.name,
      `rank ${shape.length} ${declared}`,
      `rank ${dims.length} [${dims.join(', ')}]`,
      'Reshape the input to the rank the model declares.',
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d === 'number' && d > 0 && d !== dims[i]) {
      const what = shape.length === 4 && i === 1 ? 'channel count' : `dim ${i}`;
      throw new ModelInputError(
        key,
        spec.name,
        `${what} ${d} ${declared}`,
        `${dims[i]} in [${dims.join(', ')}]`,
        i === 1
          ? 'Feed the number of channels the model was trained with.'
          : 'Use the input size the model declares (e.g. patch_size / batch size).',
      );
    }
  }
  let n = 1;
  for (const d of dims) n *= d;
  if (n !== feed.data.length) {
    throw new ModelInputError(
      key,
      spec.name,
      `${n} values for dims [${dims.join(', ')}]`,
      `${feed.data.length} values`,
      'Pass data matching the dims.',
    );
  }
}

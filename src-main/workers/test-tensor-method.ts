/**
 * Worker method `run-test-tensor`: runs one model (ONNX, or a scikit-learn pickle through HiTMic
 * Studio's evaluator) on one `.npy` test input and returns its first output, for `hitmic collection verify` and the Collections view's Verify button
 * (bioimage.io-style "test model"). Runs in the worker because onnxruntime's run() blocks the
 * event loop and its memory arena never shrinks.
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../src-shared/api';
import { formatOf } from '../collections';
import { loadSklearnModel } from '../inference';
import { readNpyFloat32 as readNpy } from '../io';
import { registerWorkerMethod } from './handlers';

registerWorkerMethod('run-test-tensor', async ({ modelPath, inputNpy, outputName }) => {
  const arr = readNpy(fs.readFileSync(inputNpy), inputNpy);
  if (formatOf(modelPath) === 'sklearn') return runSklearn(modelPath, arr, outputName);
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  try {
    const name = outputName ?? session.outputNames[0];
    if (!session.outputNames.includes(name)) {
      throw new ApiError(
        'BAD_INPUT',
        `${modelPath} has no output '${name}'; it has ${session.outputNames.join(', ')}`,
      );
    }
    const result = await session.run(
      { [session.inputNames[0]]: new ort.Tensor('float32', arr.data, arr.shape) },
      [name],
    );
    const out = result[name];
    return out.data instanceof Float32Array
      ? out.data
      : Float32Array.from(out.data as ArrayLike<number>, Number);
  } finally {
    await session.release();
  }
});

/** A scikit-learn pickle's test tensor: the same evaluator the runs use (never Python's unpickler). */
async function runSklearn(
  modelPath: string,
  arr: { data: Float32Array; shape: number[] },
  outputName: string | undefined,
): Promise<Float32Array> {
  const model = loadSklearnModel(fs.readFileSync(modelPath), modelPath);
  const name = outputName ?? model.outputs[0].name;
  if (!model.outputs.some((o) => o.name === name))
    throw new ApiError(
      'BAD_INPUT',
      `${modelPath} has no output '${name}'; it has ${model.outputs.map((o) => o.name).join(', ')}`,
    );
  const out = await model.run({ [model.inputs[0].name]: { data: arr.data, dims: arr.shape } }, [name]);
  return Float32Array.from(out[name].data as ArrayLike<number>, Number);
}

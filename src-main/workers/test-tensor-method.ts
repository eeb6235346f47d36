/**
 * Worker method `run-test-tensor`: runs one ONNX model on one `.npy` test input and returns its
 * first output, for `hitmic collection verify` and the Collections view's Verify button
 * (bioimage.io-style "test model"). Runs in the worker because onnxruntime's run() blocks the
 * event loop and its memory arena never shrinks.
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../src-shared/api';
import { readNpyFloat32 as readNpy } from '../io';
import { registerWorkerMethod } from './handlers';

registerWorkerMethod('run-test-tensor', async ({ modelPath, inputNpy, outputName }) => {
  const arr = readNpy(fs.readFileSync(inputNpy), inputNpy);
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

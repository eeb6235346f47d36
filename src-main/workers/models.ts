import fs from 'node:fs';
import { formatOf, type ModelPlan } from '../collections';
import { loadSklearnModel, type ModelRunner } from '../inference';
import { loadStageModel, type StageModelOptions } from './ort';

/** A model of a job as the worker hands it to the pipeline. */
export interface JobModel {
  runner: ModelRunner;
  provider: string;
  warnings: string[];
}

// One evaluator per pickle file for the worker's life, as sessions are cached per ONNX file.
const sklearnModels = new Map<string, ModelRunner>();

/**
 * Loads a planned model for a job: ONNX files (as given, or as converted from a `.pth`) through
 * the onnxruntime session host; scikit-learn pickles read by HiTMic Studio's safe reader and
 * evaluated in TypeScript (never unpickled by Python: nothing in them is executed).
 */
export async function loadJobModel(plan: ModelPlan, options: Omit<StageModelOptions, 'key'>): Promise<JobModel> {
  if (formatOf(plan.weights) === 'sklearn') {
    let runner = sklearnModels.get(plan.weights);
    if (!runner) {
      runner = loadSklearnModel(fs.readFileSync(plan.weights), plan.weights);
      sklearnModels.set(plan.weights, runner);
    }
    return { runner, provider: 'cpu', warnings: [] };
  }
  const hosted = await loadStageModel(plan.weights, { ...options, key: plan.key });
  return { runner: hosted.runner, provider: hosted.provider, warnings: hosted.warnings };
}

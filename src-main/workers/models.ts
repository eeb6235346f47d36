import fs from 'node:fs';
import { formatOf, type ModelPlan } from '../collections';
import { loadSklearnModel, WHY_FEATURE_TABLE, type ModelPrecision, type ModelRunner } from '../inference';
import { loadStageModel, type StageModelOptions } from './ort';

/** A model of a job as the worker hands it to the pipeline. */
export interface JobModel {
  runner: ModelRunner;
  provider: string;
  warnings: string[];
  /** What `inferer_args.half_precision` asked for and what runs. */
  precision: ModelPrecision;
}

// One evaluator per pickle file for the worker's life, as sessions are cached per ONNX file.
const sklearnModels = new Map<string, ModelRunner>();

/**
 * Loads a planned model for a job: ONNX files (as given, or as converted from a `.pth`) through
 * the onnxruntime session host; scikit-learn pickles read by HiTMic Studio's safe reader and
 * evaluated in TypeScript (never unpickled by Python: nothing in them is executed).
 * `half_precision` is honoured for image models; the PI classifier (a feature table) runs as it is.
 */
export async function loadJobModel(
  plan: ModelPlan,
  options: Omit<StageModelOptions, 'key' | 'halfPrecision'>,
): Promise<JobModel> {
  const asked = plan.infererArgs.half_precision === true;
  const tableModel: ModelPrecision = asked
    ? { requested: 'fp16', used: 'fp32', why: WHY_FEATURE_TABLE }
    : { requested: 'fp32', used: 'fp32' };
  if (formatOf(plan.weights) === 'sklearn') {
    let runner = sklearnModels.get(plan.weights);
    if (!runner) {
      runner = loadSklearnModel(fs.readFileSync(plan.weights), plan.weights);
      sklearnModels.set(plan.weights, runner);
    }
    return { runner, provider: 'cpu', warnings: [], precision: tableModel };
  }
  const image = plan.key !== 'pi_classification';
  const hosted = await loadStageModel(plan.weights, {
    ...options,
    key: plan.key,
    halfPrecision: image && asked,
  });
  return {
    runner: hosted.runner,
    provider: hosted.provider,
    warnings: hosted.warnings,
    precision: image ? hosted.precision : tableModel,
  };
}

/**
 * Model collections on disk (Node side): the two HiTMicTools layouts read as they are, safe ZIP
 * extraction into a content-addressed library, inspect (formats, ONNX shapes, state_dict checks),
 * verify (checksums, test tensors through an injected runner), create, and the model plan — which
 * file and settings each model key of a config uses. The pure types live in src-shared/collections.
 */
export { CheckedZip, DEFAULT_ZIP_LIMITS, type ZipLimits } from './archive';
export { formatOf } from './conversion';
export {
  convertedModel,
  convertedModelsDir,
  converterName,
  convertInMemory,
  type ConversionFacts,
  type ConvertRequest,
} from './converted-models';
export { checkBioimageioChecksums, type BioimageioChecksums } from './bioimageio';
export { createCollection, datedName, type CreateOptions, type CreateResult } from './create';
export { CollectionError, type CollectionErrorCode } from './errors';
export { inspectCollection } from './inspect';
export { resolveCollection, type ResolvedCollection, type ResolvedModel } from './layout';
export {
  defaultLibraryDir,
  findInLibrary,
  importCollection,
  listLibrary,
  removeFromLibrary,
  sha256File,
  type ImportResult,
} from './library';
export { planCollection, planModels, PlanError, type ModelPlan, type ModelsPlan } from './model-plan';
export { renderInspect, renderLibrary, renderVerify } from './report-text';
export { FolderSource, openSource, ZipSource, type CollectionSource } from './source';
export { summariseTracker } from './tracking';
export {
  compareTensors,
  DEFAULT_TOLERANCE,
  verifyCollection,
  type RunTestTensor,
  type Tolerance,
  type VerifyOptions,
} from './verify';

/**
 * Inference core: HiTMicTools-faithful scaling, MONAI sliding windows, labelling and model adapters,
 * all pure (typed arrays in, typed arrays out) and talking to models through `ModelRunner`; scikit-learn
 * PI classifiers (`.pkl`/`.joblib`) are read safely and evaluated here as a `ModelRunner` too.
 */
export * from './errors';
export * from './frame';
export * from './model-runner';
export { rewriteOnnxModel, type RewriteResult } from './onnx-rewrite';
export * from './float16';
export * from './precision';
export * from './scaling';
export * from './tiling';
export { labelComponents } from './labelling/connected-components';
export type { LabelOptions, LabelResult } from './labelling/connected-components';
export { restoreFrame } from './adapters/restore';
export type { RestoreOptions, RestoreResult } from './adapters/restore';
export { segmentFrame } from './adapters/segment';
export type { SegmentOptions, SegmentResult } from './adapters/segment';
export { classifyCells, className } from './adapters/classify-cells';
export type { CellClassification, ClassifyCellsOptions } from './adapters/classify-cells';
export { objectBoxes, prepareRoi, resizedSize } from './adapters/roi-crops';
export type { LabelImage, ObjectBoxes } from './adapters/roi-crops';
export { resizeBilinear } from './adapters/resize';
export { classifyPi, piFeatureNames } from './adapters/classify-pi';
export {
  loadSklearnModel,
  SKLEARN_GLOBALS,
  SKLEARN_INPUT,
  SKLEARN_LABEL,
  SKLEARN_PROBABILITIES,
  SklearnModelError,
  SUPPORTED_ESTIMATORS as SUPPORTED_SKLEARN_ESTIMATORS,
  type SklearnModel,
  type SklearnModelErrorFields,
} from './sklearn';
export type { FeatureTable, PiClassification } from './adapters/classify-pi';
export { scSegmentFrame, SC_DEFAULTS } from './adapters/sc-segment';
export type { ScSegmentOptions } from './adapters/sc-segment';
export { detectOutOfFocus, OOF_DEFAULTS } from './adapters/detect-oof';
export type { OofOptions, OofResult } from './adapters/detect-oof';
export type { InstanceResult } from './adapters/detr/stitch';
export type { Detection, Tile } from './adapters/detr/types';

/**
 * Image-analysis core: HiTMicTools-compatible per-object measurements (scikit-image 0.19
 * regionprops semantics), background level, `standard` and BaSiC flat-field correction, translation-only
 * drift correction, timestamps, and the `_summary.csv` aggregation. Pure
 * functions on row-major typed arrays (frames Float32Array, labels Uint16/Uint32Array); no Electron,
 * no onnxruntime.
 */
export * from './errors';
export { measureFrame, MEASUREMENT_COLUMNS } from './measure/measure-frame';
export type { FrameMeasurements, MeasureOptions, MeasurementColumn } from './measure/measure-frame';
export { gatherRegionStats } from './measure/region-stats';
export type { LabelImage, RegionStats } from './measure/region-stats';
export { ConvexAreaCounter } from './measure/convex-area';
export { ellipseShape, unbiasedSkewness } from './measure/shape';
export type { EllipseShape, NormalisedMoments } from './measure/shape';
export { backgroundLevel, quantileLinear } from './background/percentile';
export type { BackgroundOptions } from './background/percentile';
export { relativeIntensities } from './background/relative';
export type { RelativeIntensities } from './background/relative';
export { GaussianBlur, openCvAutoSigma, openCvGaussianKernel, reflect101 } from './background/gaussian-blur';
export {
  BACKGROUND_BLUR_UM,
  BackgroundMethodError,
  backgroundKernelSize,
  correctBackgroundStandard,
  planBackgroundCorrection,
} from './background/flat-field';
export type { BackgroundMethod, BackgroundPlan, ChannelCorrection } from './background/flat-field';
export { BASIC_DEFAULTS, BasicFitError, fitBasic } from './background/basic';
export type { BasicFit, BasicSettings, WorkingStack } from './background/basic';
export { basicFlatfieldAtSize, BasicStack, correctBasicTimelapse } from './background/basic-frames';
export { Dct1d, Dct2d } from './background/dct';
export { DriftEstimator, estimateDrift, templateBox } from './align/drift';
export type { DriftOptions, DriftShift } from './align/drift';
export {
  applyShift,
  commonCrop,
  cropFrame,
  quantizeShift,
  sampleShifted,
  SUBPIXEL_STEPS,
} from './align/shift';
export type { CropBox, Shift } from './align/shift';
export { nccAt, nccMapFft, prepareTemplate } from './align/ncc';
export type { Plane, PreparedTemplate } from './align/ncc';
export { frameTimestamps, formatDateTime, wallClockMs } from './timestamps';
export type { FrameTimestamps } from './timestamps';
export { SUMMARY_AGGREGATES, SUMMARY_KEYS, summarise } from './summary';
export type { SummaryInputRow, SummaryRow, SummaryValue } from './summary';

/**
 * Cell tracking: HiTMicTools' Hungarian trackers v2 and v5 (exact), piPOS lock-in, tracker
 * selection from a `tracking:` config section, btrack configuration parsing and a Kalman-predicted
 * linker driven by it. Pure functions over columnar detection tables; no Electron, no ONNX.
 */
export { linearSumAssignment, assignThenGate, type Assignment } from './assignment';
export {
  trackHungarianV2,
  createHungarianV2,
  formatV2Summary,
  HUNGARIAN_V2_DEFAULTS,
  type HungarianV2Params,
} from './hungarian-v2';
export { trackHungarianV5, createHungarianV5 } from './hungarian-v5';
export { HUNGARIAN_V5_DEFAULTS, checkV5Params, type HungarianV5Params } from './hungarian-v5-params';
export { stitchTracks, type StitchResult } from './stitch';
export { applyPiposLockin, PIPOS, type PiposLockinResult, type PiposLockinSummary } from './pipos-lockin';
export {
  selectTracker,
  HUNGARIAN_VERSIONS,
  TRACKING_BACKENDS,
  type TrackerSelection,
  type TrackerSources,
} from './select';
export { readBtrackDocument, normaliseBtrackDocument } from './btrack/document';
export { parseBtrackConfig, parseBtrackConfigText } from './btrack/parse';
export { applyBtrackOverrides, type OverrideResult } from './btrack/override';
export { trackKalman, createKalmanLinker, type KalmanLinkerOptions } from './btrack/linker';
export { btrackToHungarianV5Params } from './btrack/fallback';
export type { BtrackConfig, BtrackMotionModel, BtrackHypothesisModel, BtrackMatrix } from './btrack/types';
export * from './errors';
export type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from './types';

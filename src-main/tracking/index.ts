/**
 * Cell tracking: HiTMicTools' Hungarian trackers v2 and v5 (exact), piPOS lock-in, tracker
 * selection from a `tracking:` config section, btrack configuration parsing and the tracker it
 * drives (Kalman tracklets, then a global assignment with btrack's hypothesis model), divisions in
 * the Cell Tracking Challenge convention for every tracker (lineage.ts), Cell Tracking Challenge
 * folders and scores (ctc/, evaluate/), and tracking of label movies from any segmentation
 * (label-movie/). The trackers are pure functions over columnar detection tables; no Electron, no
 * ONNX.
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
  LINEAGE_MODES,
  TRACKING_BACKENDS,
  type LineageMode,
  type TrackerSelection,
  type TrackerSources,
} from './select';
export { readBtrackDocument, normaliseBtrackDocument } from './btrack/document';
export { parseBtrackConfig, parseBtrackConfigText } from './btrack/parse';
export { applyBtrackOverrides, type OverrideResult } from './btrack/override';
export {
  trackKalman,
  createKalmanLinker,
  KALMAN_LINKER_DEFAULTS,
  type KalmanLinkerOptions,
} from './btrack/linker';
export { BACTERIA_BTRACK_CONFIG, bacteriaBtrackConfigText } from './btrack/bacteria';
export { DAUGHTER_OFFSET } from './btrack/divisions';
export {
  ctcLineage,
  DIVISION_SEARCH_DEFAULTS,
  inferDivisions,
  splitAtDivisions,
  type DivisionSearch,
  type LineageSource,
} from './lineage';
export { solveLinks, type LinkProblem } from './link-lap';
export { ctcTracksFromRows, formatTrackTable, parseTrackTable, type CtcTrack } from './ctc/tracks';
export {
  ctcDigits,
  ctcMaskName,
  evaluateCtc,
  readCtcFolder,
  readMask,
  type CtcFolder,
  type EvaluateOptions,
} from './ctc/folder';
export { CtcFormatError } from './ctc/errors';
export { identityMatch, matchFrame, type FrameMatch, type Labels } from './evaluate/match';
export {
  AOGM_WEIGHTS,
  scoreDivisions,
  scoreTracking,
  type AogmCounts,
  type PrecisionRecall,
  type TrackingScores,
} from './evaluate/aogm';
export {
  LabelMovieError,
  openLabelMovie,
  readLabelDetections,
  readLabelFrame,
  type LabelDetections,
  type ReadLabelsOptions,
} from './label-movie/read';
export {
  trackLabelMovie,
  TrackOutputExistsError,
  TRACKS_COLUMNS,
  type TrackLabelMovieOptions,
  type TrackLabelMovieReport,
  type TrackOutputFormat,
} from './label-movie/track';
export { btrackToHungarianV5Params } from './btrack/fallback';
export type { BtrackConfig, BtrackMotionModel, BtrackHypothesisModel, BtrackMatrix } from './btrack/types';
export * from './errors';
export type { DetectionTable, Tracker, TrackingLogger, TrackingResult, TrackingSummary } from './types';

/**
 * Mapping of a btrack configuration onto HiTMicTools Hungarian v5 parameters, for users who want
 * v5's behaviour (re-id, stitching) with their btrack settings: `max_distance =
 * max_search_radius`, `gap_bridge_frames = motion_model.max_lost`; every other v5 parameter keeps
 * its default. (Documented fallback of the btrack backend; the default btrack route is the
 * Kalman linker.)
 */
import { HUNGARIAN_V5_DEFAULTS, type HungarianV5Params } from '../hungarian-v5-params';
import type { BtrackConfig } from './types';

export function btrackToHungarianV5Params(config: BtrackConfig): HungarianV5Params {
  return {
    ...HUNGARIAN_V5_DEFAULTS,
    division_area_ratio_range: [...HUNGARIAN_V5_DEFAULTS.division_area_ratio_range],
    max_distance: config.max_search_radius,
    gap_bridge_frames: config.motion_model.max_lost,
  };
}

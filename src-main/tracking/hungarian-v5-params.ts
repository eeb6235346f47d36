/**
 * Parameters of HiTMicTools' Hungarian tracker v5 (`tracking/hungarian_tracker_v5.py`), with the
 * Python defaults ("tuned for immobilized cocci"), and their validation.
 */
import { TrackingConfigError } from './errors';

export interface HungarianV5Params {
  /** Gate on the pure Euclidean link distance, pixels [10.0]; also scales the area/shape terms. */
  max_distance: number;
  /** Frames a track may stay unseen and still be linked; silent longer → retired [5]. */
  gap_bridge_frames: number;
  /** Weight of the relative area change in the link cost [0.3]. */
  area_weight: number;
  /** Weight of the relative axis-length change in the link cost [0.0]. */
  shape_weight: number;
  detect_divisions: boolean;
  /** Daughter/mother area ratio range, inclusive [0.30, 0.70]. */
  division_area_ratio_range: [number, number];
  /** Maximum sister-to-sister distance, strict `<` [15.0]. */
  division_search_radius: number;
  reid_enabled: boolean;
  /** Retired tracks last seen ≤ this many frames ago can be re-identified [16]. */
  reid_max_gap: number;
  /** Re-id hard gates: distance ≤ 10, relative area change ≤ 0.30, relative shape change ≤ 1.0. */
  reid_max_distance: number;
  reid_area_tol: number;
  reid_shape_tol: number;
  /** Post-hoc stitching distance [8.0]; null or ≤ 0 disables stitching. */
  stitch_max_distance: number | null;
}

export const HUNGARIAN_V5_DEFAULTS: Readonly<HungarianV5Params> = Object.freeze({
  max_distance: 10.0,
  gap_bridge_frames: 5,
  area_weight: 0.3,
  shape_weight: 0.0,
  detect_divisions: true,
  division_area_ratio_range: [0.3, 0.7] as [number, number],
  division_search_radius: 15.0,
  reid_enabled: true,
  reid_max_gap: 16,
  reid_max_distance: 10.0,
  reid_area_tol: 0.3,
  reid_shape_tol: 1.0,
  stitch_max_distance: 8.0,
});

const NUMBER_KEYS = [
  'max_distance',
  'gap_bridge_frames',
  'area_weight',
  'shape_weight',
  'division_search_radius',
  'reid_max_gap',
  'reid_max_distance',
  'reid_area_tol',
  'reid_shape_tol',
] as const;

/** Checks types of a complete parameter set. @throws TrackingConfigError naming the key. */
export function checkV5Params(p: HungarianV5Params): void {
  const at = (k: string): string => `tracking.parameters.${k}`;
  for (const k of NUMBER_KEYS) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) {
      throw new TrackingConfigError(
        at(k),
        'a finite number',
        JSON.stringify(p[k]),
        `Set ${k} to a number (default ${HUNGARIAN_V5_DEFAULTS[k]}).`,
      );
    }
  }
  for (const k of ['detect_divisions', 'reid_enabled'] as const) {
    if (typeof p[k] !== 'boolean') {
      throw new TrackingConfigError(
        at(k),
        'true or false',
        JSON.stringify(p[k]),
        `Set ${k} to true or false.`,
      );
    }
  }
  const r = p.division_area_ratio_range;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TrackingConfigError(
      at('division_area_ratio_range'),
      'a pair of numbers [min, max]',
      JSON.stringify(r),
      'Write it as [0.30, 0.70].',
    );
  }
  const s = p.stitch_max_distance;
  if (s !== null && (typeof s !== 'number' || !Number.isFinite(s))) {
    throw new TrackingConfigError(
      at('stitch_max_distance'),
      'a number or null',
      JSON.stringify(s),
      'Use a distance in pixels (8.0), or null to disable stitching.',
    );
  }
}

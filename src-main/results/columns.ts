import { MEASUREMENT_COLUMNS } from '../analysis';

/** Columns of `{movie}_fl.csv`: HiTMicTools' names and order, then ours (DESIGN.md). */
export const FL_COLUMNS = [
  ...MEASUREMENT_COLUMNS,
  'object_class',
  'date_time',
  'timestep',
  'abslag_in_s',
  'background',
  'rel_max_intensity',
  'rel_min_intensity',
  'rel_mean_intensity',
  'trackid',
  'parent_track_id',
  'pi_class',
  'file',
  'class_prob',
  'pi_prob',
  // centroid_0/1 are in the analysis frame (aligned and cropped, as HiTMicTools); these are the
  // same centroids in the movie's own pixels (row, column), where the Viewer draws them.
  'centroid_0_movie',
  'centroid_1_movie',
] as const;

/** Columns of `{movie}_oof_summary.csv` (the oof_detection pipeline). */
export const OOF_SUMMARY_COLUMNS = ['object_class', 'x', 'y', 'source', 'score'] as const;

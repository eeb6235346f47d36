/**
 * Validation of the detection table and its grouping by frame (sorted distinct frame values,
 * row indices of each frame in input row order), shared by all trackers.
 */
import { DetectionTableError } from './errors';
import type { DetectionTable } from './types';

/** Rows of each distinct frame value, frames ascending, rows in input order. */
export interface FrameGroups {
  frames: number[];
  rows: Int32Array[];
}

/**
 * Checks that every present column has `frame.length` entries and that centroids (and area/axes
 * where present) are finite. @throws DetectionTableError naming the column and row.
 */
export function validateTable(t: DetectionTable): void {
  const n = t.frame.length;
  const cols: [string, ArrayLike<number> | undefined][] = [
    ['centroid_0', t.centroid_0],
    ['centroid_1', t.centroid_1],
    ['area', t.area],
    ['major_axis_length', t.major_axis_length],
    ['minor_axis_length', t.minor_axis_length],
    ['orientation', t.orientation],
  ];
  for (const [name, col] of cols) {
    if (col === undefined) continue;
    if (col.length !== n) {
      throw new DetectionTableError(
        `column '${name}'`,
        `${n} rows (the length of 'frame')`,
        `${col.length}`,
        'Pass columns of one measurement table; every column must have one entry per detection.',
      );
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i])) {
        throw new DetectionTableError(
          `column '${name}', row ${i}`,
          'a finite number',
          String(col[i]),
          'Drop or fix detections with missing measurements before tracking.',
        );
      }
    }
  }
}

/** Groups row indices by frame value (ascending), keeping input order inside a frame. */
export function groupByFrame(frame: Int32Array): FrameGroups {
  const counts = new Map<number, number>();
  for (let i = 0; i < frame.length; i++) counts.set(frame[i], (counts.get(frame[i]) ?? 0) + 1);
  const frames = [...counts.keys()].sort((a, b) => a - b);
  const slot = new Map<number, number>();
  const rows = frames.map((f, k) => {
    slot.set(f, k);
    return new Int32Array(counts.get(f) ?? 0);
  });
  const fill = new Int32Array(frames.length);
  for (let i = 0; i < frame.length; i++) {
    const k = slot.get(frame[i]) as number;
    rows[k][fill[k]++] = i;
  }
  return { frames, rows };
}

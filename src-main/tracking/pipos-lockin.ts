/**
 * piPOS lock-in (HiTMicTools `apply_pipos_lockin`, both Hungarian versions): dead cells stay dead.
 * For each track id ≠ −1, find the first frame where `pi_class` is `'piPOS'`; every row of that
 * track at a **later** frame whose class is not `'piPOS'` becomes `'piPOS'` (rows of the same frame
 * are left as they are). Untracked rows (−1) are never changed. Pure: returns a new column.
 */
import { DetectionTableError } from './errors';
import type { TrackingLogger } from './types';

export const PIPOS = 'piPOS';

export interface PiposLockinSummary {
  trackedDetections: number;
  untrackedDetections: number;
  /** Tracks with at least one overridden row. */
  tracksAffected: number;
  overrides: number;
  piposBefore: number;
  piposAfter: number;
}

export interface PiposLockinResult {
  pi_class: (string | null)[];
  summary: PiposLockinSummary;
}

/** Applies the lock-in; `pi_class` entries may be null (unclassified), which count as not piPOS. */
export function applyPiposLockin(
  trackid: Int32Array,
  frame: Int32Array,
  piClass: readonly (string | null)[],
  logger?: TrackingLogger,
): PiposLockinResult {
  if (trackid.length !== frame.length || piClass.length !== frame.length) {
    throw new DetectionTableError(
      'columns trackid / frame / pi_class',
      `equal lengths (frame has ${frame.length})`,
      `trackid ${trackid.length}, pi_class ${piClass.length}`,
      'Pass the columns of one measurement table, after tracking and PI classification.',
    );
  }
  const firstPipos = new Map<number, number>();
  let tracked = 0;
  let piposBefore = 0;
  for (let i = 0; i < frame.length; i++) {
    if (piClass[i] === PIPOS) piposBefore++;
    if (trackid[i] === -1) continue;
    tracked++;
    if (piClass[i] === PIPOS) {
      const f = firstPipos.get(trackid[i]);
      if (f === undefined || frame[i] < f) firstPipos.set(trackid[i], frame[i]);
    }
  }
  const out = piClass.slice();
  const affected = new Set<number>();
  let overrides = 0;
  for (let i = 0; i < frame.length; i++) {
    const first = trackid[i] === -1 ? undefined : firstPipos.get(trackid[i]);
    if (first !== undefined && frame[i] > first && out[i] !== PIPOS) {
      out[i] = PIPOS;
      overrides++;
      affected.add(trackid[i]);
    }
  }
  const summary: PiposLockinSummary = {
    trackedDetections: tracked,
    untrackedDetections: frame.length - tracked,
    tracksAffected: affected.size,
    overrides,
    piposBefore,
    piposAfter: piposBefore + overrides,
  };
  logger?.info(
    [
      'piPOS lock-in summary:',
      `  Tracked detections: ${tracked}, Untracked: ${summary.untrackedDetections}`,
      `  Tracks with lock-in applied: ${summary.tracksAffected}`,
      `  Classifications overridden: ${overrides}`,
      `  piPOS count: ${piposBefore} -> ${summary.piposAfter} (+${overrides})`,
    ].join('\n'),
  );
  return { pi_class: out, summary };
}

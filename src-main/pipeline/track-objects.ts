import fs from 'node:fs';
import { selectTracker, type DetectionTable } from '../tracking';
import type { MovieJobParams } from './job-types';

export interface TrackedObjects {
  trackid: Int32Array;
  parent: Int32Array;
  tracks: number;
}

/**
 * Tracks a table of objects as the config's `tracking:` section asks (the collection's btrack
 * config when it names none), as the movie job does after its frame loop. As HiTMicTools: a
 * tracking failure is a warning and every row keeps track id −1.
 */
export function trackObjects(
  tracking: NonNullable<MovieJobParams['tracking']>,
  table: DetectionTable,
  log: { info(message: string): void; warn(message: string): void },
): TrackedObjects {
  const n = table.frame.length;
  const none = (): TrackedObjects => ({
    trackid: new Int32Array(n).fill(-1),
    parent: new Int32Array(n).fill(-1),
    tracks: 0,
  });
  if (n === 0) return none();
  const bundle =
    tracking.trackerConfig && fs.existsSync(tracking.trackerConfig)
      ? { text: fs.readFileSync(tracking.trackerConfig, 'utf8'), file: tracking.trackerConfig }
      : undefined;
  const selection = selectTracker(tracking.section ?? {}, { bundleTrackerConfig: bundle });
  log.info(selection.message);
  selection.log.forEach((l) => log.info(l));
  try {
    const r = selection.tracker.track(table);
    return { trackid: r.trackid, parent: r.parent_track_id, tracks: r.summary.tracks };
  } catch (err) {
    log.warn(`Object tracking failed: ${err instanceof Error ? err.message : String(err)}`);
    return none();
  }
}

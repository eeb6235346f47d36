/**
 * HiTMicTools v5 post-hoc track stitching (`HungarianTrackerV5.stitch_tracks`): merge a track that
 * starts where an earlier one ended.
 *
 * Tracks (ids ≠ −1) are ordered by first frame; for each track B, every earlier-ordered track A is
 * scanned from the nearest in order backwards. A qualifies when A's own last frame is strictly
 * before B's first frame, the distance from A's last centroid to B's first centroid is the
 * smallest so far (strict `<`, so on ties the nearest-in-order A wins), and the merge group of A's
 * root (A resolved through earlier merges) shares no frame with B (this keeps a mother and its
 * daughter apart). B is merged into that root if the distance is ≤ `maxDistance`. Ids of merged
 * tracks are replaced by their root id; every other id is unchanged.
 *
 * Ordering of tracks with the same first frame: HiTMicTools sorts with pandas' default unstable
 * quicksort, whose order among equal keys depends on the NumPy build and CPU; we order them by
 * ascending id (deterministic, and what an already id-ordered input gives in most cases).
 * First/last centroids are those of the rows at the track's first/last frame (first such row in
 * input order for the first frame, last such row for the last frame).
 */

export interface StitchResult {
  trackid: Int32Array;
  /** Number of merges applied. */
  stitches: number;
}

interface TrackInfo {
  id: number;
  first: number;
  last: number;
  firstC0: number;
  firstC1: number;
  lastC0: number;
  lastC1: number;
  frames: Set<number>;
}

/** Returns a new id column; the input is not modified. */
export function stitchTracks(
  trackid: Int32Array,
  frame: Int32Array,
  centroid0: Float64Array,
  centroid1: Float64Array,
  maxDistance: number,
): StitchResult {
  const byId = new Map<number, TrackInfo>();
  for (let i = 0; i < trackid.length; i++) {
    const id = trackid[i];
    if (id === -1) continue;
    const f = frame[i];
    let t = byId.get(id);
    if (!t) {
      t = {
        id,
        first: f,
        last: f,
        firstC0: centroid0[i],
        firstC1: centroid1[i],
        lastC0: centroid0[i],
        lastC1: centroid1[i],
        frames: new Set(),
      };
      byId.set(id, t);
    } else {
      if (f < t.first) {
        t.first = f;
        t.firstC0 = centroid0[i];
        t.firstC1 = centroid1[i];
      }
      if (f >= t.last) {
        t.last = f;
        t.lastC0 = centroid0[i];
        t.lastC1 = centroid1[i];
      }
    }
    t.frames.add(f);
  }
  const tracks = [...byId.values()].sort((a, b) => a.first - b.first || a.id - b.id);
  const mergeMap = new Map<number, number>();
  const mergedFrames = new Map<number, Set<number>>();
  let stitches = 0;

  for (let i = 0; i < tracks.length; i++) {
    const b = tracks[i];
    let bestA = -1;
    let best = maxDistance + 1;
    for (let j = i - 1; j >= 0; j--) {
      const a = tracks[j];
      if (a.last >= b.first) continue;
      const d = Math.hypot(b.firstC0 - a.lastC0, b.firstC1 - a.lastC1);
      if (d < best) {
        let root = a.id;
        while (mergeMap.has(root)) root = mergeMap.get(root) as number;
        const group = mergedFrames.get(root) ?? (byId.get(root) as TrackInfo).frames;
        let overlap = false;
        for (const f of b.frames) {
          if (group.has(f)) {
            overlap = true;
            break;
          }
        }
        if (!overlap) {
          best = d;
          bestA = root;
        }
      }
    }
    if (bestA !== -1 && best <= maxDistance) {
      mergeMap.set(b.id, bestA);
      let g = mergedFrames.get(bestA);
      if (!g) mergedFrames.set(bestA, (g = new Set((byId.get(bestA) as TrackInfo).frames)));
      for (const f of b.frames) g.add(f);
      stitches++;
    }
  }

  const out = Int32Array.from(trackid);
  if (mergeMap.size > 0) {
    for (let i = 0; i < out.length; i++) {
      let id = out[i];
      const seen = new Set<number>();
      while (mergeMap.has(id) && !seen.has(id)) {
        seen.add(id);
        id = mergeMap.get(id) as number;
      }
      out[i] = id;
    }
  }
  return { trackid: out, stitches };
}

/**
 * The tracks layer's geometry: which tracks are seen in a frame, the object (frame, label) a track
 * is, and tails — each cell's path over the last N frames, joined to its mother's last position
 * when it was born by a division inside the window. Points are centroids in movie pixels
 * (HiTMicTools' convention: pixel x's centre is at x), see RunTrack.
 */
import type { RunTrack } from '../api';

export interface TrackPoint {
  x: number;
  y: number;
}

export interface TailPath {
  id: number;
  /** Oldest first; the last point is the cell at the frame asked for. */
  points: TrackPoint[];
  /** The first point is the mother's last position before the division that made this cell. */
  fromParent: boolean;
}

/** Tracks indexed by frame and by (frame, label), built once per run. */
export class TrackIndex {
  readonly byId = new Map<number, RunTrack>();
  private readonly byFrame = new Map<number, { track: RunTrack; i: number }[]>();
  private readonly byObject = new Map<string, RunTrack>();

  constructor(readonly tracks: readonly RunTrack[]) {
    for (const t of tracks) {
      this.byId.set(t.id, t);
      t.frames.forEach((f, i) => {
        (this.byFrame.get(f) ?? this.byFrame.set(f, []).get(f)!).push({ track: t, i });
        this.byObject.set(`${f}:${t.labels[i]}`, t);
      });
    }
  }

  /** Tracks seen in `frame`, each with the index of its point there. */
  at(frame: number): readonly { track: RunTrack; i: number }[] {
    return this.byFrame.get(frame) ?? [];
  }

  /** The track the object `label` of `frame` belongs to. */
  trackOf(frame: number, label: number): RunTrack | undefined {
    return this.byObject.get(`${frame}:${label}`);
  }

  /** The track's label in `frame`, when it is seen there. */
  labelAt(id: number, frame: number): number | undefined {
    const t = this.byId.get(id);
    const i = t ? t.frames.indexOf(frame) : -1;
    return t && i >= 0 ? t.labels[i] : undefined;
  }

  /**
   * Where to look for track `id` at `frame`: its centroid there, else its nearest position in time
   * (the last one before, or the first after), so a view following it stays put across gaps.
   */
  positionNear(id: number, frame: number): TrackPoint | undefined {
    const t = this.byId.get(id);
    if (!t || t.frames.length === 0) return undefined;
    let k = 0;
    while (k + 1 < t.frames.length && t.frames[k + 1] <= frame) k++;
    return { x: t.x[k], y: t.y[k] };
  }

  /**
   * Tails of the cells seen in `frame`: each track's points in frames [frame − length, frame].
   * A cell whose track starts inside that window and has a mother starts at the mother's last
   * position before it, so a division shows as a fork. Single points (no history) are left out.
   */
  tails(frame: number, length: number): TailPath[] {
    const from = frame - Math.max(0, length);
    const out: TailPath[] = [];
    for (const { track: t, i } of this.at(frame)) {
      let k = i;
      while (k > 0 && t.frames[k - 1] >= from) k--;
      const points: TrackPoint[] = [];
      let fromParent = false;
      const mother = t.parent >= 0 && k === 0 ? this.byId.get(t.parent) : undefined;
      if (mother) {
        let m = -1;
        for (let j = 0; j < mother.frames.length && mother.frames[j] < t.frames[0]; j++) m = j;
        if (m >= 0 && mother.frames[m] >= from) {
          points.push({ x: mother.x[m], y: mother.y[m] });
          fromParent = true;
        }
      }
      for (let j = k; j <= i; j++) points.push({ x: t.x[j], y: t.y[j] });
      if (points.length >= 2) out.push({ id: t.id, points, fromParent });
    }
    return out;
  }
}

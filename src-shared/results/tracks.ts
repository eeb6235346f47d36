/**
 * A run's tracks read from its per-cell table: one RunTrack per `trackid`, its frames, labels and
 * centroids in movie pixels, and its lineage (`parent_track_id`: the mother a daughter came from).
 */
import type { ResultTable, RunRegistration, RunTrack, RunTracks } from '../api';
import { analysisToMovie } from './registration';
import { columnIndex, numAt } from './table';

/**
 * Tracks of a `{movie}_fl.csv` table. Centroids come from `centroid_0_movie`/`centroid_1_movie`
 * where the run wrote them; otherwise from `centroid_0`/`centroid_1` moved into the movie by the
 * run's registration (exact for unaligned runs and aligned runs that recorded their shifts). A
 * track seen twice in one frame keeps its first row there. Tracks are ordered by id.
 */
export function runTracksOf(table: ResultTable, registration: RunRegistration): RunTracks {
  const col = (n: string) => columnIndex(table, n);
  const [fi, li, ti, pi] = [col('frame'), col('label'), col('trackid'), col('parent_track_id')];
  if (fi < 0 || li < 0)
    throw new Error("the run's table has no frame/label columns; is it a HiTMic Studio _fl.csv?");
  if (ti < 0)
    return {
      tracked: false,
      tracks: [],
      divisions: 0,
      note: 'The run did not track cells (no trackid column): set tracking: true in the config.',
    };
  const movieCols = [col('centroid_1_movie'), col('centroid_0_movie')];
  const analysisCols = [col('centroid_1'), col('centroid_0')];
  const inMovie = movieCols.every((c) => c >= 0);
  const byId = new Map<number, RunTrack>();
  for (const r of table.rows) {
    const id = numAt(r, ti);
    const frame = numAt(r, fi);
    if (!Number.isInteger(id) || id < 0 || !Number.isFinite(frame)) continue;
    let x: number;
    let y: number;
    if (inMovie) {
      x = numAt(r, movieCols[0]);
      y = numAt(r, movieCols[1]);
    } else {
      const p = analysisToMovie(registration, frame, {
        x: numAt(r, analysisCols[0]),
        y: numAt(r, analysisCols[1]),
      });
      x = p.x;
      y = p.y;
    }
    let t = byId.get(id);
    if (!t) {
      const parent = pi >= 0 ? numAt(r, pi) : -1;
      t = {
        id,
        parent: Number.isInteger(parent) && parent >= 0 && parent !== id ? parent : -1,
        frames: [],
        labels: [],
        x: [],
        y: [],
      };
      byId.set(id, t);
    }
    t.frames.push(frame);
    t.labels.push(numAt(r, li));
    t.x.push(x);
    t.y.push(y);
  }
  const tracks = [...byId.values()].sort((a, b) => a.id - b.id).map(sortedByFrame);
  if (tracks.length === 0)
    return {
      tracked: false,
      tracks,
      divisions: 0,
      note: 'The trackid column is empty: the run did not track cells.',
    };
  const placed = inMovie
    ? "centroids in movie pixels from the table's centroid_*_movie columns"
    : registration.exact
      ? "centroids placed in the movie by the run's registration"
      : `centroids placed as far as run.json allows: ${registration.warning ?? 'its placement is not exact'}`;
  return {
    tracked: true,
    tracks,
    divisions: tracks.filter((t) => t.parent >= 0).length,
    note: `${tracks.length} tracks; ${placed}`,
  };
}

/** The track's points in frame order, one per frame (the first row of a frame kept). */
function sortedByFrame(t: RunTrack): RunTrack {
  const order = t.frames.map((_, i) => i).sort((a, b) => t.frames[a] - t.frames[b] || a - b);
  const out: RunTrack = { id: t.id, parent: t.parent, frames: [], labels: [], x: [], y: [] };
  for (const i of order) {
    if (out.frames.length && out.frames[out.frames.length - 1] === t.frames[i]) continue;
    out.frames.push(t.frames[i]);
    out.labels.push(t.labels[i]);
    out.x.push(t.x[i]);
    out.y.push(t.y[i]);
  }
  return out;
}

/** A track and its family: what the lineage panel shows for the selected cell. */
export interface Lineage {
  track: RunTrack;
  /** The mother's track; undefined when the track has no parent or the table lacks it (`missingParent`). */
  parent?: RunTrack;
  /** A parent id the table names but holds no rows of. */
  missingParent?: number;
  /** Tracks whose parent is this one, by first frame. */
  daughters: RunTrack[];
  /** The other daughters of the same mother. */
  sisters: RunTrack[];
  /** Ids from the mother up to the founder of the line (a cycle in bad data stops the walk). */
  ancestors: number[];
}

/** The lineage of track `id` among `tracks`; undefined when there is no such track. */
export function lineageOf(tracks: readonly RunTrack[], id: number): Lineage | undefined {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const track = byId.get(id);
  if (!track) return undefined;
  const first = (a: RunTrack, b: RunTrack) => a.frames[0] - b.frames[0] || a.id - b.id;
  const children = (p: number) => tracks.filter((t) => t.parent === p && t.id !== p).sort(first);
  const parent = track.parent >= 0 ? byId.get(track.parent) : undefined;
  const ancestors: number[] = [];
  const seen = new Set([id]);
  for (let p = track.parent; p >= 0 && !seen.has(p); p = byId.get(p)?.parent ?? -1) {
    ancestors.push(p);
    seen.add(p);
  }
  return {
    track,
    parent,
    ...(track.parent >= 0 && !parent ? { missingParent: track.parent } : {}),
    daughters: children(id),
    sisters: track.parent >= 0 ? children(track.parent).filter((t) => t.id !== id) : [],
    ancestors,
  };
}

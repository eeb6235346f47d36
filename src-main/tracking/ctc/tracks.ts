/**
 * Tracks in the Cell Tracking Challenge's form: one line `L B E P` per track (label, first frame,
 * last frame, parent label or 0), the label present in every frame from B to E. A track of ours
 * (a `trackid` with its rows) becomes one CTC track per unbroken run of frames; a run after a gap
 * is a new CTC track whose parent is the run before it (how the CTC writes a gap), and a
 * daughter's first run names the mother's run that ends before it starts.
 */
import { CtcFormatError } from './errors';

export interface CtcTrack {
  label: number;
  begin: number;
  end: number;
  /** Parent track label, 0 for none. */
  parent: number;
}

/** Parses `res_track.txt` / `man_track.txt`. @throws CtcFormatError naming the line. */
export function parseTrackTable(text: string, file: string): CtcTrack[] {
  const tracks: CtcTrack[] = [];
  const seen = new Set<number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const s = line.trim();
    if (s === '') return;
    const parts = s.split(/\s+/);
    const nums = parts.map(Number);
    if (parts.length !== 4 || !nums.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new CtcFormatError(
        file,
        `line ${i + 1}`,
        'four whole numbers "L B E P" (label, first frame, last frame, parent or 0)',
        JSON.stringify(s.slice(0, 60)),
        'Write one track per line, separated by spaces, as the Cell Tracking Challenge does.',
      );
    }
    const [label, begin, end, parent] = nums;
    if (label === 0 || end < begin || seen.has(label) || parent === label) {
      throw new CtcFormatError(
        file,
        `line ${i + 1}`,
        'a label > 0 used once, with B ≤ E and a parent other than itself',
        JSON.stringify(s),
        'Fix the track table so that every track has its own label and a valid frame range.',
      );
    }
    seen.add(label);
    tracks.push({ label, begin, end, parent });
  });
  for (const t of tracks) {
    if (t.parent !== 0 && !seen.has(t.parent)) {
      throw new CtcFormatError(
        file,
        `track ${t.label}`,
        'a parent that is a track of the table',
        `parent ${t.parent}`,
        'Add the parent track, or set P to 0.',
      );
    }
  }
  return tracks;
}

/** `L B E P` lines, by label. */
export function formatTrackTable(tracks: readonly CtcTrack[]): string {
  return [...tracks]
    .sort((a, b) => a.label - b.label)
    .map((t) => `${t.label} ${t.begin} ${t.end} ${t.parent}\n`)
    .join('');
}

/**
 * CTC tracks of per-row tracking results. `frame` are frame indices (0-based, as CTC numbers its
 * files); `parent` is each row's mother track id (−1 none) in the convention where the mother ends
 * before her daughters start (lineage.ts makes it so). Rows with `trackid` −1 get label 0 (not
 * tracked; they are left out of the masks). Labels are 1, 2, … in order of first frame, then track id.
 * @throws CtcFormatError when one track has two rows in one frame.
 */
export function ctcTracksFromRows(
  frame: Int32Array,
  trackid: Int32Array,
  parent: Int32Array,
): { tracks: CtcTrack[]; label: Int32Array } {
  const n = frame.length;
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (trackid[i] < 0) continue;
    const list = rowsOf.get(trackid[i]);
    if (list) list.push(i);
    else rowsOf.set(trackid[i], [i]);
  }
  interface Run {
    id: number;
    rows: number[];
    begin: number;
    end: number;
  }
  const runsOf = new Map<number, Run[]>();
  const runs: Run[] = [];
  for (const [id, rows] of rowsOf) {
    rows.sort((a, b) => frame[a] - frame[b]);
    const list: Run[] = [];
    for (const r of rows) {
      const last = list[list.length - 1];
      if (last && frame[r] === last.end) {
        throw new CtcFormatError(
          '',
          `track ${id}, frame ${frame[r]}`,
          'one object per track and frame',
          'two objects',
          'A tracker gave one track id to two objects of one frame; report it with the movie.',
        );
      }
      if (last && frame[r] === last.end + 1) {
        last.rows.push(r);
        last.end = frame[r];
      } else list.push({ id, rows: [r], begin: frame[r], end: frame[r] });
    }
    runsOf.set(id, list);
    runs.push(...list);
  }
  runs.sort((a, b) => a.begin - b.begin || a.id - b.id);
  const labelOfRun = new Map<Run, number>();
  runs.forEach((r, k) => labelOfRun.set(r, k + 1));
  const label = new Int32Array(n);
  const tracks: CtcTrack[] = [];
  for (const list of runsOf.values()) {
    list.forEach((run, k) => {
      const l = labelOfRun.get(run) as number;
      for (const r of run.rows) label[r] = l;
      let p = 0;
      if (k > 0) p = labelOfRun.get(list[k - 1]) as number;
      else {
        const mother = parent[run.rows[0]];
        const mRuns = mother >= 0 ? runsOf.get(mother) : undefined;
        if (mRuns) {
          // the mother's last run that ends before the daughter begins
          let best: Run | undefined;
          for (const m of mRuns) if (m.end < run.begin && (!best || m.end > best.end)) best = m;
          if (best) p = labelOfRun.get(best) as number;
        }
      }
      tracks.push({ label: l, begin: run.begin, end: run.end, parent: p });
    });
  }
  tracks.sort((a, b) => a.label - b.label);
  return { tracks, label };
}

import { AnalysisOptionError } from './errors';

/** Per-frame timing columns of `_fl.csv` / `_summary.csv`. */
export interface FrameTimestamps {
  /** `YYYY-mm-dd HH:MM:SS` (fractional seconds truncated); '' when no acquisition date is known. */
  date_time: string[];
  /** Hours since frame 0: (t_i − t_0) / 3600. */
  timestep: Float64Array;
  /** Seconds since acquisition start, t_i (not re-zeroed). */
  abslag_in_s: Float64Array;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an OME `AcquisitionDate` (ISO 8601, e.g. `2024-03-01T09:15:00`, optional fraction and
 * zone) into milliseconds on a wall-clock axis: the written date and time are kept as they are
 * and any zone suffix is ignored, as Python's `strftime` prints an aware datetime in its own zone.
 * A Date is taken by its UTC fields. Throws AnalysisOptionError on anything else.
 */
export function wallClockMs(acquisitionDate: string | Date): number {
  if (acquisitionDate instanceof Date) {
    const t = acquisitionDate.getTime();
    if (Number.isNaN(t)) throw new AnalysisOptionError('acquisitionDate', 'a valid date', 'Invalid Date');
    return t;
  }
  const m = ISO.exec(acquisitionDate.trim());
  if (!m) {
    throw new AnalysisOptionError(
      'acquisitionDate',
      "an ISO 8601 date-time like '2024-03-01T09:15:00'",
      `'${acquisitionDate}'`,
      'Pass the OME AcquisitionDate as written in the metadata, or omit it.',
    );
  }
  const frac = m[7] ? Math.trunc(Number(m[7]) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, frac);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Formats wall-clock milliseconds as `YYYY-mm-dd HH:MM:SS` (seconds truncated). */
export function formatDateTime(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * HiTMicTools' timing columns (`utils.get_timestamps`, reference §3.2) from per-frame times in
 * **seconds** since acquisition start (the movie reader converts OME DeltaT with its unit, or uses
 * ImageJ `finterval` × frame; HiTMicTools itself always assumed milliseconds):
 * - `date_time` = acquisition date + (t_i − t_0), formatted `YYYY-mm-dd HH:MM:SS`;
 * - `timestep` = (t_i − t_0) / 3600 hours;
 * - `abslag_in_s` = t_i.
 * Without an acquisition date `date_time` is '' for every frame. Non-finite times throw.
 */
export function frameTimestamps(
  timesSeconds: ArrayLike<number>,
  acquisitionDate?: string | Date,
): FrameTimestamps {
  const n = timesSeconds.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(timesSeconds[i])) {
      throw new AnalysisOptionError(
        `timesSeconds[${i}]`,
        'a finite time in seconds',
        String(timesSeconds[i]),
        'Check the DeltaT / finterval metadata of the movie.',
      );
    }
  }
  const t0 = n > 0 ? timesSeconds[0] : 0;
  const base = acquisitionDate === undefined ? null : wallClockMs(acquisitionDate);
  const out: FrameTimestamps = {
    date_time: [],
    timestep: new Float64Array(n),
    abslag_in_s: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const rel = timesSeconds[i] - t0;
    out.timestep[i] = rel / 3600;
    out.abslag_in_s[i] = timesSeconds[i];
    out.date_time.push(base === null ? '' : formatDateTime(base + Math.round(rel * 1e6) / 1e3));
  }
  return out;
}

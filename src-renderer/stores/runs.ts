import { create } from 'zustand';
import type { LogEvent, RunProgressEvent, RunSummary } from '../../src-shared/api';

const MAX_LOG = 500;

interface MovieProgress {
  stage: string;
  done: number;
  total: number;
  /** When the first frame of this movie was reported, for the ETA. */
  startedAtMs: number;
  etaS?: number;
}

interface RunsState {
  runs: RunSummary[];
  /** Live progress per run and movie (from 'run.progress' events). */
  progress: Record<string, Record<string, MovieProgress>>;
  log: LogEvent[];
  setRuns(runs: RunSummary[]): void;
  applyState(run: RunSummary): void;
  applyProgress(p: RunProgressEvent, nowMs?: number): void;
  addLog(e: LogEvent): void;
}

/** ETA from frames done so far at a constant rate; undefined before the first frame. */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || total <= done) return total <= done ? 0 : undefined;
  return Math.round(((elapsedMs / done) * (total - done)) / 1000);
}

export const useRuns = create<RunsState>((set) => ({
  runs: [],
  progress: {},
  log: [],
  setRuns: (runs) => set({ runs }),
  applyState: (run) =>
    set((s) => ({
      runs: s.runs.some((r) => r.id === run.id)
        ? s.runs.map((r) => (r.id === run.id ? run : r))
        : [run, ...s.runs],
    })),
  applyProgress: (p, nowMs = Date.now()) =>
    set((s) => {
      const forRun = { ...(s.progress[p.runId] ?? {}) };
      const prev = forRun[p.movie];
      const startedAtMs = prev?.startedAtMs ?? nowMs;
      const frames = p.stage === 'frames';
      forRun[p.movie] = {
        stage: p.stage,
        done: frames ? p.done : (prev?.done ?? 0),
        total: frames ? p.total : (prev?.total ?? p.total),
        startedAtMs,
        etaS: frames ? etaSeconds(p.done, p.total, nowMs - startedAtMs) : prev?.etaS,
      };
      return { progress: { ...s.progress, [p.runId]: forRun } };
    }),
  addLog: (e) => set((s) => ({ log: [...s.log, e].slice(-MAX_LOG) })),
}));

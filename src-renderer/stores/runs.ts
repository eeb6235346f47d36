import { create } from 'zustand';
import type {
  LogEvent,
  MemoryWait,
  RunProgressEvent,
  RunRecord,
  RunSummary,
  WorkerMemory,
} from '../../src-shared/api';
import { api, bridge } from '../app/api';
import { useRecent } from './recent';

const MAX_LOG = 500;

interface MovieProgress {
  stage: string;
  done: number;
  total: number;
  /** When the first frame of this movie was reported, for the ETA. */
  startedAtMs: number;
  etaS?: number;
  /** Set while the current stage waits for its memory booking. */
  waiting?: MemoryWait;
  /** The worker's memory after its last frame. */
  memory?: WorkerMemory;
}

interface RunsState {
  runs: RunSummary[];
  /** Runs found on disk in the output folders the backend remembers (across restarts), newest first. */
  history: RunRecord[];
  /** The history has been read at least once (an empty list then means: no runs yet). */
  historyLoaded: boolean;
  /** Live progress per run and movie (from 'run.progress' events). */
  progress: Record<string, Record<string, MovieProgress>>;
  log: LogEvent[];
  setRuns(runs: RunSummary[]): void;
  applyState(run: RunSummary): void;
  applyProgress(p: RunProgressEvent, nowMs?: number): void;
  addLog(e: LogEvent): void;
  /** Reads the runs the backend knows of; rejects on failure. */
  loadRuns(): Promise<void>;
  /** Reads the runs on disk; rejects on failure. */
  loadHistory(): Promise<void>;
  /** Stops listing an output folder (its files stay). */
  forget(outputDir: string): Promise<void>;
  /** Lists a run folder made elsewhere; rejects when the backend refuses it. Resolves with its record. */
  addFolder(outputDir: string): Promise<RunRecord>;
  /** Follows run states, progress and the log as the backend reports them; returns the stop. */
  follow(): () => void;
  /**
   * Starts the config at `configPath` (on the backend's machine), over frames `A:B` when given,
   * redoing movies already analysed when `force` (`hitmic run --force`); rejects with a BAD_INPUT
   * error when the frames are not `A:B`, or when the backend refuses. Resolves with the run.
   */
  start(configPath: string, frames: string, options?: { force?: boolean }): Promise<RunSummary>;
  cancel(runId: string): Promise<void>;
}

/** ETA from frames done so far at a constant rate; undefined before the first frame. */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || total <= done) return total <= done ? 0 : undefined;
  return Math.round(((elapsedMs / done) * (total - done)) / 1000);
}

export const useRuns = create<RunsState>((set, get) => ({
  runs: [],
  history: [],
  historyLoaded: false,
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
        waiting: p.waiting,
        memory: p.memory ?? prev?.memory,
      };
      return { progress: { ...s.progress, [p.runId]: forRun } };
    }),
  addLog: (e) => set((s) => ({ log: [...s.log, e].slice(-MAX_LOG) })),
  loadRuns: async () => get().setRuns(await api().runs.list()),
  loadHistory: async () => set({ history: await api().runs.history(), historyLoaded: true }),
  forget: async (outputDir) => {
    await api().runs.forget(outputDir);
    await get().loadHistory();
  },
  addFolder: async (outputDir) => {
    const record = await api().runs.addFolder(outputDir.trim());
    await get().loadHistory();
    return record;
  },
  follow: () => {
    const offs = [
      bridge().subscribe('run.state', (r) => {
        get().applyState(r);
        // A run that planned its output folder or ended changes what is on disk.
        void get()
          .loadHistory()
          .catch(() => undefined);
      }),
      bridge().subscribe('run.progress', (p) => get().applyProgress(p)),
      bridge().subscribe('log', (e) => get().addLog(e)),
    ];
    return () => offs.forEach((off) => off());
  },
  start: async (configPath, frames, options = {}) => {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(frames);
    if (frames.trim() && !m)
      throw { code: 'BAD_INPUT', message: `Frames must look like A:B (e.g. 0:5), not '${frames}'.` };
    useRecent.getState().remember('configs', configPath.trim());
    const run = await api().runs.start({
      configPath: configPath.trim(),
      frames: m ? [Number(m[1]), Number(m[2])] : undefined,
      force: options.force === true,
    });
    get().applyState(run);
    return run;
  },
  cancel: (runId) => api().runs.cancel(runId),
}));

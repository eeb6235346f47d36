import { create } from 'zustand';
import type { BookingsSnapshot, DeviceInfo, MemoryPoint, RunSummary } from '../../src-shared/api';
import { api, bridge } from '../app/api';
import { useConfirm } from './confirm';
import { useErrors } from './errors';

const REFRESH_MS = 2000;

interface ResourcesState {
  devices: DeviceInfo[];
  bookings: BookingsSnapshot[];
  memory: MemoryPoint[];
  /** Runs going on now (they hold or wait for the bookings). */
  jobs: RunSummary[];
  error: string | undefined;
  updatedAtMs: number | undefined;
  set(partial: Partial<Pick<ResourcesState, 'devices' | 'bookings' | 'memory' | 'jobs' | 'error'>>): void;
  /** Replaces one device's booking snapshot (from a 'bookings.changed' event). */
  applySnapshot(snapshot: BookingsSnapshot): void;
  /**
   * Reads devices, bookings, memory and running jobs now and every 2 s, and applies booking
   * changes as the backend reports them; returns the stop (answers that arrive later are dropped).
   */
  watch(): () => void;
  /**
   * Stops one of this app's own holders or waiters (a run: cancelled; the Viewer's previews and
   * checks: stopped), after asking; says what was stopped or why not.
   */
  cancelHolder(pid: number, what: string): Promise<void>;
}

export const useResources = create<ResourcesState>((set, get) => ({
  devices: [],
  bookings: [],
  memory: [],
  jobs: [],
  error: undefined,
  updatedAtMs: undefined,
  set: (partial) => set({ ...partial, updatedAtMs: Date.now() }),
  applySnapshot: (snapshot) =>
    set((s) => ({
      bookings: s.bookings.some((b) => b.device === snapshot.device)
        ? s.bookings.map((b) => (b.device === snapshot.device ? snapshot : b))
        : [...s.bookings, snapshot],
      updatedAtMs: Date.now(),
    })),
  watch: () => {
    let live = true;
    const refresh = () =>
      Promise.all([
        api().resources.devices(),
        api().resources.bookings(),
        api().resources.memory(),
        api().runs.list(),
      ]).then(
        ([devices, bookings, memory, runs]) => {
          if (!live) return;
          const jobs = runs.filter((r) => r.state === 'running');
          get().set({ devices, bookings, memory, jobs, error: undefined });
        },
        (e: { message?: string }) => live && get().set({ error: e?.message ?? String(e) }),
      );
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    const off = bridge().subscribe('bookings.changed', (s) => get().applySnapshot(s));
    return () => {
      live = false;
      clearInterval(timer);
      off();
    };
  },
  cancelHolder: async (pid, what) => {
    const ok = await useConfirm.getState().ask({
      title: 'Stop this job?',
      message: `pid ${pid} (${what}) is one of HiTMic Studio's jobs. Stopping it gives its memory back; a run is cancelled (movies it finished keep their results).`,
      confirmLabel: 'Stop it',
      danger: true,
    });
    if (!ok) return;
    try {
      await api().resources.cancelHolder(pid);
    } catch (e) {
      useErrors.getState().show(`Could not stop pid ${pid}`, e);
    }
  },
}));

/** Fraction of `part` in `whole`, clamped to [0, 100] %, for progress bars. */
export function percentOf(part: number, whole: number | null | undefined): number {
  if (!whole || whole <= 0 || !Number.isFinite(part)) return 0;
  return Math.max(0, Math.min(100, (part / whole) * 100));
}

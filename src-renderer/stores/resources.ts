import { create } from 'zustand';
import type { BookingsSnapshot, DeviceInfo, MemoryPoint } from '../../src-shared/api';

interface ResourcesState {
  devices: DeviceInfo[];
  bookings: BookingsSnapshot[];
  memory: MemoryPoint[];
  error: string | undefined;
  updatedAtMs: number | undefined;
  set(partial: Partial<Pick<ResourcesState, 'devices' | 'bookings' | 'memory' | 'error'>>): void;
  /** Replaces one device's booking snapshot (from a 'bookings.changed' event). */
  applySnapshot(snapshot: BookingsSnapshot): void;
}

export const useResources = create<ResourcesState>((set) => ({
  devices: [],
  bookings: [],
  memory: [],
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
}));

/** Fraction of `part` in `whole`, clamped to [0, 100] %, for progress bars. */
export function percentOf(part: number, whole: number | null | undefined): number {
  if (!whole || whole <= 0 || !Number.isFinite(part)) return 0;
  return Math.max(0, Math.min(100, (part / whole) * 100));
}

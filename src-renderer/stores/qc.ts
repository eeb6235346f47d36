import { create } from 'zustand';
import type { PiStatus, QcCorrection, QcCropSet } from '../../src-shared/api';

export interface QcFilterForm {
  className: string;
  pi: PiStatus;
  frameMin: string;
  frameMax: string;
  /** Confidence range, 0–1. */
  confidence: [number, number];
  limit: number;
}

export interface RunRef {
  outputDir: string;
  movie: string;
}

interface QcState {
  set: QcCropSet | undefined;
  /** The run the crops came from (relabels go there). */
  run: RunRef | undefined;
  corrections: QcCorrection[];
  /** Label of the crop in focus (keys 1–5 relabel it). */
  selected: number | undefined;
  filter: QcFilterForm;
  busy: boolean;
  error: string | undefined;
  lastExport: { path: string; count: number; csv: string } | undefined;
  setCrops(set: QcCropSet | undefined, run: RunRef | undefined): void;
  setCorrections(c: QcCorrection[]): void;
  select(label: number | undefined): void;
  setFilter(f: Partial<QcFilterForm>): void;
  setBusy(busy: boolean): void;
  setError(error: string | undefined): void;
  setLastExport(e: { path: string; count: number; csv: string } | undefined): void;
}

export const useQc = create<QcState>((set) => ({
  set: undefined,
  run: undefined,
  corrections: [],
  selected: undefined,
  filter: { className: '', pi: 'any', frameMin: '', frameMax: '', confidence: [0, 1], limit: 200 },
  busy: false,
  error: undefined,
  lastExport: undefined,
  setCrops: (s, run) =>
    set({ set: s, run, corrections: s?.corrections ?? [], selected: s?.crops[0]?.label, error: undefined }),
  setCorrections: (corrections) => set({ corrections }),
  select: (selected) => set({ selected }),
  setFilter: (f) => set((s) => ({ filter: { ...s.filter, ...f } })),
  setBusy: (busy) => set({ busy }),
  setError: (error) => set({ error }),
  setLastExport: (lastExport) => set({ lastExport }),
}));

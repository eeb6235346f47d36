import { create } from 'zustand';
import type { PiStatus, QcCorrection, QcCrop, QcCropFilter, QcCropSet } from '../../src-shared/api';
import { api } from '../app/api';
import { frameBound, runKey, useResults } from './results';

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
  /** Fetches the crops of the run in the Results/QC picker with the filter in this store. */
  loadCrops(): Promise<void>;
  /**
   * Relabels `crop` as `newClass` beside the run (shown in Results too when it shows that run),
   * then selects `next`.
   */
  relabel(crop: QcCrop, newClass: string, next?: number): Promise<void>;
  /** Writes the corrections as CSV beside the run. */
  exportCorrections(): Promise<void>;
}

const message = (e: unknown) => (e as { message?: string })?.message ?? String(e);

export const useQc = create<QcState>((set, get) => ({
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
  loadCrops: async () => {
    const { outputDir, movie } = useResults.getState();
    const qc = get();
    const f = qc.filter;
    const filter: QcCropFilter = {
      className: f.className || undefined,
      pi: f.pi,
      frameMin: frameBound(f.frameMin),
      frameMax: frameBound(f.frameMax),
      minConfidence: f.confidence[0] > 0 ? f.confidence[0] : undefined,
      maxConfidence: f.confidence[1] < 1 ? f.confidence[1] : undefined,
      limit: f.limit,
    };
    qc.setBusy(true);
    try {
      const run = { outputDir: outputDir.trim(), movie: movie.trim() };
      qc.setCrops(await api().qc.crops(run.outputDir, run.movie, filter), run);
      qc.setLastExport(undefined);
    } catch (e) {
      qc.setCrops(undefined, undefined);
      qc.setError(message(e));
    } finally {
      qc.setBusy(false);
    }
  },
  relabel: async (crop, newClass, next) => {
    const { run } = get();
    if (!run) return;
    try {
      const held = await api().qc.relabel(run.outputDir, run.movie, [
        { frame: crop.frame, label: crop.label, oldClass: crop.className, newClass },
      ]);
      get().setCorrections(held);
      const results = useResults.getState();
      if (results.loadedKey === runKey(run.outputDir, run.movie)) results.setCorrections(held);
      if (next !== undefined) get().select(next);
    } catch (e) {
      get().setError(message(e));
    }
  },
  exportCorrections: async () => {
    const { run } = get();
    if (!run) return;
    try {
      const r = await api().qc.exportCorrections(run.outputDir, run.movie);
      get().setLastExport({ path: r.path, count: r.count, csv: r.csv });
    } catch (e) {
      get().setError(message(e));
    }
  },
}));

import { create } from 'zustand';
import type { MovieLineage, QcCorrection, ResultTable } from '../../src-shared/api';
import { api } from '../app/api';

export interface TableView {
  sortColumn: string | undefined;
  sortDirection: 'asc' | 'desc';
  className: string;
  pi: 'any' | 'positive' | 'negative';
  frameMin: string;
  frameMax: string;
  page: number;
  rowsPerPage: number;
}

interface ResultsState {
  /** The run output folder and movie shown (shared with the QC gallery). */
  outputDir: string;
  movie: string;
  cells: ResultTable | undefined;
  summary: ResultTable | undefined;
  /** Tracks, colonies and divisions of the loaded movie (undefined when it was not tracked). */
  lineage: MovieLineage | undefined;
  loadedKey: string | undefined;
  /** QC corrections held beside the run, and whether the table and plots show them applied. */
  corrections: QcCorrection[];
  applyCorrections: boolean;
  busy: boolean;
  error: string | undefined;
  view: TableView;
  setLocation(outputDir: string, movie: string): void;
  setLoaded(cells: ResultTable | undefined, summary: ResultTable | undefined, key: string | undefined): void;
  setCorrections(corrections: QcCorrection[]): void;
  setLineage(lineage: MovieLineage | undefined): void;
  setApplyCorrections(on: boolean): void;
  setBusy(busy: boolean): void;
  setError(error: string | undefined): void;
  setView(v: Partial<TableView>): void;
  /** Loads `{movie}_fl.csv`, `{movie}_summary.csv`, the QC corrections and the lineage of the run in the picker. */
  load(): Promise<void>;
}

const INITIAL_VIEW: TableView = {
  sortColumn: undefined,
  sortDirection: 'asc',
  className: '',
  pi: 'any',
  frameMin: '',
  frameMax: '',
  page: 0,
  rowsPerPage: 25,
};

export const useResults = create<ResultsState>((set, get) => ({
  outputDir: '',
  movie: '',
  cells: undefined,
  summary: undefined,
  lineage: undefined,
  loadedKey: undefined,
  corrections: [],
  applyCorrections: true,
  busy: false,
  error: undefined,
  view: INITIAL_VIEW,
  setLocation: (outputDir, movie) => set({ outputDir, movie }),
  setLoaded: (cells, summary, loadedKey) =>
    set({ cells, summary, loadedKey, view: INITIAL_VIEW, error: undefined }),
  setCorrections: (corrections) => set({ corrections }),
  setLineage: (lineage) => set({ lineage }),
  setApplyCorrections: (applyCorrections) => set({ applyCorrections }),
  setBusy: (busy) => set({ busy }),
  setError: (error) => set({ error }),
  // Changing a filter or the sort goes back to the first page.
  setView: (v) =>
    set((s) => ({
      view: {
        ...s.view,
        ...v,
        page: v.page ?? (Object.keys(v).some((k) => k !== 'rowsPerPage') ? 0 : s.view.page),
      },
    })),
  load: async () => {
    const s = get();
    const outputDir = s.outputDir.trim();
    const movie = s.movie.trim();
    s.setBusy(true);
    s.setError(undefined);
    try {
      const [cells, summary, qc, lineage] = await Promise.all([
        api().results.cells(outputDir, movie),
        api()
          .results.summary(outputDir, movie)
          .catch(() => undefined),
        // limit 0: only the corrections held beside the run, no pixels.
        api()
          .qc.crops(outputDir, movie, { limit: 0 })
          .catch(() => undefined),
        // An untracked movie has no lineage: the panel is simply not shown.
        api()
          .results.lineage(outputDir, movie)
          .catch(() => undefined),
      ]);
      s.setLoaded(cells, summary, runKey(outputDir, movie));
      s.setCorrections(qc?.corrections ?? []);
      s.setLineage(lineage);
    } catch (e) {
      s.setLoaded(undefined, undefined, undefined);
      s.setLineage(undefined);
      s.setError((e as { message?: string })?.message ?? String(e));
    } finally {
      s.setBusy(false);
    }
  },
}));

/** Which run's tables are loaded (`loadedKey`): its output folder and movie. */
export function runKey(outputDir: string, movie: string): string {
  return `${outputDir}\n${movie}`;
}

/** A frame bound typed by the user: a whole number, or undefined when blank or not a number. */
export function frameBound(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

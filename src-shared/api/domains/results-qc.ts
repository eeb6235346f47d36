/**
 * Results and QC: the per-cell table and summary of an analysed movie, and the crops of its
 * classified cells for checking and relabelling.
 */
export interface ResultsApi {
  cells(runId: string, movie: string): Promise<ResultTable>;
  summary(runId: string, movie: string): Promise<ResultTable>;
}

export interface QcApi {
  crops(runId: string, movie: string, filter?: { className?: string; maxConfidence?: number }): Promise<QcCrop[]>;
  relabel(runId: string, movie: string, corrections: QcCorrection[]): Promise<void>;
  exportCorrections(runId: string, movie: string, path: string): Promise<{ path: string; count: number }>;
}

export interface ResultTable {
  columns: string[];
  rows: (string | number | null)[][];
}

export interface QcCrop {
  frame: number;
  label: number;
  className: string;
  confidence: number;
  piClass?: string;
  width: number;
  height: number;
  data: Float32Array;
}

export interface QcCorrection {
  frame: number;
  label: number;
  oldClass: string;
  newClass: string;
}


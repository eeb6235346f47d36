import type { QcApi, ResultsApi } from '../../src-shared/api';
import { cutCrops, exportCorrections, movieResults, movieTable, saveCorrections } from '../results';

/** The Results domain: a finished run's tables, read back typed (src-main/results). */
export function createResultsApi(): ResultsApi {
  return {
    cells: async (outputDir, movie) => movieTable(movieResults(outputDir, movie), 'cells'),
    summary: async (outputDir, movie) => movieTable(movieResults(outputDir, movie), 'summary'),
  };
}

/** The QC domain: crops of classified cells and the corrections kept beside the run. */
export function createQcApi(): QcApi {
  return {
    crops: (outputDir, movie, filter) => cutCrops(movieResults(outputDir, movie), filter),
    relabel: async (outputDir, movie, corrections) =>
      saveCorrections(movieResults(outputDir, movie), corrections),
    exportCorrections: (outputDir, movie, target) =>
      exportCorrections(movieResults(outputDir, movie), target),
  };
}

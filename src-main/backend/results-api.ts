import type { QcApi, ResultsApi } from '../../src-shared/api';
import { runTracksOf } from '../../src-shared/results';
import {
  cutCrops,
  exportCorrections,
  movieLineage,
  movieRegistration,
  movieResults,
  movieTable,
  saveCorrections,
} from '../results';
import { checkOutputFile } from './output-files';

/** The Results domain: a finished run's tables, read back typed (src-main/results). */
export function createResultsApi(): ResultsApi {
  return {
    cells: async (outputDir, movie) => movieTable(movieResults(outputDir, movie), 'cells'),
    summary: async (outputDir, movie) => movieTable(movieResults(outputDir, movie), 'summary'),
    registration: async (outputDir, movie) => movieRegistration(movieResults(outputDir, movie)),
    tracks: async (outputDir, movie) => {
      const results = movieResults(outputDir, movie);
      return runTracksOf(movieTable(results, 'cells'), movieRegistration(results));
    },
    lineage: async (outputDir, movie) => movieLineage(movieResults(outputDir, movie)),
  };
}

/** The QC domain: crops of classified cells and the corrections kept beside the run. */
export function createQcApi(): QcApi {
  return {
    crops: (outputDir, movie, filter) => cutCrops(movieResults(outputDir, movie), filter),
    relabel: async (outputDir, movie, corrections) =>
      saveCorrections(movieResults(outputDir, movie), corrections),
    exportCorrections: async (outputDir, movie, target) => {
      const results = movieResults(outputDir, movie);
      // A path from the caller is relative to the run folder, and goes only where
      // output-files.ts lets a corrections export go; the default name is checked the same way.
      const asked = target === undefined || target === null ? results.file('qcCorrectionsCsv') : target;
      return exportCorrections(results, checkOutputFile(asked, 'corrections-csv', results.folder.dir));
    },
  };
}

import type { QcApi, ResultsApi } from '../../src-shared/api/contract';
import { notAvailable } from '../../src-shared/api/errors';

const ISSUE = 'the interactive-analysis issue (#8)';
const pending = (method: string) => async (): Promise<never> => {
  throw notAvailable(method, ISSUE);
};

/** The Results and QC domains (issue #8): not available yet, said plainly. */
export function createResultsApi(): ResultsApi {
  return { cells: pending('results.cells'), summary: pending('results.summary') };
}

export function createQcApi(): QcApi {
  return { crops: pending('qc.crops'), relabel: pending('qc.relabel'), exportCorrections: pending('qc.exportCorrections') };
}

/**
 * A run's results as both sides read them: the names of each movie's files, the typed per-cell
 * table (cells, filters, PI status), QC crops and corrections, the series the Results plots draw,
 * where a run's analysis frame lies in its movie (registration), and its tracks and lineages.
 */
export * from './corrections';
export * from './crops';
export * from './lineage';
export * from './plots';
export * from './registration';
export * from './run-files';
export * from './table';
export * from './tracks';
export * from './figures';

/**
 * A run's results as both sides read them: the names of each movie's files, the typed per-cell
 * table (cells, filters, PI status), QC crops and corrections, and the series the Results plots draw.
 */
export * from './corrections';
export * from './crops';
export * from './lineage';
export * from './plots';
export * from './run-files';
export * from './table';

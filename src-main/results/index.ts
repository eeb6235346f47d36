/**
 * A run's results on disk: the run folder and the names of each movie's files (which movies are
 * done), the tables read back typed and cached, the QC crops cut from the labels and restored
 * stacks, and the QC corrections kept beside the run. The pipeline writes what this folder names;
 * Results, QC, the demo and `hitmic run`'s skip rule read it; the backend only binds it.
 */
export { FL_COLUMNS, OOF_SUMMARY_COLUMNS } from './columns';
export { exportCorrections, readCorrections, saveCorrections } from './corrections';
export { checkCropFilter, cutCrops } from './crops';
export { ResultsError } from './errors';
export { movieRegistration, readRunFacts, type RunFacts } from './run-facts';
export { missingFile, movieResults, RunFolder, type MovieResults } from './run-folder';
export { listRunFolder, type MovieOnDisk, type RunFolderListing } from './run-listing';
export { movieTable, readResultTable } from './tables';
export { movieLineage, readRunTracks, type RunTracks } from './tracks';
export {
  COMPLETION_FILES,
  movieName,
  movieOfRunFile,
  RUN_FILE_SUFFIXES,
  runFileName,
  type RunFileKind,
} from '../../src-shared/results';

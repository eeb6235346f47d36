/**
 * Files written so that nothing half-written looks complete (temporary name, rename when
 * complete), and CSV tables in the project's one dialect (src-shared/io/csv.ts).
 */
export {
  AtomicFile,
  FileWriteError,
  partialPathFor,
  publishTogether,
  renameIntoPlace,
  writeFileAtomic,
  writeJsonAtomic,
  type AtomicWriteOptions,
} from './atomic';
export { CsvWriteError, writeCsvAtomic, writeCsvTo } from './csv-file';
export {
  ensurePrivateDir,
  readSettingsJson,
  SettingsError,
  userSettingsDir,
  writeSettingsJson,
} from './settings';

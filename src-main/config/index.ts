/**
 * Run configs on disk: the pure validator of src-shared/config plus what needs the file system —
 * reading the file, resolving relative paths as HiTMicTools and HiTMic Studio do, checking that
 * referenced files and the model collection are there.
 */
export {
  ConfigFileError,
  ConfigInvalidError,
  checkRunConfigText,
  loadRunConfig,
  loadValidRunConfig,
  type LoadedConfig,
  type LoadOptions,
  type ValidRunConfig,
} from './load';
export { configTemplate } from './template';
export { configUsage } from './usage';

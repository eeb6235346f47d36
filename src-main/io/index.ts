/**
 * Public surface of file I/O: open movies for streaming plane reads, read TIFF pages, write
 * ImageJ hyperstacks; write any file atomically (temporary name, rename when complete) and CSV
 * tables in the project's one dialect; read and write NumPy `.npy` tensors; walk ONNX files
 * (protobuf wire format, graph summary, metadata_props) and write them (the model builder); read
 * Python pickles and joblib files safely (an allow-list of globals, nothing ever called; numpy arrays
 * rebuilt from their bytes) and PyTorch checkpoints (tensor list, or tensors with values) through it.
 * Import from here, not from the files behind it.
 */
export type {
  MovieInfo,
  MovieShape,
  PixelArray,
  PixelDType,
  PixelSource,
  Plane,
  PlaneLocation,
  PlaneSelection,
} from '../../src-shared/io';
export { planeIndex } from '../../src-shared/io';
export { holdsOnePlane, openMovie, type OpenMovieOptions } from './movie/open';
export { groupSequenceFiles, type FileGroup } from './movie/sequence';
export { Movie } from './movie/movie';
export { ThreadedMovie } from './movie/threaded';
export { sampleStats } from './movie/sample-stats';
export { TiffReader, type TiffOpenOptions } from './tiff/reader';
export type { DecodedPage } from './tiff/decode';
export type { TiffIndex, TiffLimits, TiffPage } from './tiff/page';
export { DEFAULT_LIMITS } from './tiff/page';
export { planeBudget, PLANE_BUDGET_ENV } from './tiff/limits';
export { TiffError, isAbortError, type TiffErrorCode } from './tiff/errors';
export { parseImageJDescription, formatImageJDescription, type ImageJMeta } from './tiff/imagej';
export { parseOmeXml, type OmeMeta } from './movie/ome-xml';
export { HyperstackWriter, type HyperstackWriterOptions, type WriterDType } from './tiff/writer';
export {
  AtomicFile,
  CsvWriteError,
  FileWriteError,
  partialPathFor,
  publishTogether,
  renameIntoPlace,
  readSettingsJson,
  SettingsError,
  userSettingsDir,
  writeCsvAtomic,
  writeCsvTo,
  writeFileAtomic,
  writeJsonAtomic,
  writeSettingsJson,
  type AtomicWriteOptions,
} from './files';
export {
  csvObjects,
  CsvValueError,
  formatCsv,
  formatCsvField,
  formatCsvRow,
  parseCsv,
  type CsvOptions,
  type CsvRow,
  type CsvValue,
} from '../../src-shared/io';
export {
  readNpy,
  readNpyFloat32,
  writeNpy,
  type NpyArray,
  type NpyData,
  type NpyDType,
  type NpyFloat32Array,
} from './npy/npy';
export { NpyError } from './npy/errors';
export {
  encodeVarint,
  fieldText,
  iterateFields,
  ProtobufError,
  ProtobufWriter,
  readFieldHead,
  readVarint,
  WIRE,
  wireFields,
  type WireField,
} from './onnx/protobuf';
export { OnnxFormatError } from './onnx/errors';
export { readOnnxGraph, type OnnxGraphInfo, type OnnxTensorInfo } from './onnx/graph';
export { readOnnxMetadata, type ByteReader } from './onnx/metadata';
export {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxElemType,
  type OnnxModelSpec,
  type OnnxNode,
  type OnnxTensorData,
  type OnnxValueInfo,
} from './onnx/builder';
// onnx.proto field numbers, for code that walks or writes ONNX outside io/ (the graph rewrite).
export {
  ATTRIBUTE as ONNX_ATTRIBUTE,
  FLOAT_TYPE as ONNX_FLOAT_TYPE,
  GRAPH as ONNX_GRAPH,
  MODEL as ONNX_MODEL,
  NODE as ONNX_NODE,
  TENSOR as ONNX_TENSOR,
} from './onnx/schema';
// The rest of onnx.proto, for transforms that rewrite tensors and types (inference/float16).
export {
  ATTRIBUTE_FIELD as ONNX_ATTRIBUTE_FIELD,
  ATTRIBUTE_TYPE as ONNX_ATTRIBUTE_TYPE,
  DATA_LOCATION_EXTERNAL as ONNX_DATA_LOCATION_EXTERNAL,
  DATA_TYPE as ONNX_DATA_TYPE,
  GRAPH_FIELD as ONNX_GRAPH_FIELD,
  MODEL_FUNCTIONS as ONNX_MODEL_FUNCTIONS,
  TENSOR_FIELD as ONNX_TENSOR_FIELD,
  TENSOR_TYPE_PROTO as ONNX_TENSOR_TYPE_PROTO,
  TYPE_PROTO as ONNX_TYPE_PROTO,
} from './onnx/proto-fields';
export {
  PickleDict,
  PickleError,
  PickleGlobal,
  PickleGlobalRefusedError,
  PickleObject,
  PicklePersistent,
  PickleTuple,
  readPickle,
  readPickleAt,
  type PickleErrorDetails,
  type PickleHooks,
  type PickleStream,
} from './pickle/pickle';
export {
  BASE_GLOBALS as SAFE_PICKLE_GLOBALS,
  joblibCompression,
  joblibPickleBytes,
  readJoblib,
  type JoblibCompression,
  type JoblibReadOptions,
} from './pickle/joblib';
export {
  NpArray,
  NpDType,
  npField,
  npNumbers,
  npObjects,
  npStrings,
  type NpField,
  type NpKind,
} from './pickle/numpy';
export {
  CheckpointError,
  readTorchCheckpoint,
  readTorchStateDict,
  type CheckpointContents,
  type TorchStateDict,
  type TorchTensor,
} from './torch/checkpoint';

/**
 * PyTorch → ONNX without Python: HiTMicTools' focus restorers (NAFNet), segmenter (MONAI UNet) and
 * cell classifier (FlexResNet) rebuilt as ONNX graphs from their state_dict and metadata
 * `model_args`, checked tensor by tensor against the architecture. Also the one description of the
 * state_dict each architecture expects, which `collection inspect` compares checkpoints against.
 * Sits beside analysis/inference (reads checkpoints and writes ONNX through io/ only).
 */
export {
  CONVERTER_OPSET,
  CONVERTER_VERSION,
  convertTorchModel,
  type ConvertInput,
  type ConvertResult,
} from './convert';
export { ArchitectureArgsError, ConversionError, type ConversionErrorFields } from './errors';
export {
  compareStateDict,
  convertibleArchitecture,
  expectedStateDict,
  flexResNetStateDict,
  monaiUnetStateDict,
  nafnetStateDict,
  wrappedStateDict,
  type ExpectedStateDict,
} from './architectures';

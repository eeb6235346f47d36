/**
 * The converter's two errors. ArchitectureArgsError is about one `model_args` key (shared with
 * `collection inspect`, which reports it as invalid metadata); ConversionError is what
 * convertTorchModel rejects with: the file, the architecture, the tensor with the expected and the
 * found shape where one is at fault, and a fix.
 */

export class ArchitectureArgsError extends Error {
  override readonly name = 'ArchitectureArgsError';
  constructor(
    /** The `model_args` key at fault. */
    readonly key: string,
    why: string,
    /**
     * True when HiTMicTools would accept the value but the converter cannot build it (e.g. a
     * MONAI norm layer without an ONNX form), false when the value is wrong for HiTMicTools too.
     */
    readonly unsupported = false,
  ) {
    super(`model_args.${key} ${why}`);
  }
}

export interface ConversionErrorFields {
  /** The checkpoint, as the caller named it (`input.file`), else the model key. */
  file: string;
  /** The architecture as given (e.g. 'NAFNet'). */
  architecture: string;
  /** The state_dict tensor at fault, when one is. */
  tensor?: string;
  /** What the architecture expects, e.g. a shape `(16,1,3,3)` or `present`. */
  expected?: string;
  /** What the checkpoint holds, e.g. `(8,1,3,3)` or `absent`. */
  actual?: string;
  /** The `model_args` key at fault, when one is. */
  modelArg?: string;
  /** What to do about it, in the microscopist's terms. */
  fix: string;
}

/** A PyTorch checkpoint that cannot become an ONNX model; the message says what, where and how to fix. */
export class ConversionError extends Error implements ConversionErrorFields {
  override readonly name = 'ConversionError';
  readonly file: string;
  readonly architecture: string;
  readonly tensor?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly modelArg?: string;
  readonly fix: string;
  constructor(what: string, fields: ConversionErrorFields) {
    super(`Cannot convert ${fields.file} (${fields.architecture}) to ONNX: ${what}. ${fields.fix}`);
    this.file = fields.file;
    this.architecture = fields.architecture;
    this.tensor = fields.tensor;
    this.expected = fields.expected;
    this.actual = fields.actual;
    this.modelArg = fields.modelArg;
    this.fix = fields.fix;
  }
}

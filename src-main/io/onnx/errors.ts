/**
 * The one error for a file that is not a readable ONNX model, whichever reader found it: the graph
 * reader of `hitmic collection inspect` or the metadata reader that runs before a session is made.
 */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';
  constructor(
    /** The file (or the name the caller gave the bytes). */
    readonly file: string,
    /** What is wrong, e.g. "truncated varint at byte 1234". */
    readonly detail: string,
    /** Byte offset of the problem, where one is known. */
    readonly offset?: number,
  ) {
    super(
      `'${file}' is not an ONNX model (${detail}). Check that the file is a complete .onnx export, not a PyTorch .pth, a pickle or a truncated download.`,
    );
  }
}

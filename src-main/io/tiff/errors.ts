/** Why a TIFF (or movie) could not be read or written. */
export type TiffErrorCode =
  | 'not-tiff' // bad header / magic
  | 'truncated' // data or structure lies beyond the end of the file
  | 'corrupt' // structurally invalid (bad IFD, bad counts, bad compressed stream)
  | 'limit' // a sanity limit was exceeded (dimensions, page count, tag size)
  | 'unsupported' // valid TIFF feature this reader does not implement
  | 'io' // the operating system refused a read or write
  | 'state'; // API misuse (closed reader, wrong frame size, ...)

export interface TiffErrorFields {
  code: TiffErrorCode;
  path: string;
  /** 0-based page (IFD) index, when the problem belongs to a page. */
  page?: number;
  /** TIFF tag name (e.g. "StripByteCounts"), when the problem belongs to a tag. */
  tag?: string;
  expected?: string;
  actual?: string;
  /** What the user can do about it. */
  fix?: string;
  cause?: unknown;
}

/**
 * Every failure of the TIFF reader, the movie model and the writer. The message says what went
 * wrong, where (file, page, tag), what was expected and how to fix it; the same facts are kept as
 * fields for programmatic use.
 */
export class TiffError extends Error {
  /** What went wrong, without the where/expected/fix the message adds (kept to rebuild the error across threads). */
  readonly what: string;
  readonly code: TiffErrorCode;
  readonly path: string;
  readonly page: number | undefined;
  readonly tag: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  readonly fix: string | undefined;

  constructor(what: string, fields: TiffErrorFields) {
    super(TiffError.format(what, fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'TiffError';
    this.what = what;
    this.code = fields.code;
    this.path = fields.path;
    this.page = fields.page;
    this.tag = fields.tag;
    this.expected = fields.expected;
    this.actual = fields.actual;
    this.fix = fields.fix;
  }

  private static format(what: string, f: TiffErrorFields): string {
    const where = [f.path, f.page === undefined ? '' : `page ${f.page}`, f.tag ? `tag ${f.tag}` : '']
      .filter((s) => s !== '')
      .join(', ');
    let msg = `${what} (${where})`;
    if (f.expected !== undefined) {
      msg += `: expected ${f.expected}, found ${f.actual ?? '?'}`;
    } else if (f.actual !== undefined) {
      // A system error code alone (ENOENT) says nothing to a microscopist: say what it means.
      msg += `: ${ERRNO_WORDS[f.actual] ?? f.actual}`;
    }
    if (f.fix) msg += `. ${f.fix}`;
    return msg;
  }
}

/** What the common system error codes mean, in words. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full',
  EMFILE: 'too many open files',
};

/** The default fix suggested for files this reader cannot decode. */
export const CONVERT_FIX =
  'Re-save the file as an uncompressed, LZW, deflate or zstd TIFF/OME-TIFF (Fiji: File > Save As > Tiff...)';

/** Throws the signal's reason (an AbortError DOMException by default) when it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? new DOMException('The read was aborted', 'AbortError');
  }
}

/** True for the rejection produced by an aborted AbortSignal (as opposed to a failure). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

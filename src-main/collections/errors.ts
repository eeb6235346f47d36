/**
 * Errors of collection reading, import and creation. Each carries a stable `code` (for tests, the
 * UI and `--json`), the file or archive entry it is about, and a message that says what, where,
 * what was expected and how to fix it.
 */

export type CollectionErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_ZIP'
  | 'ZIP_CORRUPT'
  | 'ZIP_TRUNCATED'
  | 'EMPTY_ARCHIVE'
  | 'UNSAFE_PATH_ABSOLUTE'
  | 'UNSAFE_PATH_DRIVE'
  | 'UNSAFE_PATH_TRAVERSAL'
  | 'UNSAFE_PATH_EMPTY'
  | 'SYMLINK_ENTRY'
  | 'DUPLICATE_ENTRY'
  | 'CASE_COLLISION'
  | 'ENCRYPTED_ENTRY'
  | 'ENTRY_TOO_LARGE'
  | 'TOTAL_TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'COMPRESSION_RATIO'
  | 'SIZE_MISMATCH'
  | 'CRC_MISMATCH'
  | 'UNSUPPORTED_COMPRESSION'
  | 'MISSING_CONFIG'
  | 'UNKNOWN_LAYOUT'
  | 'DANGLING_REFERENCE'
  | 'INVALID_CONFIG'
  | 'OUTPUT_EXISTS'
  | 'BAD_OUTPUT'
  | 'BAD_INPUT'
  | 'NOT_IN_LIBRARY';

export class CollectionError extends Error {
  override readonly name = 'CollectionError';
  constructor(
    readonly code: CollectionErrorCode,
    message: string,
    /** Details: the archive or file path, the entry name, expected and actual values. */
    readonly details: {
      path?: string;
      entry?: string;
      key?: string;
      expected?: string | number;
      actual?: string | number;
    } = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/**
 * The one error shape that crosses every boundary (IPC, WebSocket, worker messages).
 * Like VS Code's serialized errors: a stable code, a human message, and optional data.
 */
export const API_ERROR_CODES = [
  'NOT_AVAILABLE', // recognised but not available here (e.g. a HiTMicTools pipeline not ported yet)
  'BAD_INPUT', // the caller sent something invalid; message says what and how to fix it
  'NOT_FOUND',
  'CANCELLED',
  'TIMEOUT', // waited too long, e.g. for a memory booking; message names who holds it
  'WORKER_CRASHED', // a worker process died while serving the call; the backend is still up
  'UNAUTHORIZED',
  'INTERNAL', // a bug: the message is kept, please report it
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
  /** Structured facts (file, field, expected, actual, …) for the UI to show or act on. */
  details?: Record<string, unknown>;
}

export class ApiError extends Error implements ApiErrorPayload {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  static fromPayload(p: ApiErrorPayload): ApiError {
    return new ApiError(p.code, p.message, p.details);
  }

  /**
   * Anything thrown, as a payload; anything that is not an ApiError (or a payload with one of
   * the contract's codes) becomes INTERNAL with its message kept — a domain error's own code
   * never leaks as an API code (src-main maps domain errors first: api-errors.ts).
   */
  static toPayload(err: unknown): ApiErrorPayload {
    if (err instanceof ApiError) return err.toPayload();
    if (isApiErrorPayload(err)) return { code: err.code, message: err.message, details: err.details };
    const text = (err as { message?: unknown } | null)?.message;
    return { code: 'INTERNAL', message: typeof text === 'string' ? text : String(err) };
  }
}

export function isApiErrorPayload(v: unknown): v is ApiErrorPayload {
  return (
    typeof v === 'object' &&
    v !== null &&
    (API_ERROR_CODES as readonly unknown[]).includes((v as { code?: unknown }).code) &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

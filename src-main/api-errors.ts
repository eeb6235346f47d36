/**
 * The one table from domain errors to the API's error codes. Domain folders throw their own
 * errors (TiffError with its 'not-tiff', CollectionError with 'ZIP_CORRUPT', …) carrying the
 * facts; what crosses a boundary — backend to renderer, worker to host — is an ApiError whose
 * code is one of the contract's, with those facts as details. Used by the backend's router and
 * by the worker entry. Anything not in the table is INTERNAL (a bug to report), message kept.
 */
import { ApiError, type ApiErrorCode } from '../src-shared/api';
import { AnalysisError } from './analysis';
import { CollectionError, PlanError } from './collections';
import { ConfigFileError, ConfigInvalidError } from './config';
import { InferenceError, ModelLoadError, SklearnModelError } from './inference';
import {
  CsvValueError,
  CsvWriteError,
  FileWriteError,
  isAbortError,
  NpyError,
  OnnxFormatError,
  PickleError,
  ProtobufError,
  SettingsError,
  TiffError,
} from './io';
import { MovieJobError, OutOfMemoryError } from './pipeline';
import {
  BookingLockError,
  BookingPermissionError,
  CapacityUnknownError,
  InvalidReservationRequestError,
  RequestExceedsCapacityError,
  ReservationAbortedError,
  ReservationTimeoutError,
  UnknownDeviceError,
} from './resources';
import { ResultsError } from './results';
import { TrackingError } from './tracking';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

interface Mapped {
  code: ApiErrorCode;
  details?: Record<string, unknown>;
}

/** One row: an error class and how its instances map (their own fields become the details). */
function row<E extends Error>(
  cls: ErrorClass<E>,
  map: (err: E) => Mapped,
): [ErrorClass<Error>, (err: Error) => Mapped] {
  return [cls as ErrorClass<Error>, map as (err: Error) => Mapped];
}

/** Enumerable own fields of an error, minus the ones every error has. */
function fieldsOf(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (k !== 'name' && k !== 'message' && k !== 'stack') out[k] = v;
  return out;
}

const badInput = (err: Error): Mapped => ({ code: 'BAD_INPUT', details: fieldsOf(err) });

/** First match wins: subclasses before their base classes. */
const TABLE: [ErrorClass<Error>, (err: Error) => Mapped][] = [
  row(TiffError, (e) => ({
    code: e.code === 'io' && /ENOENT/.test(e.actual ?? '') ? 'NOT_FOUND' : 'BAD_INPUT',
    details: { file: e.path, reason: e.code, page: e.page, tag: e.tag, fix: e.fix },
  })),
  row(CollectionError, (e) => ({
    code: e.code === 'NOT_FOUND' || e.code === 'NOT_IN_LIBRARY' ? 'NOT_FOUND' : 'BAD_INPUT',
    details: { reason: e.code, ...e.details },
  })),
  row(PlanError, badInput),
  row(OnnxFormatError, badInput),
  row(ProtobufError, badInput),
  row(NpyError, badInput),
  row(PickleError, badInput),
  row(ConfigFileError, (e) => ({ code: 'NOT_FOUND', details: { path: e.path } })),
  row(ConfigInvalidError, (e) => ({ code: 'BAD_INPUT', details: { file: e.file, errors: e.lines } })),
  row(ModelLoadError, badInput),
  row(SklearnModelError, badInput),
  row(InferenceError, badInput),
  row(AnalysisError, badInput),
  row(TrackingError, badInput),
  row(CsvValueError, badInput),
  row(CsvWriteError, (e) => ({ code: 'INTERNAL', details: { file: e.path, reason: e.actual } })),
  row(FileWriteError, (e) => ({ code: 'INTERNAL', details: { file: e.path, errno: e.errno } })),
  row(MovieJobError, (e) => ({ code: 'BAD_INPUT', details: { movie: e.movie } })),
  row(OutOfMemoryError, (e) => ({
    code: 'INTERNAL',
    details: { stage: e.stage, model: e.model, device: e.device, bookedGb: e.bookedGb, remedies: e.remedies },
  })),
  row(ResultsError, (e) => ({
    code: e.kind === 'not-found' ? 'NOT_FOUND' : 'BAD_INPUT',
    details: e.details,
  })),
  row(ReservationAbortedError, (e) => ({ code: 'CANCELLED', details: fieldsOf(e) })),
  row(ReservationTimeoutError, (e) => ({
    code: 'TIMEOUT',
    details: { device: e.device, requestGb: e.requestGb, waitedMs: e.waitedMs, bookingFile: e.bookingFile },
  })),
  row(RequestExceedsCapacityError, badInput),
  row(InvalidReservationRequestError, badInput),
  row(UnknownDeviceError, badInput),
  row(CapacityUnknownError, badInput),
  row(BookingLockError, (e) => ({ code: 'INTERNAL', details: fieldsOf(e) })),
  // A settings folder that is not the user's own, or not writable: the message says how to fix it.
  row(SettingsError, (e) => ({ code: 'NOT_AVAILABLE', details: { path: e.path, fix: e.fix } })),
  // A shared booking folder set up so that this user may not write it: the message says who can fix it.
  row(BookingPermissionError, (e) => ({ code: 'NOT_AVAILABLE', details: fieldsOf(e) })),
];

/**
 * Anything thrown, as an ApiError: ApiErrors as they are, an aborted operation as CANCELLED,
 * domain errors by the table, the rest as INTERNAL with their message.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isAbortError(err)) return new ApiError('CANCELLED', 'the operation was cancelled');
  if (err instanceof Error) {
    for (const [cls, map] of TABLE) {
      if (err instanceof cls) {
        const { code, details } = map(err);
        return new ApiError(code, err.message, details ? withoutUndefined(details) : undefined);
      }
    }
    return new ApiError('INTERNAL', err.message);
  }
  return new ApiError('INTERNAL', String(err));
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}

/**
 * The contract's `methods` of a domain object, rejecting with ApiErrors only (toApiError), so
 * every caller of the backend — shells, tests — meets the contract's error shape.
 */
export function withApiErrors<T extends object>(domain: T, methods: readonly string[]): T {
  const wrapped: Record<string, unknown> = {};
  for (const name of methods) {
    const method = (domain as Record<string, unknown>)[name];
    if (typeof method !== 'function') throw new Error(`the backend has no method '${name}'`);
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(domain, args);
      } catch (err) {
        throw toApiError(err);
      }
    };
  }
  return wrapped as T;
}

import { describe, expect, it } from 'vitest';
import { ApiError, API_ERROR_CODES } from '../src-shared/api';
import { toApiError } from './api-errors';
import { CollectionError } from './collections';
import { ConfigInvalidError } from './config';
import { ModelLoadError } from './inference';
import { openMovie, TiffError } from './io';
import { ReservationTimeoutError } from './resources';
import { ResultsError } from './results';

/** The one table from domain errors to API codes: a domain's own code never leaks as an API code. */
describe('toApiError', () => {
  it('maps a real TIFF failure to BAD_INPUT with the domain code as a detail', async () => {
    const err = await openMovie(__filename).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TiffError);
    expect((err as TiffError).code).toBe('not-tiff');
    const api = toApiError(err);
    expect(api.code).toBe('BAD_INPUT');
    expect(api.details).toMatchObject({ file: __filename, reason: 'not-tiff' });
    expect(api.message).toBe((err as Error).message);
    // What crosses the wire is one of the contract's codes.
    expect(API_ERROR_CODES).toContain(ApiError.toPayload(api).code);
  });

  it('maps each domain by its meaning', () => {
    expect(toApiError(new CollectionError('NOT_IN_LIBRARY', 'no such collection')).code).toBe('NOT_FOUND');
    expect(toApiError(new CollectionError('ZIP_CORRUPT', 'bad zip', { path: '/x.zip' }))).toMatchObject({
      code: 'BAD_INPUT',
      details: { reason: 'ZIP_CORRUPT', path: '/x.zip' },
    });
    expect(toApiError(new ResultsError('not-found', 'gone', { file: '/a' }))).toMatchObject({
      code: 'NOT_FOUND',
      details: { file: '/a' },
    });
    expect(toApiError(new ConfigInvalidError('/c.yml', ['/c.yml:1:1: error: x']))).toMatchObject({
      code: 'BAD_INPUT',
      details: { errors: ['/c.yml:1:1: error: x'] },
    });
    expect(toApiError(new ModelLoadError('/m.onnx', 'truncated')).code).toBe('BAD_INPUT');
    expect(
      toApiError(new ReservationTimeoutError('cpu', 4, 8, 6, 1000, [], [], '/tmp/memory_bookings_cpu.json'))
        .code,
    ).toBe('TIMEOUT');
    expect(toApiError(new DOMException('stop', 'AbortError')).code).toBe('CANCELLED');
  });

  it('keeps ApiErrors and reports anything else as INTERNAL with its message', () => {
    const mine = new ApiError('NOT_FOUND', 'x');
    expect(toApiError(mine)).toBe(mine);
    expect(toApiError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    expect(toApiError('text')).toMatchObject({ code: 'INTERNAL', message: 'text' });
    // An object that merely looks like a payload with a foreign code is not trusted.
    expect(ApiError.toPayload({ code: 'not-tiff', message: 'x' })).toEqual({
      code: 'INTERNAL',
      message: 'x',
    });
  });
});

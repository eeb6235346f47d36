import type http from 'node:http';
import { ApiError, type ApiErrorCode } from '../../src-shared/api';
import type { Backend } from '../backend';

/** HTTP statuses of the API error codes a frame request can meet. */
const STATUS: Partial<Record<ApiErrorCode, number>> = { BAD_INPUT: 400, NOT_FOUND: 404, CANCELLED: 499 };

/**
 * `GET /api/frame?movie=ID&frame=T&channel=C`: `movies.frame` answered as the plane's raw bytes
 * (native byte order, row-major), its size and dtype in `x-hitmic-width`, `x-hitmic-height` and
 * `x-hitmic-dtype`; an error as the API's JSON error payload with a 4xx/5xx status. The page asks
 * here instead of over the WebSocket because Chromium hands a page an 8 MB WebSocket message in
 * 100–450 ms on this project's machine and an 8 MB HTTP body in about 60 ms (measured with the same
 * bytes, loopback): the Viewer's frames of a 2048² movie are that size.
 *
 * Safety: the request has passed the server's checks (Host, Origin, token) before it gets here, as
 * every route does, so a page of another site or another user of the machine reads nothing. The
 * movie is named only by the id `movies.open` gave (random, of a movie the user opened through the
 * API); no path is ever taken from the URL. A closed request cancels the read.
 */
export async function serveFrame(
  backend: Backend,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  params: URLSearchParams,
): Promise<void> {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  if (req.method !== 'GET') {
    res
      .writeHead(405, { allow: 'GET', 'content-type': 'application/json' })
      .end(JSON.stringify({ code: 'BAD_INPUT', message: `frames are read with GET, not ${req.method}` }));
    return;
  }
  try {
    const number = (name: string) => {
      const v = params.get(name);
      if (v === null || v.trim() === '' || !Number.isFinite(Number(v)))
        throw new ApiError(
          'BAD_INPUT',
          `the frame request needs a number in ${name}=, got ${JSON.stringify(v)}`,
        );
      return Number(v);
    };
    const movieId = params.get('movie') ?? '';
    const f = await backend.api.movies.frame(
      { movieId, frame: number('frame'), channel: number('channel') },
      ac.signal,
    );
    const body = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    res
      .writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
        'x-hitmic-width': String(f.width),
        'x-hitmic-height': String(f.height),
        'x-hitmic-dtype': f.dtype,
      })
      .end(body);
  } catch (err) {
    if (res.headersSent || res.destroyed) return;
    const payload = ApiError.toPayload(err);
    res
      .writeHead(STATUS[payload.code] ?? 500, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      })
      .end(JSON.stringify(payload));
  }
}

import type { FrameData, FrameRequest, PixelArray } from '../../src-shared/api';

const ARRAYS: Record<string, new (b: ArrayBuffer) => PixelArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/**
 * `movies.frame` over HTTP (`GET /api/frame`, src-main/server/frames.ts): Chromium delivers a large
 * response body several times faster than a WebSocket message of the same size. Rejects with the
 * API's error payload, as the WebSocket bridge does; aborting `signal` cancels the read there too.
 */
export async function fetchFrame(
  req: FrameRequest,
  token: string | null,
  signal: AbortSignal,
): Promise<FrameData> {
  const url = new URL('api/frame', window.location.href);
  url.searchParams.set('movie', req.movieId);
  url.searchParams.set('frame', String(req.frame));
  url.searchParams.set('channel', String(req.channel));
  let res: Response;
  try {
    // The token in a header, not the URL: no frame URL carries it (and no cookie is set again per
    // frame). Without one (a page opened before, by its cookie) the same-origin cookie is sent.
    res = await fetch(url, {
      signal,
      cache: 'no-store',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (e) {
    if (signal.aborted) throw { code: 'CANCELLED', message: 'the frame read was cancelled' };
    throw {
      code: 'INTERNAL',
      message: `could not read the frame from the backend (${(e as Error).message})`,
    };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
    throw body?.code ? body : { code: 'INTERNAL', message: `the frame request failed (HTTP ${res.status})` };
  }
  const dtype = res.headers.get('x-hitmic-dtype') ?? '';
  const Array_ = ARRAYS[dtype];
  if (!Array_) throw { code: 'INTERNAL', message: `the backend sent a frame of unknown dtype '${dtype}'` };
  return {
    width: Number(res.headers.get('x-hitmic-width')),
    height: Number(res.headers.get('x-hitmic-height')),
    dtype,
    data: new Array_(await res.arrayBuffer()),
  };
}

import crypto from 'node:crypto';
import path from 'node:path';
import type { MoviesApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { sampleFrames } from '../../src-shared/viewer';
import { ThreadedMovie } from '../io';

/** Open movies by id, for other domains (previews) that work on the movie in the Viewer. */
export interface MoviesRegistry {
  /** The open movie's file path; throws NOT_FOUND when the id is unknown. */
  pathOf(movieId: string): string;
}

/**
 * The Movies domain: open any movie the reader supports and serve its planes as typed arrays.
 * Each open movie is indexed and decoded on its own reader thread (ThreadedMovie), so the
 * backend's event loop — the server's other requests, the UI's other calls — never waits for a
 * plane to decode, however large or hostile the file.
 */
export function createMoviesApi(): MoviesApi & MoviesRegistry & { dispose(): Promise<void> } {
  const open = new Map<string, ThreadedMovie>();
  const find = (id: string) => {
    const m = open.get(id);
    if (!m)
      throw new ApiError(
        'NOT_FOUND',
        `movie '${id}' is not open (it was closed, or the backend restarted); open it again`,
      );
    return m;
  };
  return {
    async open(p) {
      const movie = await ThreadedMovie.open(p);
      const id = crypto.randomBytes(6).toString('hex');
      open.set(id, movie);
      const { shape, dtype, pixelSizeUm, frameIntervalS, frameTimestampsS, channelNames } = movie.info;
      return {
        id,
        path: p,
        name: path.basename(p),
        width: shape.x,
        height: shape.y,
        frames: shape.t,
        channels: shape.c,
        slices: shape.z,
        dtype,
        pixelSizeUm: pixelSizeUm ?? undefined,
        frameIntervalS: frameIntervalS ?? undefined,
        frameTimestampsS: frameTimestampsS ? [...frameTimestampsS] : undefined,
        channelNames: [...channelNames],
      };
    },
    async frame(req, signal) {
      const m = find(req.movieId);
      const { t, c } = m.info.shape;
      if (!Number.isInteger(req.frame) || req.frame < 0 || req.frame >= t)
        throw new ApiError('BAD_INPUT', `frame ${req.frame} is outside 0–${t - 1}`);
      if (!Number.isInteger(req.channel) || req.channel < 0 || req.channel >= c)
        throw new ApiError('BAD_INPUT', `channel ${req.channel} is outside 0–${c - 1}`);
      const plane = await m.readPlane({ t: req.frame, c: req.channel }, signal);
      return { width: plane.width, height: plane.height, dtype: plane.dtype, data: plane.data };
    },
    async contrast(req, signal) {
      const m = find(req.movieId);
      const { t, c } = m.info.shape;
      if (!Number.isInteger(req.channel) || req.channel < 0 || req.channel >= c)
        throw new ApiError('BAD_INPUT', `channel ${req.channel} is outside 0–${c - 1}`);
      const samples = req.samples ?? undefined; // a JSON null means "the default" too
      if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1 && samples <= 1000))
        throw new ApiError(
          'BAD_INPUT',
          `samples must be a whole number of frames from 1 to 1000, got ${String(samples)}`,
        );
      return m.sampleStats(req.channel, sampleFrames(t, samples), signal);
    },
    pathOf(id) {
      return find(id).info.path;
    },
    async close(id) {
      const m = open.get(id);
      open.delete(id);
      await m?.close();
    },
    async dispose() {
      for (const m of open.values()) await m.close().catch(() => undefined);
      open.clear();
    },
  };
}

import { useEffect, useMemo, useRef, useState } from 'react';
import type { FrameData, OpenedMovie } from '../../../src-shared/api';
import { LatestOnly, PromiseLru } from '../../../src-shared/viewer';
import { useErrors } from '../../stores/errors';
import { useViewer } from '../../stores/viewer';

export interface LoadedFrame {
  movieId: string;
  frame: number;
  planes: Map<number, FrameData>;
  /** Request to pixels ready, ms (0 when every plane came from the cache). */
  loadMs: number;
  cached: boolean;
}

interface Key {
  frame: number;
  channels: number[];
}

/** Frames kept: enough for neighbours of 2048² uint16 movies without holding more than ~256 MB. */
function capacityFor(movie: OpenedMovie): number {
  const bytes = movie.width * movie.height * 4;
  return Math.max(6, Math.min(48, Math.floor((256 * 2 ** 20) / bytes)));
}

/**
 * The planes of the current frame for the displayed channels: from a small LRU cache, one request
 * at a time, only the latest requested frame delivered; once it is drawn, neighbours prefetched
 * (the next `ahead` frames, wrapping round as playback does, and the previous one), never more than
 * half the cache.
 */
export function useFrames(
  movie: OpenedMovie | undefined,
  frame: number,
  channels: number[],
  ahead = 2,
): LoadedFrame | undefined {
  const [loaded, setLoaded] = useState<LoadedFrame>();
  const cache = useMemo(() => (movie ? new PromiseLru<FrameData>(capacityFor(movie)) : undefined), [movie]);
  const channelKey = channels.join(',');
  const latest = useRef<LatestOnly<Key, LoadedFrame>>(undefined);
  const aheadRef = useRef(ahead);
  aheadRef.current = ahead;
  // Read-ahead waits until the frame is on screen: its transfers would slow the frame's own drawing.
  const readAhead = useRef<() => void>(undefined);
  const drawn = useViewer((s) => s.drawnFrame);

  useEffect(() => {
    setLoaded(undefined);
    if (!movie || !cache) {
      latest.current = undefined;
      return;
    }
    let live = true;
    const plane = (f: number, c: number) =>
      cache.get(`${f}:${c}`, () =>
        useViewer.getState().readPlane({ movieId: movie.id, frame: f, channel: c }),
      );
    const prefetch = (f: number, chans: number[]) => {
      const room = Math.max(1, Math.floor(cache.capacity / (2 * Math.max(1, chans.length))));
      const n = Math.min(aheadRef.current, room, movie.frames - 1);
      const next = Array.from({ length: n }, (_, i) => (f + 1 + i) % movie.frames);
      for (const k of [...next, f - 1])
        if (k >= 0 && k !== f) for (const c of chans) plane(k, c).catch(() => undefined);
    };
    latest.current = new LatestOnly<Key, LoadedFrame>(
      async (k) => {
        const t0 = performance.now();
        const cached = k.channels.every((c) => cache.has(`${k.frame}:${c}`));
        const planes = await Promise.all(k.channels.map((c) => plane(k.frame, c)));
        return {
          movieId: movie.id,
          frame: k.frame,
          planes: new Map(k.channels.map((c, i) => [c, planes[i]])),
          loadMs: performance.now() - t0,
          cached,
        };
      },
      (k, v) => {
        if (!live) return;
        setLoaded(v);
        readAhead.current = () => prefetch(k.frame, k.channels);
      },
      (k, err) => live && useErrors.getState().show(`Could not read frame ${k.frame} of ${movie.name}`, err),
    );
    return () => {
      live = false;
    };
  }, [movie, cache]);

  useEffect(() => {
    if (movie && channelKey) latest.current?.request({ frame, channels: channelKey.split(',').map(Number) });
  }, [movie, frame, channelKey]);

  useEffect(() => {
    if (!loaded || drawn !== loaded.frame) return;
    readAhead.current?.();
    readAhead.current = undefined;
  }, [loaded, drawn]);

  return loaded;
}

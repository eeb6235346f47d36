import { create } from 'zustand';
import type { ChannelContrastStats, OpenedMovie } from '../../src-shared/api';
import {
  cachedAutoContrast,
  formatLevel,
  type ContrastRange,
  type NumericArray,
} from '../../src-shared/viewer';
import { api } from '../app/api';

/**
 * How a channel's levels map to brightness: `movie` one range for every frame (1–99.8 % of a
 * sample of the movie's frames: equal values look equal at frame 0 and at the last), `frame` the
 * same percentiles of each frame on its own, `manual` the user's min and max.
 */
export type ContrastMode = 'movie' | 'frame' | 'manual';

export interface ChannelContrast {
  mode: ContrastMode;
  /** The manual range (kept when switching away, offered again when switching back). */
  manual?: ContrastRange;
}

export type StatsState =
  | { state: 'loading' }
  | { state: 'ready'; stats: ChannelContrastStats; ms: number }
  | { state: 'failed'; message: string };

interface ContrastState {
  /** The movie the ranges and statistics belong to. */
  movieId: string | undefined;
  channels: Record<number, ChannelContrast>;
  stats: Record<number, StatsState>;
  setMode(channel: number, mode: ContrastMode, shown?: ContrastRange): void;
  /** Sets a manual range (checked by the caller: min < max) and switches the channel to manual. */
  setManual(channel: number, range: ContrastRange): void;
  /** Fetches the whole-movie statistics of a channel once per movie (computed by the backend). */
  loadStats(movie: OpenedMovie, channel: number): Promise<void>;
  /** Starts over for another movie: every channel on whole-movie contrast. */
  reset(movieId: string | undefined): void;
}

const message = (e: unknown) => (e as { message?: string })?.message ?? String(e);

export const useContrast = create<ContrastState>((set, get) => ({
  movieId: undefined,
  channels: {},
  stats: {},
  setMode: (channel, mode, shown) =>
    set((s) => {
      const before = s.channels[channel];
      const manual = mode === 'manual' ? (before?.manual ?? shown) : before?.manual;
      return { channels: { ...s.channels, [channel]: { mode, ...(manual ? { manual } : {}) } } };
    }),
  setManual: (channel, range) => {
    if (!(range.max > range.min))
      throw new RangeError(`min (${formatLevel(range.min)}) must be below max (${formatLevel(range.max)})`);
    set((s) => ({ channels: { ...s.channels, [channel]: { mode: 'manual', manual: range } } }));
  },
  loadStats: async (movie, channel) => {
    if (get().movieId !== movie.id) get().reset(movie.id);
    const known = get().stats[channel];
    if (known && known.state !== 'failed') return;
    set((s) => ({ stats: { ...s.stats, [channel]: { state: 'loading' } } }));
    const t0 = performance.now();
    let result: StatsState;
    try {
      const stats = await api().movies.contrast({ movieId: movie.id, channel });
      result = { state: 'ready', stats, ms: Math.round(performance.now() - t0) };
    } catch (e) {
      result = { state: 'failed', message: message(e) };
    }
    // Statistics of a movie closed meanwhile are of no use.
    if (get().movieId === movie.id) set((s) => ({ stats: { ...s.stats, [channel]: result } }));
  },
  reset: (movieId) => set({ movieId, channels: {}, stats: {} }),
}));

/** The range a channel is drawn with now, and where it comes from (for the panel). */
export function channelRange(
  contrast: ChannelContrast | undefined,
  stats: StatsState | undefined,
  plane: (NumericArray & object) | undefined,
): { range: ContrastRange | undefined; source: string } {
  const mode = contrast?.mode ?? 'movie';
  if (mode === 'manual' && contrast?.manual) return { range: contrast.manual, source: 'manual' };
  if (mode === 'movie' && stats?.state === 'ready')
    return {
      range: stats.stats.auto,
      source: `whole movie: 1–99.8 % of ${stats.stats.frames.length} frames`,
    };
  const frameRange = plane ? cachedAutoContrast(plane) : undefined;
  if (mode === 'movie')
    return {
      range: frameRange,
      source:
        stats?.state === 'failed'
          ? `this frame (whole-movie range failed: ${stats.message})`
          : 'this frame, until the whole-movie range is ready',
    };
  return { range: frameRange, source: 'this frame: 1–99.8 %' };
}

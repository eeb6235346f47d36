import { create } from 'zustand';
import type { ConfigUsage } from '../../src-shared/api';
import { api } from '../app/api';

const KEY = 'hitmic-studio.recent.v1';
const MAX = 8;

export type RecentKind = 'movies' | 'configs';

interface RecentState {
  movies: string[];
  configs: string[];
  /** What the backend found of each recent (or listed) config: its collection, and whether it is gone. */
  configUsage: Record<string, ConfigUsage>;
  remember(kind: RecentKind, path: string): void;
  forget(kind: RecentKind, path: string): void;
  /**
   * Asks the backend which collection each config uses and whether it is still there (after a
   * collection is removed, configs pointing at it are flagged). `extra` adds configs not in the
   * recent list (those of remembered runs). Failures leave the flags as they were.
   */
  checkConfigs(extra?: string[]): Promise<ConfigUsage[]>;
}

/** The browser's localStorage when there is one (not in unit tests or odd embeddings). */
function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function load(): Pick<RecentState, 'movies' | 'configs'> {
  try {
    const v = JSON.parse(storage()?.getItem(KEY) ?? '{}') as Partial<Record<RecentKind, unknown>>;
    const list = (x: unknown) =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string').slice(0, MAX) : [];
    return { movies: list(v.movies), configs: list(v.configs) };
  } catch {
    return { movies: [], configs: [] };
  }
}

/** Puts `path` first, without duplicates, keeping at most MAX entries. */
export function pushRecent(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, MAX);
}

/** Recently opened movies and configs, remembered across sessions (per browser profile or app). */
export const useRecent = create<RecentState>((set, get) => {
  const save = () =>
    storage()?.setItem(KEY, JSON.stringify({ movies: get().movies, configs: get().configs }));
  return {
    ...load(),
    configUsage: {},
    checkConfigs: async (extra = []) => {
      const paths = [...new Set([...get().configs, ...extra])];
      if (paths.length === 0) return [];
      try {
        const usage = await api().config.usage(paths);
        set({ configUsage: { ...get().configUsage, ...Object.fromEntries(usage.map((u) => [u.path, u])) } });
        return usage;
      } catch {
        return [];
      }
    },
    remember: (kind, path) => {
      if (!path) return;
      set({ [kind]: pushRecent(get()[kind], path) } as Partial<RecentState>);
      save();
    },
    forget: (kind, path) => {
      set({ [kind]: get()[kind].filter((p) => p !== path) } as Partial<RecentState>);
      save();
    },
  };
});

import { create } from 'zustand';
import type { Diagnostic } from '../../src-shared/config';
import { validateRunConfig } from '../../src-shared/config';
import { api } from '../app/api';
import { useRecent } from './recent';

interface ConfigState {
  /** File the text came from or was saved to; undefined for a new config. */
  path: string | undefined;
  text: string;
  dirty: boolean;
  diagnostics: Diagnostic[];
  ok: boolean;
  /** Validates (the same pure validator as `hitmic config validate`) and stores the text. */
  setText(text: string, options?: { path?: string; dirty?: boolean }): void;
  markSaved(path: string): void;
  /** Replaces the text with the ASCT_focusrestore template (unsaved). */
  newFromTemplate(): Promise<void>;
  /** Reads a config file from the backend's machine and remembers it as recent. */
  load(path: string): Promise<void>;
  /** Writes the text to `path` (default: where it came from) and remembers it as recent. */
  save(path?: string): Promise<void>;
}

function check(text: string) {
  const r = validateRunConfig(text);
  return { diagnostics: r.diagnostics, ok: r.ok };
}

export const EMPTY_CONFIG = `# HiTMicTools run config — start from a template (New) or open one.\n`;

export const useConfig = create<ConfigState>((set, get) => ({
  path: undefined,
  text: EMPTY_CONFIG,
  dirty: false,
  ...check(EMPTY_CONFIG),
  setText: (text, options = {}) =>
    set((s) => ({ text, path: options.path ?? s.path, dirty: options.dirty ?? true, ...check(text) })),
  markSaved: (path) => set({ path, dirty: false }),
  newFromTemplate: async () => {
    const t = await api().config.template({ pipeline: 'ASCT_focusrestore' });
    get().setText(t.text, { path: undefined, dirty: true });
  },
  load: async (path) => {
    const loaded = await api().config.load(path);
    get().setText(loaded.text, { path: loaded.path, dirty: false });
    useRecent.getState().remember('configs', loaded.path);
  },
  save: async (path) => {
    const target = path ?? get().path;
    if (!target) throw new Error('choose where to save the config first (Save as…)');
    const saved = await api().config.save(target, get().text);
    get().markSaved(saved.path);
    useRecent.getState().remember('configs', saved.path);
  },
}));

import { create } from 'zustand';
import type { Diagnostic } from '../../src-shared/config';
import { validateRunConfig } from '../../src-shared/config';

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
}

function check(text: string) {
  const r = validateRunConfig(text);
  return { diagnostics: r.diagnostics, ok: r.ok };
}

export const EMPTY_CONFIG = `# HiTMicTools run config — start from a template (New) or open one.\n`;

export const useConfig = create<ConfigState>((set) => ({
  path: undefined,
  text: EMPTY_CONFIG,
  dirty: false,
  ...check(EMPTY_CONFIG),
  setText: (text, options = {}) =>
    set((s) => ({ text, path: options.path ?? s.path, dirty: options.dirty ?? true, ...check(text) })),
  markSaved: (path) => set({ path, dirty: false }),
}));

import { create } from 'zustand';
import type { Diagnostic as ApiDiagnostic } from '../../src-shared/api';
import type { Diagnostic } from '../../src-shared/config';
import { validateRunConfig } from '../../src-shared/config';
import { api } from '../app/api';
import { useConfirm } from './confirm';
import { useRecent } from './recent';

/** Quiet time after the last keystroke before the backend's file checks run. */
export const FILE_CHECK_DELAY_MS = 400;

interface ConfigState {
  /** File the text came from or was saved to; undefined for a new config. */
  path: string | undefined;
  text: string;
  dirty: boolean;
  diagnostics: Diagnostic[];
  ok: boolean;
  /** The backend is checking files, folders and the collection for this text. */
  checking: boolean;
  /** The diagnostics include the file checks of this very text (not only the pure validator). */
  filesChecked: boolean;
  /**
   * Stores the text and validates it at once with the pure validator; shortly after, the backend
   * runs `hitmic config validate`'s file checks (paths, the collection and its models) and their
   * diagnostics replace these, for as long as the text is unchanged.
   */
  setText(text: string, options?: { path?: string; dirty?: boolean }): void;
  markSaved(path: string): void;
  /** Runs the backend's file checks on the text now. */
  checkFiles(): Promise<void>;
  /**
   * Asks before unsaved edits are lost to `what` ("New from template" discards them): resolves
   * true when there are none or the user chose to discard them.
   */
  confirmDiscard(what: string): Promise<boolean>;
  /** Replaces the text with the ASCT_focusrestore template (unsaved), using `collectionId` from the library when given. */
  newFromTemplate(collectionId?: string): Promise<void>;
  /** Reads a config file from the backend's machine and remembers it as recent. */
  load(path: string): Promise<void>;
  /** Writes the text to `path` (default: where it came from) and remembers it as recent. */
  save(path?: string): Promise<void>;
}

/** The API's diagnostics in the validator's shape (no fix: an empty one). */
const asDiagnostics = (ds: ApiDiagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, fix: d.fix ?? '' }));

function check(text: string) {
  const r = validateRunConfig(text);
  return { diagnostics: r.diagnostics, ok: r.ok };
}

export const EMPTY_CONFIG = `# HiTMicTools run config — start from a template (New) or open one.\n`;

let fileCheckTimer: ReturnType<typeof setTimeout> | undefined;

export const useConfig = create<ConfigState>((set, get) => ({
  path: undefined,
  text: EMPTY_CONFIG,
  dirty: false,
  checking: false,
  filesChecked: false,
  ...check(EMPTY_CONFIG),
  setText: (text, options = {}) => {
    set((s) => ({
      text,
      // `{ path: undefined }` makes the text a new, unsaved config (New from template).
      path: 'path' in options ? options.path : s.path,
      dirty: options.dirty ?? true,
      filesChecked: false,
      ...check(text),
    }));
    clearTimeout(fileCheckTimer);
    // Not for the empty start text: nothing on disk to check yet.
    if (text !== EMPTY_CONFIG)
      fileCheckTimer = setTimeout(() => void get().checkFiles(), FILE_CHECK_DELAY_MS);
  },
  markSaved: (path) => {
    set({ path, dirty: false });
    // Relative paths now resolve against the saved file's folder.
    void get().checkFiles();
  },
  checkFiles: async () => {
    const { text, path } = get();
    set({ checking: true });
    try {
      const r = await api().config.validate(text, path ? { filePath: path } : {});
      // A newer text has its own check coming: this answer is about the old one.
      if (get().text === text && get().path === path)
        set({ diagnostics: asDiagnostics(r.diagnostics), ok: r.ok, filesChecked: true });
    } catch {
      // The backend could not check (disconnected): the pure validator's diagnostics stay.
    } finally {
      if (get().text === text) set({ checking: false });
    }
  },
  confirmDiscard: async (what) => {
    const { dirty, path } = get();
    if (!dirty) return true;
    return useConfirm.getState().ask({
      title: 'Discard unsaved changes?',
      message: `The config ${path ? path.split(/[\\/]/).pop() : '(not saved yet)'} has changes that are not saved. ${what} replaces it, and the changes are lost.`,
      confirmLabel: 'Discard changes',
      cancelLabel: 'Keep editing',
      danger: true,
    });
  },
  newFromTemplate: async (collectionId) => {
    const t = await api().config.template({ pipeline: 'ASCT_focusrestore', collectionId });
    get().setText(t.text, { path: undefined, dirty: true });
  },
  load: async (path) => {
    const loaded = await api().config.load(path);
    get().setText(loaded.text, { path: loaded.path, dirty: false });
    // The load already ran every check: show them now rather than after the delay.
    clearTimeout(fileCheckTimer);
    set({ diagnostics: asDiagnostics(loaded.report.diagnostics), ok: loaded.report.ok, filesChecked: true });
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

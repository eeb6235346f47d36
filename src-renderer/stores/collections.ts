import { create } from 'zustand';
import type { CollectionInspection, CollectionSummary, VerifyReport } from '../../src-shared/api';
import { api } from '../app/api';
import { backendFileOf, chooseFile, inTermsOfDroppedFile, type BackendFile } from '../app/shell';
import { useConfig } from './config';
import { useConfirm } from './confirm';
import { useErrors } from './errors';
import { useRecent } from './recent';
import { useRuns } from './runs';

interface CollectionsState {
  library: CollectionSummary[];
  /** The library has been read at least once (before that, an empty list means nothing). */
  loaded: boolean;
  selectedId: string | undefined;
  inspection: CollectionInspection | undefined;
  verify: VerifyReport | undefined;
  busy: string | undefined;
  setLibrary(library: CollectionSummary[]): void;
  select(id: string | undefined): void;
  setInspection(i: CollectionInspection | undefined): void;
  setVerify(v: VerifyReport | undefined): void;
  setBusy(what: string | undefined): void;
  /** Reads the library from the backend; on failure says so and returns undefined. */
  loadLibrary(): Promise<CollectionSummary[] | undefined>;
  /** Inspects a collection; the result is kept only if it is still the one selected. */
  inspect(id: string): Promise<void>;
  /** Adds the ZIP at `path` (on the backend's machine) to the library and selects it; rejects on failure. */
  importCollection(path: string, name: string): Promise<void>;
  /** Imports a ZIP the user picked in the browser (uploaded first); says what failed. */
  importFile(file: File): Promise<void>;
  /** Imports a ZIP chosen in the native dialog (desktop app); says what failed. */
  chooseAndImport(): Promise<void>;
  /** Checks the selected collection's checksums and test tensors. */
  verifySelected(): Promise<void>;
  /**
   * Removes the selected collection from the library, after asking — naming the saved configs
   * (recent ones and those of remembered runs) that point at it; afterwards they are flagged.
   */
  removeSelected(): Promise<void>;
}

const show = (title: string, e: unknown) => useErrors.getState().show(title, e);

export const useCollections = create<CollectionsState>((set, get) => ({
  library: [],
  loaded: false,
  selectedId: undefined,
  inspection: undefined,
  verify: undefined,
  busy: undefined,
  setLibrary: (library) => set({ library, loaded: true }),
  select: (selectedId) => set({ selectedId, inspection: undefined, verify: undefined }),
  setInspection: (inspection) => set({ inspection }),
  setVerify: (verify) => set({ verify }),
  setBusy: (busy) => set({ busy }),
  loadLibrary: async () => {
    try {
      const library = await api().collections.list();
      get().setLibrary(library);
      return library;
    } catch (e) {
      show('Could not read the collection library', e);
      return undefined;
    }
  },
  inspect: async (id) => {
    try {
      const inspection = await api().collections.inspect(id);
      if (get().selectedId === id) get().setInspection(inspection);
    } catch (e) {
      show('Could not inspect the collection', e);
    }
  },
  importCollection: async (path, name) => {
    get().setBusy(`Importing ${name}…`);
    try {
      const summary = await api().collections.importPath(path);
      await get().loadLibrary();
      get().select(summary.id);
    } finally {
      get().setBusy(undefined);
    }
  },
  importFile: async (file) => {
    let dropped: BackendFile;
    try {
      dropped = await backendFileOf(file);
    } catch (e) {
      show(`Could not upload ${file.name}`, e);
      return;
    }
    await get()
      .importCollection(dropped.path, file.name)
      .catch((e: unknown) => show(`Could not import ${file.name}`, inTermsOfDroppedFile(e, dropped)));
  },
  chooseAndImport: async () => {
    const path = await chooseFile('Import a model collection', [
      { name: 'Model collection', extensions: ['zip'] },
    ]);
    if (path)
      await get()
        .importCollection(path, path)
        .catch((e: unknown) => show(`Could not import ${path}`, e));
  },
  verifySelected: async () => {
    const selected = get().library.find((c) => c.id === get().selectedId);
    if (!selected) return;
    get().setBusy(`Verifying ${selected.name}…`);
    try {
      get().setVerify(await api().collections.verify(selected.id));
    } catch (e) {
      show('Verification could not run', e);
    } finally {
      get().setBusy(undefined);
    }
  },
  removeSelected: async () => {
    const selected = get().library.find((c) => c.id === get().selectedId);
    if (!selected) return;
    const runConfigs = useRuns
      .getState()
      .history.map((r) => r.configPath)
      .filter((p): p is string => !!p);
    const users = (await useRecent.getState().checkConfigs(runConfigs)).filter(
      (u) => u.collection === selected.path,
    );
    const ok = await useConfirm.getState().ask({
      title: `Remove ${selected.name}?`,
      message:
        `Its files are deleted from the library (${selected.path}); the ZIP or folder it was imported from stays where it is.` +
        (users.length
          ? ` ${users.length} saved config${users.length === 1 ? ' uses' : 's use'} it and will not run until pointed at another collection:`
          : ' No saved config that HiTMic Studio knows of uses it.'),
      details: users.map((u) => u.path),
      confirmLabel: 'Remove',
      danger: true,
    });
    if (!ok) return;
    try {
      await api().collections.remove(selected.id);
      get().select(undefined);
      await get().loadLibrary();
      // Configs that pointed at it are flagged now, and the editor's checks say so too.
      await useRecent.getState().checkConfigs(runConfigs);
      void useConfig.getState().checkFiles();
    } catch (e) {
      show('Could not remove the collection', e);
    }
  },
}));

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

import type { MenuCommand } from '../../src-shared/api';
import { bridge } from './api';

/*
 * What the shell offers beyond HitmicApi, for views and stores alike: native dialogs and
 * folders (desktop app only), the backend path of a file the user dropped or picked, and the
 * desktop menu. Views ask here whether a capability exists; they never see the bridge.
 */

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The desktop app ('electron') or the browser talking to `hitmic serve` ('serve'). */
export function shellKind(): 'electron' | 'serve' {
  return bridge().shell;
}

/** Whether the shell has a native open dialog (the desktop app); the browser types a path instead. */
export function hasOpenDialog(): boolean {
  return !!bridge().showOpenDialog;
}

export function hasSaveDialog(): boolean {
  return !!bridge().showSaveDialog;
}

/** Whether the shell can open a folder in the system's file manager. */
export function hasOpenFolder(): boolean {
  return !!bridge().openFolder;
}

/** A file chosen in the native open dialog; null when cancelled or when there is no dialog. */
export async function chooseFile(title: string, filters: FileFilter[]): Promise<string | null> {
  return (await bridge().showOpenDialog?.({ title, filters })) ?? null;
}

/** A path chosen in the native save dialog; null when cancelled or when there is no dialog. */
export async function chooseSavePath(title: string, defaultPath: string): Promise<string | null> {
  return (await bridge().showSaveDialog?.({ title, defaultPath })) ?? null;
}

/** Opens a folder in the system's file manager (desktop app; does nothing elsewhere). */
export async function openFolder(path: string): Promise<void> {
  await bridge().openFolder?.(path);
}

/**
 * Where the backend finds a file the user dropped or picked: its real path in the desktop app;
 * in the browser, the path `hitmic serve` stored its uploaded bytes at.
 */
export async function backendPathOf(file: File): Promise<string> {
  const b = bridge();
  if (b.pathForFile) return b.pathForFile(file);
  if (!b.uploadFile)
    throw { code: 'BAD_INPUT', message: `this shell can neither read nor upload ${file.name}` };
  return b.uploadFile(file);
}

/**
 * A file the user dropped or picked, as the backend knows it: `path` to pass to the API, `name`
 * to show. `uploaded` when it is a copy `hitmic serve` keeps in a temporary folder: that path
 * means nothing to the user and is gone when the server stops, so it is never shown or kept.
 */
export interface BackendFile {
  path: string;
  name: string;
  uploaded: boolean;
}

export async function backendFileOf(file: File): Promise<BackendFile> {
  const uploaded = !bridge().pathForFile;
  return { path: await backendPathOf(file), name: file.name, uploaded };
}

/**
 * `err` as the user should read it about `file`: an uploaded copy's temporary path (and its
 * folder) replaced by the name of the file they dropped.
 */
export function inTermsOfDroppedFile(err: unknown, file: BackendFile): unknown {
  const e = err as { message?: unknown } | null;
  if (!file.uploaded || typeof e?.message !== 'string') return err;
  const folder = file.path.slice(0, Math.max(file.path.lastIndexOf('/'), file.path.lastIndexOf('\\')));
  let message = e.message.split(file.path).join(file.name);
  if (folder) message = message.split(folder).join('(upload)');
  return { ...(e as object), message };
}

/** Calls `run` with each command chosen in the desktop app's menu; returns the unsubscribe. */
export function onMenuCommand(run: (command: MenuCommand) => void): () => void {
  return bridge().subscribe('menu.command', (e) => run(e.command));
}

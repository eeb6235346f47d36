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

/** Calls `run` with each command chosen in the desktop app's menu; returns the unsubscribe. */
export function onMenuCommand(run: (command: MenuCommand) => void): () => void {
  return bridge().subscribe('menu.command', (e) => run(e.command));
}

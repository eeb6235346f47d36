import fs from 'node:fs';
import { BrowserWindow, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { API_EVENTS } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { Backend } from '../backend';
import { dispatch } from '../backend';

/** IPC channel names; the preload uses the same literals (it cannot import this file). */
export const CHANNELS = {
  invoke: 'hitmic:invoke',
  cancel: 'hitmic:cancel',
  event: 'hitmic:event',
  openDialog: 'hitmic:open-dialog',
  saveDialog: 'hitmic:save-dialog',
  openFolder: 'hitmic:open-folder',
} as const;

/** Only our own renderer, loaded from the app folder, may call the backend. */
function isTrustedSender(event: IpcMainInvokeEvent | Electron.IpcMainEvent, rendererUrl: string): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(rendererUrl);
}

/**
 * Binds the backend to IPC. Results cross as `{ok, result}` / `{ok: false, error}` because
 * Electron strips custom fields from thrown errors; typed arrays survive structured clone.
 */
export function bindIpc(backend: Backend, rendererUrl: string): () => void {
  // Cancellable calls in flight, by renderer and the call id the renderer chose.
  const inFlight = new Map<string, AbortController>();
  const callKey = (sender: Electron.WebContents, callId: unknown) => `${sender.id}:${String(callId)}`;
  ipcMain.handle(
    CHANNELS.invoke,
    async (event, domain: unknown, method: unknown, args: unknown, callId?: unknown) => {
      if (!isTrustedSender(event, rendererUrl))
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'caller is not the HiTMic renderer' } };
      const controller = new AbortController();
      const key = callId === undefined ? null : callKey(event.sender, callId);
      if (key) inFlight.set(key, controller);
      try {
        return { ok: true, result: await dispatch(backend.api, domain, method, args, controller.signal) };
      } catch (err) {
        return { ok: false, error: ApiError.toPayload(err) };
      } finally {
        if (key && inFlight.get(key) === controller) inFlight.delete(key);
      }
    },
  );
  const onCancel = (event: Electron.IpcMainEvent, callId: unknown) => {
    if (isTrustedSender(event, rendererUrl)) inFlight.get(callKey(event.sender, callId))?.abort();
  };
  ipcMain.on(CHANNELS.cancel, onCancel);
  ipcMain.handle(
    CHANNELS.openDialog,
    async (event, options: { title?: string; filters?: Electron.FileFilter[]; directory?: boolean }) => {
      const win = BrowserWindow.fromWebContents(event.sender);
      const props: ('openFile' | 'openDirectory')[] = options?.directory ? ['openDirectory'] : ['openFile'];
      const r = win
        ? await dialog.showOpenDialog(win, {
            title: options?.title,
            filters: options?.filters,
            properties: props,
          })
        : await dialog.showOpenDialog({
            title: options?.title,
            filters: options?.filters,
            properties: props,
          });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  );
  ipcMain.handle(CHANNELS.saveDialog, async (event, options: { title?: string; defaultPath?: string }) => {
    const win = BrowserWindow.fromWebContents(event.sender);
    const r = win
      ? await dialog.showSaveDialog(win, options ?? {})
      : await dialog.showSaveDialog(options ?? {});
    return r.canceled ? null : (r.filePath ?? null);
  });
  ipcMain.handle(CHANNELS.openFolder, async (event, folder: unknown) => {
    // Only existing folders, and only for our own renderer: never a file to execute.
    if (
      !isTrustedSender(event, rendererUrl) ||
      typeof folder !== 'string' ||
      !fs.existsSync(folder) ||
      !fs.statSync(folder).isDirectory()
    )
      return;
    await shell.openPath(folder);
  });
  const unsubscribe = API_EVENTS.map((name) =>
    backend.events.on(name, (payload) => {
      for (const w of BrowserWindow.getAllWindows())
        if (!w.isDestroyed()) w.webContents.send(CHANNELS.event, name, payload);
    }),
  );
  return () => {
    ipcMain.removeListener(CHANNELS.cancel, onCancel);
    for (const c of inFlight.values()) c.abort();
    unsubscribe.forEach((u) => u());
    for (const c of [CHANNELS.invoke, CHANNELS.openDialog, CHANNELS.saveDialog, CHANNELS.openFolder])
      ipcMain.removeHandler(c);
  };
}

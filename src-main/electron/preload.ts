/**
 * Sandboxed preload: exposes window.hitmic (the HitmicBridge) and nothing else.
 * A sandboxed preload can only require 'electron', so this file imports no project modules;
 * the channel names repeat those of ipc.ts.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

type Payload = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

contextBridge.exposeInMainWorld('hitmic', {
  shell: 'electron',
  invoke: async (domain: string, method: string, args: unknown[], callId?: number) => {
    const r = (await ipcRenderer.invoke('hitmic:invoke', domain, method, args, callId)) as Payload;
    if (r.ok) return r.result;
    throw r.error;
  },
  cancel: (callId: number) => ipcRenderer.send('hitmic:cancel', callId),
  subscribe: (event: string, handler: (payload: unknown) => void) => {
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) handler(payload);
    };
    ipcRenderer.on('hitmic:event', listener);
    return () => ipcRenderer.removeListener('hitmic:event', listener);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  showOpenDialog: (options: unknown) =>
    ipcRenderer.invoke('hitmic:open-dialog', options) as Promise<string | null>,
  showSaveDialog: (options: unknown) =>
    ipcRenderer.invoke('hitmic:save-dialog', options) as Promise<string | null>,
});

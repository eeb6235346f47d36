/**
 * Electron main process: a thin shell. It opens the window, binds the backend to IPC and starts
 * inference workers with utilityProcess; all domain logic lives in Electron-free modules.
 */
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBackend } from '../backend';
import { appRoot } from '../version';
import { bindIpc } from './ipc';
import { installMenu } from './menu';
import { utilityLauncher } from './utility-launcher';

const rendererIndex = path.join(appRoot(), 'dist', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(path.dirname(rendererIndex)).href;

app.setName('HiTMic Studio');

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'HiTMic Studio',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // No remote content: never navigate away from the app or open other windows.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(rendererUrl)) e.preventDefault();
  });
  // The renderer holds unsaved config edits (beforeunload): Electron shows no question of its own.
  win.webContents.on('will-prevent-unload', (e) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Leave and lose the changes', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved config',
      message: 'The config in the editor has changes that are not saved.',
      detail: 'Stay, then save them in the Config view (Save or Save as…).',
    });
    if (choice === 0) e.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex);
  return win;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const backend = createBackend({ shell: 'electron', launcher: utilityLauncher });
  const unbind = bindIpc(backend, rendererUrl);
  installMenu(backend);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    unbind();
    void backend.dispose();
  });
});

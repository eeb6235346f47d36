import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/api';
import type { Backend } from '../backend';

/** The application menu. Commands go to the renderer as 'menu.command' events. */
export function installMenu(backend: Backend): void {
  const send = (command: MenuCommand) => () => backend.events.emit('menu.command', { command });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Movie…', accelerator: 'CmdOrCtrl+O', click: send('open-movie') },
        { label: 'Import Collection…', accelerator: 'CmdOrCtrl+I', click: send('import-collection') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: `About ${app.getName()}`, click: send('about') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

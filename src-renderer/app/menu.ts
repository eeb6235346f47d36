import type { MenuCommand } from '../../src-shared/api';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { api, bridge } from './api';

/** Runs a command chosen in the desktop app's menu. */
export async function runMenuCommand(command: MenuCommand): Promise<void> {
  const nav = useNavigation.getState();
  try {
    if (command === 'about') nav.setAboutOpen(true);
    if (command === 'import-collection') {
      nav.setView('collections');
      const path = await bridge.showOpenDialog?.({
        title: 'Import a model collection',
        filters: [{ name: 'Model collection', extensions: ['zip'] }],
      });
      if (path) await api.collections.importPath(path);
    }
    if (command === 'open-movie') {
      nav.setView('viewer');
      const path = await bridge.showOpenDialog?.({
        title: 'Open a movie',
        filters: [{ name: 'Movies', extensions: ['tif', 'tiff', 'nd2'] }],
      });
      if (path) await api.movies.open(path);
    }
  } catch (err) {
    useErrors.getState().show('The menu command failed', err);
  }
}

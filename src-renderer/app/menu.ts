import type { MenuCommand } from '../../src-shared/api';
import { useCollections } from '../stores/collections';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { useViewer } from '../stores/viewer';
import { chooseFile, onMenuCommand } from './shell';

/** Runs a command chosen in the desktop app's menu. */
export async function runMenuCommand(command: MenuCommand): Promise<void> {
  const nav = useNavigation.getState();
  try {
    if (command === 'about') nav.setAboutOpen(true);
    if (command === 'import-collection') {
      nav.setView('collections');
      const path = await chooseFile('Import a model collection', [
        { name: 'Model collection', extensions: ['zip'] },
      ]);
      if (path) await useCollections.getState().importCollection(path, path);
    }
    if (command === 'open-movie') {
      nav.setView('viewer');
      const path = await chooseFile('Open a movie', [{ name: 'Movies', extensions: ['tif', 'tiff', 'nd2'] }]);
      if (path) await useViewer.getState().openMovie(path);
    }
  } catch (err) {
    useErrors.getState().show('The menu command failed', err);
  }
}

/** Runs the desktop menu's commands from now on (the browser has no such menu). */
export function followMenu(): () => void {
  return onMenuCommand((command) => void runMenuCommand(command));
}

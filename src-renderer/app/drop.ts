import { api, bridge } from './api';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';

const COLLECTION_EXT = /\.zip$/i;

/**
 * Files dropped anywhere on the window. Electron gives their real paths; the browser uploads
 * them to `hitmic serve` first. ZIPs are model collections; everything else is a movie.
 */
export async function handleDroppedFiles(files: FileList): Promise<void> {
  const show = useErrors.getState().show;
  for (const file of Array.from(files)) {
    try {
      const path = bridge.pathForFile ? bridge.pathForFile(file) : await bridge.uploadFile!(file);
      if (COLLECTION_EXT.test(file.name)) {
        useNavigation.getState().setView('collections');
        await api.collections.importPath(path);
      } else {
        useNavigation.getState().setView('viewer');
        await api.movies.open(path);
      }
    } catch (err) {
      show(`Could not open ${file.name}`, err);
    }
  }
}

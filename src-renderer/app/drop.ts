import { api, bridge } from './api';
import { useCollections } from '../stores/collections';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { openMovieInViewer } from '../views/viewer/open-movie';

const COLLECTION_EXT = /\.zip$/i;

async function importCollection(path: string, name: string): Promise<void> {
  const st = useCollections.getState();
  st.setBusy(`Importing ${name}…`);
  try {
    const summary = await api.collections.importPath(path);
    useCollections.getState().setLibrary(await api.collections.list());
    useCollections.getState().select(summary.id);
  } finally {
    useCollections.getState().setBusy(undefined);
  }
}

/**
 * Files dropped anywhere on the window. Electron gives their real paths; the browser uploads
 * them to `hitmic serve` first. ZIPs are model collections; everything else is a movie.
 */
export async function handleDroppedFiles(files: FileList): Promise<void> {
  const show = useErrors.getState().show;
  for (const file of Array.from(files)) {
    try {
      if (COLLECTION_EXT.test(file.name)) useNavigation.getState().setView('collections');
      else useNavigation.getState().setView('viewer');
      const path = bridge.pathForFile ? bridge.pathForFile(file) : await bridge.uploadFile!(file);
      if (COLLECTION_EXT.test(file.name)) await importCollection(path, file.name);
      else await openMovieInViewer(path);
    } catch (err) {
      show(`Could not open ${file.name}`, err);
    }
  }
}

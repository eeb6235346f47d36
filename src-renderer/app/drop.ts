import { useCollections } from '../stores/collections';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { useViewer } from '../stores/viewer';
import { backendPathOf } from './shell';

const COLLECTION_EXT = /\.zip$/i;

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
      const path = await backendPathOf(file);
      if (COLLECTION_EXT.test(file.name)) await useCollections.getState().importCollection(path, file.name);
      else await useViewer.getState().openMovie(path);
    } catch (err) {
      show(`Could not open ${file.name}`, err);
    }
  }
}

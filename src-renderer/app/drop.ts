import { MOVIE_TYPES, notAMovie } from '../../src-shared/io';
import { useCollections } from '../stores/collections';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { useViewer } from '../stores/viewer';
import { backendFileOf, inTermsOfDroppedFile } from './shell';

const COLLECTION_EXT = /\.zip$/i;
// A companion opens its TIFFs by path: that works where the shell gives real paths (Electron).
const MOVIE_EXT = /\.(tiff?|btf|companion\.ome)$/i;

/**
 * Files dropped anywhere on the window. Electron gives their real paths; the browser uploads
 * them to `hitmic serve` first. ZIPs are model collections, TIFFs movies; anything else is
 * refused before it is uploaded. Messages name the file the user dropped, never its upload path.
 */
export async function handleDroppedFiles(files: FileList): Promise<void> {
  const show = useErrors.getState().show;
  for (const file of Array.from(files)) {
    const collection = COLLECTION_EXT.test(file.name);
    if (!collection && !MOVIE_EXT.test(file.name)) {
      show(`Could not open ${file.name}`, {
        code: 'BAD_INPUT',
        message: `${file.name}: ${notAMovie(file.name) ?? `neither ${MOVIE_TYPES} nor a model collection (.zip)`}. Drop one of those.`,
      });
      continue;
    }
    useNavigation.getState().setView(collection ? 'collections' : 'viewer');
    let dropped;
    try {
      dropped = await backendFileOf(file);
    } catch (err) {
      show(`Could not upload ${file.name}`, err);
      continue;
    }
    try {
      if (collection) await useCollections.getState().importCollection(dropped.path, file.name);
      else await useViewer.getState().openMovie(dropped.path, dropped.uploaded ? file.name : undefined);
    } catch (err) {
      show(`Could not open ${file.name}`, inTermsOfDroppedFile(err, dropped));
    }
  }
}

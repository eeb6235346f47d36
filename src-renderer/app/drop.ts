import { useCollections } from '../stores/collections';
import { useErrors } from '../stores/errors';
import { useNavigation } from '../stores/navigation';
import { useViewer } from '../stores/viewer';
import { droppedKind, inUserTerms } from './dropped-names';
import { backendPathOf } from './shell';

/**
 * Files dropped anywhere on the window. Electron gives their real paths; the browser uploads
 * them to `hitmic serve` first. ZIPs are model collections; files that cannot be movies (a
 * `.txt`, a `.png`) are refused before any upload; everything else is opened as a movie. Errors
 * name the file the user dropped, never the temporary copy it was uploaded to.
 */
export async function handleDroppedFiles(files: FileList): Promise<void> {
  const show = useErrors.getState().show;
  for (const file of Array.from(files)) {
    const what = droppedKind(file.name);
    if (what.kind === 'refused') {
      show(`Could not open ${file.name}`, { code: 'BAD_INPUT', message: what.why });
      continue;
    }
    let path = '';
    try {
      useNavigation.getState().setView(what.kind === 'collection' ? 'collections' : 'viewer');
      path = await backendPathOf(file);
      if (what.kind === 'collection') await useCollections.getState().importCollection(path, file.name);
      else await useViewer.getState().openMovie(path);
    } catch (err) {
      show(`Could not open ${file.name}`, inUserTerms(err, path, file.name));
    }
  }
}

import { api } from '../../app/api';
import { useViewer } from '../../stores/viewer';

/** Opens a movie on the backend and shows it in the Viewer (closing the one shown before). */
export async function openMovieInViewer(path: string): Promise<void> {
  const before = useViewer.getState().movie;
  const info = await api.movies.open(path);
  useViewer.getState().showMovie(info);
  if (before && before.id !== info.id) await api.movies.close(before.id).catch(() => undefined);
}

import { useErrors } from '../../stores/errors';
import { useNavigation, type ViewId } from '../../stores/navigation';
import { useQc } from '../../stores/qc';
import { useResults } from '../../stores/results';
import { useViewer } from '../../stores/viewer';

/**
 * Points the Results/QC views at a movie's outputs and loads them (or opens the movie in the
 * Viewer with the run's objects over it) and goes there.
 */
export function openIn(view: ViewId, outputDir: string, movie: string, moviePath?: string): void {
  useResults.getState().setLocation(outputDir, movie);
  if (view === 'results') void useResults.getState().load();
  if (view === 'qc') void useQc.getState().loadCrops();
  if (view === 'viewer' && moviePath) {
    const viewer = useViewer.getState();
    void viewer
      .openMovie(moviePath)
      .then(() => viewer.loadRunOverlay(outputDir, movie))
      .catch((e: unknown) => useErrors.getState().show(`Could not show ${movie} in the Viewer`, e));
  }
  useNavigation.getState().setView(view);
}

/** Chip colours of run states: a cancelled run is the user's choice, not a failure. */
export const STATE_COLOURS = {
  queued: 'default',
  running: 'info',
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
} as const;

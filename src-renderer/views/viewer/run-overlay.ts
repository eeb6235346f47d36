import { useEffect } from 'react';
import { objectsByFrame } from '../../../src-shared/viewer';
import { api } from '../../app/api';
import { useErrors } from '../../stores/errors';
import { useViewer, type RunOverlay } from '../../stores/viewer';

/**
 * Loads a finished run's labels and table for the movie in the Viewer, so its outlines and hover
 * (class, confidence, PI status, track) show on every frame without running a model.
 */
export async function loadRunOverlay(outputDir: string, movie: string): Promise<void> {
  const dir = outputDir.replace(/[\\/]+$/, '');
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const [table, labels] = await Promise.all([
    api.results.cells(dir, movie),
    api.movies.open(`${dir}${sep}${movie}_labels.tif`),
  ]);
  const overlay: RunOverlay = {
    outputDir: dir,
    movie,
    labelsMovieId: labels.id,
    objects: objectsByFrame(table),
  };
  useViewer.getState().setRunOverlay(overlay);
}

/** Keeps the run overlay's labels in step with the frame shown. */
export function useRunOverlayFrame(frame: number | undefined): void {
  const overlay = useViewer((s) => s.runOverlay);
  useEffect(() => {
    if (!overlay || frame === undefined) return;
    let live = true;
    api.movies.frame({ movieId: overlay.labelsMovieId, frame, channel: 0 }).then(
      (f) => {
        if (!live) return;
        const objects = overlay.objects.get(frame) ?? [];
        useViewer
          .getState()
          .setRunFrame({
            frame,
            width: f.width,
            height: f.height,
            labels: f,
            objects,
            settings: {},
            timingsMs: {},
            elapsedMs: 0,
            steps: [],
            roundTripMs: 0,
            provider: 'run',
          });
      },
      (e: unknown) => live && useErrors.getState().show('Could not read the run labels', e),
    );
    return () => {
      live = false;
    };
  }, [overlay, frame]);
}

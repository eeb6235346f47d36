import { Alert, Box, Button, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { RunRecord, RunRegistration } from '../../../src-shared/api';
import { analysisOrigin, labelsPlaneOf, shiftOf } from '../../../src-shared/results';
import { useErrors } from '../../stores/errors';
import { useNavigation } from '../../stores/navigation';
import { useResults } from '../../stores/results';
import { useRuns } from '../../stores/runs';
import { useViewer } from '../../stores/viewer';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;
const movieNameOf = (file: string) => baseName(file).replace(/\.(ome\.)?tiff?$/i, '');

/** The run's analysed movie made from the movie open in the Viewer: by its recorded path, else by name. */
function matchingMovie(run: RunRecord, openPath: string | undefined): string | undefined {
  const analysed = run.movies.filter((m) => m.analysed);
  if (!openPath) return undefined;
  return (
    analysed.find((m) => m.moviePath === openPath)?.name ??
    analysed.find((m) => m.name === movieNameOf(openPath))?.name
  );
}

/**
 * Shows a finished run's objects over the movie: outlines by class; hover adds PI status and track.
 * The run and its movie are picked from the runs found on disk (as in QC and Results), runs made from
 * the open movie first; never a typed path.
 */
export function RunOverlayPanel() {
  const overlay = useViewer((s) => s.runOverlay);
  const openPath = useViewer((s) => s.movie?.path);
  const results = useResults();
  const { history, historyLoaded } = useRuns();
  useEffect(() => {
    useRuns
      .getState()
      .loadHistory()
      .catch((e: unknown) => useErrors.getState().show('Could not list the runs on disk', e));
  }, []);
  // Runs made from the open movie first, then the others (newest first within each, as listed).
  const analysed = history.filter((r) => r.movies.some((m) => m.analysed));
  const runs = [
    ...analysed.filter((r) => matchingMovie(r, openPath)),
    ...analysed.filter((r) => !matchingMovie(r, openPath)),
  ];
  const [dir, setDir] = useState(overlay?.outputDir ?? results.outputDir);
  const [name, setName] = useState(overlay?.movie ?? results.movie);
  const chosen = runs.find((r) => r.outputDir === dir);
  const movies = chosen?.movies.filter((m) => m.analysed) ?? [];
  const pick = (r: RunRecord | undefined) => {
    setDir(r?.outputDir ?? '');
    setName(r ? (matchingMovie(r, openPath) ?? r.movies.find((m) => m.analysed)?.name ?? '') : '');
  };
  // Nothing usable chosen yet: the newest run of the open movie (or the newest run). Only when the
  // list or the choice changes, not on every render.
  useEffect(() => {
    if (!chosen && runs.length > 0) pick(runs[0]);
  }, [chosen, runs.length, openPath]);
  // A run shown from elsewhere (QC's "Show in the Viewer") is the one picked here.
  useEffect(() => {
    if (!overlay) return;
    setDir(overlay.outputDir);
    setName(overlay.movie);
  }, [overlay]);

  const [busy, setBusy] = useState(false);
  const show = async () => {
    setBusy(true);
    try {
      await useViewer.getState().loadRunOverlay(dir, name);
    } catch (e) {
      useErrors.getState().show('Could not show the run', e);
    } finally {
      setBusy(false);
    }
  };
  const movieOk = movies.some((m) => m.name === name);
  return (
    <Box data-testid="viewer-run-overlay">
      <Typography variant="subtitle2">Results of a run</Typography>
      <Typography variant="caption" color="text.secondary">
        {overlay
          ? `Showing ${overlay.movie} from ${overlay.outputDir}`
          : 'Outlines, PI status and tracks of an analysed movie.'}
      </Typography>
      {overlay && <RegistrationFacts />}
      {historyLoaded && runs.length === 0 ? (
        <Typography variant="body2" sx={{ mt: 1 }} data-testid="viewer-run-none">
          No analysed run yet. Runs started in the Runs view are listed here once they have results; a run
          made in a terminal can be added there.{' '}
          <Button size="small" onClick={() => useNavigation.getState().setView('runs')}>
            Go to Runs
          </Button>
        </Typography>
      ) : (
        <>
          <TextField
            select
            size="small"
            fullWidth
            label="Run"
            value={chosen ? dir : ''}
            onChange={(e) => pick(runs.find((r) => r.outputDir === e.target.value))}
            sx={{ mt: 1 }}
            slotProps={{
              select: { native: true },
              htmlInput: { 'data-testid': 'viewer-run-dir', title: dir },
              inputLabel: { shrink: true },
            }}
          >
            {!chosen && <option value="">Pick a run…</option>}
            {runs.map((r) => (
              <option key={r.outputDir} value={r.outputDir}>
                {baseName(r.outputDir)}
                {matchingMovie(r, openPath) ? ' · this movie' : ''} · {r.state} · {r.outputDir}
              </option>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            fullWidth
            label="Movie"
            value={movieOk ? name : ''}
            onChange={(e) => setName(e.target.value)}
            disabled={!chosen}
            sx={{ mt: 1 }}
            slotProps={{
              select: { native: true },
              htmlInput: { 'data-testid': 'viewer-run-movie' },
              inputLabel: { shrink: true },
            }}
          >
            {!movieOk && <option value="">Pick a movie…</option>}
            {movies.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
                {m.frames !== undefined ? ` (${m.frames} frames)` : ''}
              </option>
            ))}
          </TextField>
        </>
      )}
      {(runs.length > 0 || overlay) && (
        <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
          <Button
            variant="outlined"
            onClick={() => void show()}
            disabled={busy || !chosen || !movieOk}
            data-testid="viewer-run-show"
          >
            Show run
          </Button>
          {overlay && <Button onClick={() => useViewer.getState().setRunOverlay(undefined)}>Hide</Button>}
        </Box>
      )}
    </Box>
  );
}

const px = (v: number) => String(Number(v.toFixed(3)));

/** Where the run's objects of `frame` are drawn, in words. */
function placementText(reg: RunRegistration, frame: number): string {
  if (labelsPlaneOf(reg, frame) < 0) return `The run did not analyse frame ${frame}: no objects to draw.`;
  const o = analysisOrigin(reg, frame);
  const s = shiftOf(reg, frame);
  switch (reg.kind) {
    case 'aligned':
      return `Aligned run: frame ${frame} is drawn at (${px(o.x)}, ${px(o.y)}) in the movie (crop ${reg.crop?.x0}, ${reg.crop?.y0} minus shift ${px(s.dx)}, ${px(s.dy)}).`;
    case 'unaligned':
      return "The run did not align frames: drawn at the movie's own pixels.";
    case 'crop-only':
      return `Drawn at the crop offset (${px(o.x)}, ${px(o.y)}) only.`;
    default:
      return "Drawn at the movie's own pixels.";
  }
}

/** How the run's objects are placed on this frame, and why they may be out of register. */
function RegistrationFacts() {
  const overlay = useViewer((s) => s.runOverlay);
  const frame = useViewer((s) => s.frame);
  if (!overlay) return null;
  const how = placementText(overlay.registration, frame);
  return (
    <>
      <Typography
        variant="caption"
        component="p"
        color="text.secondary"
        data-testid="viewer-run-registration"
      >
        {how}
      </Typography>
      {overlay.warnings.map((w) => (
        <Alert key={w} severity="warning" sx={{ mt: 0.5 }} data-testid="viewer-run-registration-warning">
          {w}
        </Alert>
      ))}
    </>
  );
}

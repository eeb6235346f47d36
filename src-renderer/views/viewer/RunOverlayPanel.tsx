import { Alert, Box, Button, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { RunRegistration } from '../../../src-shared/api';
import { analysisOrigin, labelsPlaneOf, shiftOf } from '../../../src-shared/results';
import { useErrors } from '../../stores/errors';
import { useResults } from '../../stores/results';
import { useViewer } from '../../stores/viewer';

/** Shows a finished run's objects over the movie: outlines by class; hover adds PI status and track. */
export function RunOverlayPanel() {
  const overlay = useViewer((s) => s.runOverlay);
  const movie = useViewer((s) => s.movie);
  const results = useResults();
  const [dir, setDir] = useState(overlay?.outputDir ?? results.outputDir);
  const [name, setName] = useState(
    overlay?.movie ?? (results.movie || movie?.name.replace(/\.(ome\.)?tiff?$/i, '') || ''),
  );
  const [busy, setBusy] = useState(false);
  const show = async () => {
    setBusy(true);
    try {
      await useViewer.getState().loadRunOverlay(dir.trim(), name.trim());
    } catch (e) {
      useErrors.getState().show('Could not show the run', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box data-testid="viewer-run-overlay">
      <Typography variant="subtitle2">Results of a run</Typography>
      <Typography variant="caption" color="text.secondary">
        {overlay
          ? `Showing ${overlay.movie} from ${overlay.outputDir}`
          : 'Outlines, PI status and tracks of an analysed movie.'}
      </Typography>
      {overlay && <RegistrationFacts />}
      <TextField
        size="small"
        fullWidth
        label="Output folder"
        value={dir}
        onChange={(e) => setDir(e.target.value)}
        sx={{ mt: 1 }}
        slotProps={{ htmlInput: { 'data-testid': 'viewer-run-dir' } }}
      />
      <TextField
        size="small"
        fullWidth
        label="Movie"
        value={name}
        onChange={(e) => setName(e.target.value)}
        sx={{ mt: 1 }}
        slotProps={{ htmlInput: { 'data-testid': 'viewer-run-movie' } }}
      />
      <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
        <Button
          variant="outlined"
          onClick={() => void show()}
          disabled={busy || !dir.trim() || !name.trim()}
          data-testid="viewer-run-show"
        >
          Show run
        </Button>
        {overlay && <Button onClick={() => useViewer.getState().setRunOverlay(undefined)}>Hide</Button>}
      </Box>
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

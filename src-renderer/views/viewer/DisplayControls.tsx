import { Box, Button, ButtonGroup, Typography } from '@mui/material';
import { useViewer } from '../../stores/viewer';
import { oneToOneView } from './ViewerCanvas';

/** Fit and 1:1, and the zoom shown. */
export function DisplayControls() {
  const movie = useViewer((s) => s.movie);
  const transform = useViewer((s) => s.transform);
  const { setTransform } = useViewer.getState();
  if (!movie) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
      <ButtonGroup size="small">
        <Button onClick={() => setTransform(undefined)} data-testid="viewer-fit">
          Fit
        </Button>
        <Button
          onClick={() => setTransform(oneToOneView(movie.width, movie.height))}
          data-testid="viewer-1to1"
        >
          1:1
        </Button>
      </ButtonGroup>
      <Typography variant="caption" color="text.secondary" data-testid="viewer-zoom">
        {transform ? `${Math.round(transform.scale * 100)} %` : 'fit'} · wheel zooms, drag pans, click picks a
        cell
      </Typography>
    </Box>
  );
}

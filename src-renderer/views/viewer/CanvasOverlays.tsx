import { Box } from '@mui/material';
import { formatClock, frameTime, scaleBar } from '../../../src-shared/viewer';
import { useViewer } from '../../stores/viewer';

const LABEL = {
  position: 'absolute',
  color: '#fff',
  fontSize: 12,
  fontFamily: 'monospace',
  bgcolor: 'rgba(0, 0, 0, 0.55)',
  px: 0.75,
  py: 0.25,
  borderRadius: 0.5,
  pointerEvents: 'none',
} as const;

/**
 * A scale bar (a round length in µm from the file's pixel size) and the time stamp of the frame
 * drawn (hh:mm:ss from the file's frame times), over the canvas; without calibration they say so
 * instead of guessing.
 */
export function CanvasOverlays({ scale }: { scale: number }) {
  const movie = useViewer((s) => s.movie);
  const drawn = useViewer((s) => s.drawnFrame);
  const frame = useViewer((s) => s.frame);
  if (!movie) return null;
  const shown = drawn ?? frame;
  const bar = scaleBar(movie.pixelSizeUm, scale);
  const time = frameTime(movie, shown);
  return (
    <>
      <Box sx={{ ...LABEL, top: 6, left: 6 }} data-testid="viewer-time-stamp">
        {time !== undefined
          ? `${formatClock(time)} · frame ${shown}`
          : `frame ${shown} · no frame interval in the file`}
      </Box>
      <Box
        sx={{ ...LABEL, bottom: 8, left: 8, display: 'flex', flexDirection: 'column', alignItems: 'center' }}
        data-testid="viewer-scale-bar"
        data-um={bar?.um}
        data-px={bar ? bar.px.toFixed(2) : undefined}
      >
        {bar ? (
          <>
            <Box sx={{ width: `${bar.px}px`, height: '4px', bgcolor: '#fff', my: 0.25 }} />
            <span>{bar.label}</span>
          </>
        ) : (
          <span>{movie.pixelSizeUm ? '' : 'no pixel size in the file'}</span>
        )}
      </Box>
    </>
  );
}

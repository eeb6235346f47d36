import { Alert, Box, Button, Divider, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { chooseFile, hasOpenDialog, shellKind } from '../app/shell';
import { RecentPaths } from '../components/RecentPaths';
import { useErrors } from '../stores/errors';
import { displayedChannels, useViewer } from '../stores/viewer';
import { DisplayControls } from './viewer/DisplayControls';
import { FrameControls } from './viewer/FrameControls';
import { HoverReadout } from './viewer/HoverReadout';
import { useLayers } from './viewer/layers';
import { PreviewPanel } from './viewer/PreviewPanel';
import { useRunOverlayFrame } from './viewer/run-overlay';
import { RunOverlayPanel } from './viewer/RunOverlayPanel';
import { TestModePanel } from './viewer/TestModePanel';
import { useHoverSelect, useTestModeLayers } from './viewer/test-mode-layers';
import { useFrames } from './viewer/use-frames';
import { ViewerCanvas } from './viewer/ViewerCanvas';

const MOVIE_EXTENSIONS = ['tif', 'tiff', 'ome.tif', 'ome.tiff', 'btf'];

/** Open a movie, scrub frames, and preview restoration and segmentation on the frame in front of you. */
export function ViewerView() {
  const movie = useViewer((s) => s.movie);
  const droppedName = useViewer((s) => s.droppedName);
  const frame = useViewer((s) => s.frame);
  const display = useViewer((s) => s.display);
  const contrast = useViewer((s) => s.contrast);
  const preview = useViewer((s) => s.preview);
  const overlayStyle = useViewer((s) => s.overlayStyle);
  const show = useErrors((e) => e.show);
  const [path, setPath] = useState('');
  const [opening, setOpening] = useState(false);
  const [hover, setHover] = useState<{ x: number; y: number }>();
  const runFrame = useViewer((s) => s.runFrame);
  const loaded = useFrames(movie, frame, displayedChannels(display));
  useRunOverlayFrame(movie ? loaded?.frame : undefined);
  // Test mode's layers of this frame win when shown; then a preview of this frame; otherwise a
  // finished run's objects of this frame, if shown.
  const testLayers = useTestModeLayers(loaded?.frame, overlayStyle);
  const onFrame = (p: typeof preview) => !!p && !!loaded && p.frame === loaded.frame;
  const shown = testLayers?.readout ?? (onFrame(preview) ? preview : onFrame(runFrame) ? runFrame : preview);
  const viewerLayers = useLayers(loaded, display, contrast, testLayers ? undefined : shown, overlayStyle);
  const layers = testLayers
    ? { ...viewerLayers, restored: testLayers.restored, labels: testLayers.labels, previewShown: true }
    : viewerLayers;
  useHoverSelect(testLayers, hover);

  useEffect(() => {
    setHover(undefined);
    // A dropped file's temporary copy has no path worth showing or typing again.
    if (movie) setPath(droppedName === undefined ? movie.path : '');
  }, [movie, droppedName]);

  const open = async (p: string) => {
    if (!p.trim()) return;
    setOpening(true);
    try {
      await useViewer.getState().openMovie(p.trim());
    } catch (e) {
      show(`Could not open ${p}`, e);
    } finally {
      setOpening(false);
    }
  };
  const choose = async () => {
    const p = await chooseFile('Open a movie', [{ name: 'Movies', extensions: MOVIE_EXTENSIONS }]);
    if (p) {
      setPath(p);
      await open(p);
    }
  };

  return (
    <Box sx={{ display: 'flex', height: '100%', minHeight: 0 }} data-testid="viewer">
      <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Box
          component="form"
          sx={{ display: 'flex', gap: 1, p: 1, alignItems: 'center' }}
          onSubmit={(e) => (e.preventDefault(), void open(path))}
        >
          {hasOpenDialog() && (
            <Button variant="contained" onClick={() => void choose()} data-testid="viewer-open-dialog">
              Open movie…
            </Button>
          )}
          <TextField
            size="small"
            fullWidth
            label={shellKind() === 'serve' ? "Movie path on the backend's machine" : 'Movie path'}
            placeholder="/data/experiment/movie.tif — or drop a movie on the window"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'viewer-path-input' } }}
          />
          <Button
            type="submit"
            variant="outlined"
            disabled={opening || !path.trim()}
            data-testid="viewer-open"
          >
            Open
          </Button>
        </Box>
        <RecentPaths
          kind="movies"
          onPick={(p) => {
            setPath(p);
            void open(p);
          }}
        />
        {movie ? (
          <>
            <Typography
              variant="caption"
              sx={{ px: 1 }}
              color="text.secondary"
              data-testid="viewer-movie-info"
            >
              {droppedName ?? movie.name} · {movie.width}×{movie.height} · {movie.frames} frames ·{' '}
              {movie.channels} channels · {movie.dtype}
              {movie.pixelSizeUm ? ` · ${Number(movie.pixelSizeUm.toPrecision(4))} µm/px` : ''}
              {movie.frameIntervalS ? ` · ${Number(movie.frameIntervalS.toPrecision(4))} s/frame` : ''}
              {loaded
                ? ` · frame ready in ${loaded.cached ? 'cache' : `${Math.round(loaded.loadMs)} ms`}`
                : ''}
            </Typography>
            <ViewerCanvas layers={layers} onHover={setHover} />
            <FrameControls />
            {/* Two lines always: a readout that wrapped would resize the canvas under the pointer. */}
            <Box sx={{ px: 1, pb: 0.5, height: 40, overflow: 'hidden' }}>
              <HoverReadout
                pixel={hover}
                loaded={loaded}
                preview={shown}
                previewShown={layers.previewShown}
              />
            </Box>
          </>
        ) : (
          <Alert severity="info" sx={{ m: 1 }}>
            Open a movie (TIFF, ImageJ hyperstack, OME-TIFF) by its path
            {hasOpenDialog() ? ', with Open movie…' : ''}, or drop it anywhere on the window.
          </Alert>
        )}
      </Box>
      {movie && (
        <Box
          sx={{
            width: 330,
            p: 1.5,
            borderLeft: 1,
            borderColor: 'divider',
            overflow: 'auto',
            display: 'flex',
            flexDirection: 'column',
            gap: 1.5,
          }}
        >
          <DisplayControls ranges={layers.ranges} />
          <Divider />
          <PreviewPanel />
          <Divider />
          <TestModePanel />
          <Divider />
          <RunOverlayPanel />
        </Box>
      )}
    </Box>
  );
}

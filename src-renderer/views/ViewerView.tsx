import { Alert, Box, Button, Divider, TextField, Typography } from '@mui/material';
import { memo, useEffect, useMemo, useState } from 'react';
import { layerPixelAt, type ImageColormap } from '../../src-shared/viewer';
import { chooseFile, hasOpenDialog, shellKind } from '../app/shell';
import { RecentPaths } from '../components/RecentPaths';
import { useErrors } from '../stores/errors';
import { useCellSelection } from '../stores/cell-selection';
import { useLayers } from '../stores/layers';
import { useViewer } from '../stores/viewer';
import { ContrastPanel } from './viewer/ContrastPanel';
import { DisplayControls } from './viewer/DisplayControls';
import { FrameControls } from './viewer/FrameControls';
import { HoverReadout } from './viewer/HoverReadout';
import { LayerList } from './viewer/LayerList';
import { useFrameLayers, visibleChannels, type FrameLayers } from './viewer/layers';
import { LineagePanel } from './viewer/LineagePanel';
import { PreviewPanel } from './viewer/PreviewPanel';
import { useRunOverlayFrame } from './viewer/run-overlay';
import { RunOverlayPanel } from './viewer/RunOverlayPanel';
import { TestModePanel } from './viewer/TestModePanel';
import { useHoverSelect, useTestModeLayers } from './viewer/test-mode-layers';
import { useFrames } from './viewer/use-frames';
import { ViewerCanvas } from './viewer/ViewerCanvas';

/**
 * The panel beside the canvas. Memoised: a frame step changes none of its props (whole-movie
 * contrast, same layers), so only the parts that show the frame re-render, not every control.
 */
const SidePanel = memo(function SidePanel({
  listed,
  ranges,
  colormaps,
}: {
  listed: FrameLayers['listed'];
  ranges: FrameLayers['ranges'];
  colormaps: Map<number, ImageColormap>;
}) {
  return (
    <>
      <LayerList entries={listed} />
      <LineagePanel />
      <ContrastPanel ranges={ranges} colormaps={colormaps} />
      <DisplayControls />
      <Divider />
      <RunOverlayPanel />
      <Divider />
      <PreviewPanel />
      <Divider />
      <TestModePanel />
    </>
  );
});

const MOVIE_EXTENSIONS = ['tif', 'tiff', 'ome.tif', 'ome.tiff', 'btf'];

/** Open a movie, scrub frames, and preview restoration and segmentation on the frame in front of you. */
export function ViewerView() {
  const movie = useViewer((s) => s.movie);
  const droppedName = useViewer((s) => s.droppedName);
  const frame = useViewer((s) => s.frame);
  const playing = useViewer((s) => s.playing);
  const fps = useViewer((s) => s.fps);
  const settings = useLayers((s) => s.settings);
  const show = useErrors((e) => e.show);
  const [path, setPath] = useState('');
  const [opening, setOpening] = useState(false);
  const [hover, setHover] = useState<{ x: number; y: number }>();
  // Playing, read further ahead: about half a second of frames, 2 to 8.
  const ahead = playing ? Math.min(8, Math.max(2, Math.ceil(fps / 2))) : 2;
  const loaded = useFrames(movie, frame, visibleChannels(movie, settings), ahead);
  useRunOverlayFrame(movie ? loaded?.frame : undefined);
  const layers = useFrameLayers(loaded, movie);
  const listed = layers.listed;
  const colormaps = useMemo(
    () =>
      new Map(
        listed
          .filter((e) => e.layer.id.startsWith('raw:'))
          .map((e) => [Number(e.layer.id.slice(4)), e.settings.colormap as ImageColormap]),
      ),
    [listed],
  );
  useHoverSelect(useTestModeLayers(loaded?.frame), hover);

  /** A click picks the object under it in the top labels layer (and its track), or clears the pick. */
  const pick = (p: { x: number; y: number }) => {
    for (const layer of layers.hoverLabels) {
      const at = layerPixelAt(layer.translate, layer.width, layer.height, p);
      const label = at ? layer.data[at.y * layer.width + at.x] : 0;
      if (!label || layer.frame === undefined) continue;
      const trackId = layer.objects?.find((o) => o.label === label)?.trackId;
      const tracked = layer.id === 'run-labels' && trackId !== undefined && trackId >= 0;
      useCellSelection.getState().select({ frame: layer.frame, label, ...(tracked ? { trackId } : {}) });
      if (tracked) useCellSelection.getState().setFollow(true);
      return;
    }
    useCellSelection.getState().select(undefined);
  };

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
              {movie.pixelSizeUm
                ? ` · ${Number(movie.pixelSizeUm.toPrecision(4))} µm/px`
                : ' · no pixel size'}
              {movie.frameIntervalS
                ? ` · ${Number(movie.frameIntervalS.toPrecision(4))} s/frame`
                : ' · no frame interval'}
              {loaded
                ? ` · frame ready in ${loaded.cached ? 'cache' : `${Math.round(loaded.loadMs)} ms`}`
                : ''}
            </Typography>
            <ViewerCanvas layers={layers} onHover={setHover} onPick={pick} />
            <FrameControls />
            {/* Two lines always: a readout that wrapped would resize the canvas under the pointer. */}
            <Box sx={{ px: 1, pb: 0.5, height: 40, overflow: 'hidden' }}>
              <HoverReadout
                pixel={hover}
                loaded={loaded}
                labels={layers.hoverLabels}
                images={layers.hoverImages}
                movie={movie}
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
            width: 350,
            p: 1.5,
            borderLeft: 1,
            borderColor: 'divider',
            overflow: 'auto',
            display: 'flex',
            flexDirection: 'column',
            gap: 1.5,
          }}
        >
          <SidePanel listed={listed} ranges={layers.ranges} colormaps={colormaps} />
        </Box>
      )}
    </Box>
  );
}

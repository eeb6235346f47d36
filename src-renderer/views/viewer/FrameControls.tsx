import { Box, IconButton, Slider, Tooltip, Typography } from '@mui/material';
import PauseIcon from '@mui/icons-material/Pause';
import PlayIcon from '@mui/icons-material/PlayArrow';
import NextIcon from '@mui/icons-material/SkipNext';
import PrevIcon from '@mui/icons-material/SkipPrevious';
import { useEffect } from 'react';
import { useViewer } from '../../stores/viewer';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

/** Frame slider, play/pause and stepping; ← / → step a frame and Space plays, anywhere in the Viewer but text fields. */
export function FrameControls() {
  const movie = useViewer((s) => s.movie);
  const frame = useViewer((s) => s.frame);
  const playing = useViewer((s) => s.playing);
  const fps = useViewer((s) => s.fps);
  const { setFrame, step, setPlaying } = useViewer.getState();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        useViewer.getState().setPlaying(false);
        useViewer.getState().step(e.key === 'ArrowRight' ? 1 : -1);
      } else if (e.key === ' ' && (e.target as HTMLElement | null)?.tagName !== 'BUTTON') {
        e.preventDefault();
        useViewer.getState().setPlaying(!useViewer.getState().playing);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => useViewer.getState().step(1), 1000 / fps);
    return () => window.clearInterval(id);
  }, [playing, fps]);

  if (!movie) return null;
  const last = movie.frames - 1;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1 }}>
      <Tooltip title="Previous frame (←)">
        <IconButton
          size="small"
          aria-label="Previous frame"
          onClick={() => step(-1)}
          data-testid="viewer-prev"
        >
          <PrevIcon />
        </IconButton>
      </Tooltip>
      <Tooltip title={playing ? 'Pause (Space)' : 'Play (Space)'}>
        <IconButton
          size="small"
          aria-label={playing ? 'Pause' : 'Play'}
          onClick={() => setPlaying(!playing)}
          data-testid="viewer-play"
        >
          {playing ? <PauseIcon /> : <PlayIcon />}
        </IconButton>
      </Tooltip>
      <Tooltip title="Next frame (→)">
        <IconButton size="small" aria-label="Next frame" onClick={() => step(1)} data-testid="viewer-next">
          <NextIcon />
        </IconButton>
      </Tooltip>
      <Slider
        size="small"
        min={0}
        max={Math.max(last, 0)}
        step={1}
        value={frame}
        disabled={last === 0}
        onChange={(_e, v) => {
          setPlaying(false);
          setFrame(v as number);
        }}
        aria-label="Frame"
        data-testid="viewer-frame-slider"
        sx={{ flex: 1, mx: 1 }}
      />
      <Typography
        variant="body2"
        sx={{ minWidth: 110, fontVariantNumeric: 'tabular-nums' }}
        data-testid="viewer-frame-label"
      >
        Frame {frame} (0–{last})
      </Typography>
    </Box>
  );
}

import { Box, IconButton, MenuItem, Slider, TextField, Tooltip, Typography } from '@mui/material';
import PauseIcon from '@mui/icons-material/Pause';
import PlayIcon from '@mui/icons-material/PlayArrow';
import NextIcon from '@mui/icons-material/SkipNext';
import PrevIcon from '@mui/icons-material/SkipPrevious';
import { useEffect, useState } from 'react';
import { formatClock, frameTime } from '../../../src-shared/viewer';
import { useViewer } from '../../stores/viewer';

/** Playback speeds offered, frames per second. */
const SPEEDS = [1, 2, 5, 10, 15, 20, 30];

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

  // Playback steps at most at `fps`, and only once the frame asked for is on screen: a slow
  // decode slows playback down instead of skipping frames. The speed reached is shown.
  const [reached, setReached] = useState<number>();
  useEffect(() => {
    if (!playing) {
      setReached(undefined);
      return;
    }
    let raf = 0;
    let last = performance.now();
    let steps = 0;
    let since = last;
    const tick = (now: number) => {
      const v = useViewer.getState();
      if (now - last >= 1000 / v.fps - 2 && v.drawnFrame === v.frame) {
        last = now;
        v.step(1);
        steps++;
        if (now - since >= 1000) {
          setReached((steps * 1000) / (now - since));
          steps = 0;
          since = now;
        }
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  if (!movie) return null;
  const last = movie.frames - 1;
  const time = frameTime(movie, frame);
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
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{ minWidth: 64, fontVariantNumeric: 'tabular-nums' }}
        data-testid="viewer-frame-time"
        title="Time since the first frame, from the file's frame times"
      >
        {time !== undefined ? formatClock(time) : ''}
      </Typography>
      <TextField
        select
        size="small"
        variant="standard"
        value={fps}
        onChange={(e) => useViewer.getState().setFps(Number(e.target.value))}
        sx={{ width: 72 }}
        slotProps={{
          select: {
            SelectDisplayProps: {
              'aria-label': 'Playback speed, frames per second',
              'data-testid': 'viewer-fps',
            } as object,
          },
        }}
      >
        {SPEEDS.map((v) => (
          <MenuItem key={v} value={v} dense>
            {v} fps
          </MenuItem>
        ))}
      </TextField>
      <Typography
        variant="caption"
        color="text.secondary"
        sx={{ minWidth: 60, fontVariantNumeric: 'tabular-nums' }}
        data-testid="viewer-fps-reached"
      >
        {reached !== undefined ? `${reached.toFixed(1)} fps` : ''}
      </Typography>
    </Box>
  );
}

import {
  Box,
  Button,
  ButtonGroup,
  FormControlLabel,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import type { ContrastRange } from '../../../src-shared/viewer';
import { displayedChannels, useViewer, type DisplayMode } from '../../stores/viewer';
import { oneToOneView } from './ViewerCanvas';

const modeValue = (d: DisplayMode) => (d.kind === 'overlay' ? 'overlay' : String(d.channel));

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** Channel or two-channel overlay, contrast (auto 1–99.8 % or manual min/max), Fit and 1:1. */
export function DisplayControls({ ranges }: { ranges: Map<number, ContrastRange> }) {
  const movie = useViewer((s) => s.movie);
  const display = useViewer((s) => s.display);
  const contrast = useViewer((s) => s.contrast);
  const transform = useViewer((s) => s.transform);
  const { setDisplay, setContrast, setTransform } = useViewer.getState();
  if (!movie) return null;
  const chans = displayedChannels(display);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <TextField
        select
        size="small"
        label="Channels"
        value={modeValue(display)}
        onChange={(e) =>
          setDisplay(
            e.target.value === 'overlay'
              ? { kind: 'overlay', grey: 0, red: 1 }
              : { kind: 'channel', channel: Number(e.target.value) },
          )
        }
        slotProps={{ htmlInput: { 'data-testid': 'viewer-channel-select' } }}
      >
        {Array.from({ length: movie.channels }, (_, c) => (
          <MenuItem key={c} value={String(c)}>
            Channel {c}
            {c === 0 ? ' (bright field)' : c === 1 ? ' (fluorescence)' : ''}
          </MenuItem>
        ))}
        {movie.channels >= 2 && <MenuItem value="overlay">Overlay: 0 grey + 1 red</MenuItem>}
      </TextField>
      {chans.map((c, i) => {
        const cc = contrast[c];
        const auto = cc?.auto ?? true;
        const r = ranges.get(c);
        const label = display.kind === 'overlay' ? (i === 0 ? `Ch ${c} (grey)` : `Ch ${c} (red)`) : `Ch ${c}`;
        const edit = (field: 'min' | 'max', v: string) => {
          const n = Number(v);
          if (v.trim() === '' || !Number.isFinite(n)) return;
          setContrast(c, {
            auto: false,
            min: r?.min ?? 0,
            max: r?.max ?? 1,
            ...(cc && !cc.auto ? { min: cc.min, max: cc.max } : {}),
            [field]: n,
          });
        };
        return (
          <Box key={c} data-testid={`contrast-${c}`}>
            <Box sx={{ display: 'flex', alignItems: 'center' }}>
              <Typography variant="caption" sx={{ flex: 1 }}>
                {label} contrast
              </Typography>
              <FormControlLabel
                sx={{ mr: 0 }}
                control={
                  <Switch
                    size="small"
                    checked={auto}
                    onChange={(e) =>
                      setContrast(
                        c,
                        e.target.checked
                          ? { auto: true }
                          : { auto: false, min: r?.min ?? 0, max: r?.max ?? 1 },
                      )
                    }
                  />
                }
                label={<Typography variant="caption">auto 1–99.8 %</Typography>}
              />
            </Box>
            <Box sx={{ display: 'flex', gap: 1 }}>
              {(['min', 'max'] as const).map((f) => (
                <TextField
                  key={`${f}-${auto ? fmt(r?.[f] ?? 0) : 'm'}`}
                  size="small"
                  label={f}
                  type="number"
                  defaultValue={r ? fmt(r[f]) : ''}
                  onBlur={(e) => edit(f, e.target.value)}
                  onKeyDown={(e) => e.key === 'Enter' && edit(f, (e.target as HTMLInputElement).value)}
                  slotProps={{ htmlInput: { 'data-testid': `contrast-${c}-${f}` } }}
                />
              ))}
            </Box>
          </Box>
        );
      })}
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
          {transform ? `${Math.round(transform.scale * 100)} %` : 'fit'} · wheel zooms, drag pans
        </Typography>
      </Box>
    </Box>
  );
}

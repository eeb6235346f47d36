import { Alert, Box, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import type { HistogramSpec } from '../../../src-shared/charts';
import {
  checkContrastInput,
  colormapColour,
  cssColour,
  formatLevel,
  type ContrastRange,
  type ImageColormap,
} from '../../../src-shared/viewer';
import { SvgChart } from '../../components/SvgChart';
import { useContrast, type ContrastMode, type StatsState } from '../../stores/contrast';
import { useViewer } from '../../stores/viewer';

const MODES: { mode: ContrastMode; label: string; title: string }[] = [
  { mode: 'movie', label: 'Movie', title: 'One range for every frame: 1–99.8 % of a sample of the movie' },
  { mode: 'frame', label: 'Frame', title: 'Each frame its own 1–99.8 % (hides trends over time)' },
  { mode: 'manual', label: 'Manual', title: 'Your min and max' },
];

/** The sampled histogram (log counts: background dwarfs cells otherwise) with the range drawn on it. */
function histogramSpec(
  channel: number,
  stats: StatsState | undefined,
  range: ContrastRange | undefined,
  colour: string,
): HistogramSpec | undefined {
  if (stats?.state !== 'ready') return undefined;
  const h = stats.stats.histogram;
  const n = h.counts.length;
  const edges = Array.from({ length: n + 1 }, (_, i) => h.from + ((h.to - h.from) * i) / n);
  return {
    kind: 'histogram',
    title: `Levels of channel ${channel}, ${stats.stats.frames.length} frames`,
    x: { title: 'level' },
    y: { title: 'pixels', unit: 'log₁₀' },
    edges,
    overflowFrom: null,
    series: [{ name: 'sampled frames', colour, counts: h.counts.map((c) => Math.log10(1 + c)) }],
    markers: range
      ? [
          { at: range.min, label: `min ${formatLevel(range.min)}`, colour: '#0072b2' },
          { at: range.max, label: `max ${formatLevel(range.max)}`, colour: '#d55e00' },
        ]
      : [],
  };
}

/** Mode, min/max fields and the histogram of one movie channel. */
function ChannelContrastControls({
  channel,
  range,
  source,
  colormap,
}: {
  channel: number;
  range: ContrastRange | undefined;
  source: string;
  colormap: ImageColormap;
}) {
  const mode = useContrast((s) => s.channels[channel]?.mode ?? 'movie');
  const stats = useContrast((s) => s.stats[channel]);
  const [draft, setDraft] = useState<{ min: string; max: string }>();
  const [error, setError] = useState<{ field: 'min' | 'max'; message: string }>();
  const shown = { min: range ? formatLevel(range.min) : '', max: range ? formatLevel(range.max) : '' };
  const value = draft ?? shown;
  const apply = () => {
    if (!draft) return;
    const check = checkContrastInput(draft.min, draft.max);
    if (!check.ok) {
      setError({ field: check.field, message: check.message });
      return;
    }
    useContrast.getState().setManual(channel, check.range);
    setDraft(undefined);
    setError(undefined);
  };
  const bar = cssColour(colormapColour(colormap, 200));
  const spec = useMemo(() => histogramSpec(channel, stats, range, bar), [channel, stats, range, bar]);
  return (
    <Box data-testid={`contrast-${channel}`} data-mode={mode} sx={{ mb: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="caption" sx={{ flex: 1 }}>
          Channel {channel} contrast
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={mode}
          onChange={(_e, m: ContrastMode | null) => {
            if (!m) return;
            useContrast.getState().setMode(channel, m, range);
            setDraft(undefined);
            setError(undefined);
          }}
          aria-label={`Contrast of channel ${channel}`}
        >
          {MODES.map((m) => (
            <ToggleButton
              key={m.mode}
              value={m.mode}
              title={m.title}
              sx={{ py: 0.1, px: 0.75, fontSize: 11 }}
              data-testid={`contrast-${channel}-mode-${m.mode}`}
            >
              {m.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 0.75 }}>
        {(['min', 'max'] as const).map((f) => (
          <TextField
            key={f}
            size="small"
            label={f}
            value={value[f]}
            error={error?.field === f}
            onChange={(e) => setDraft({ ...value, [f]: e.target.value })}
            onBlur={apply}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply();
              if (e.key === 'Escape') {
                setDraft(undefined);
                setError(undefined);
              }
            }}
            slotProps={{
              inputLabel: { shrink: true },
              htmlInput: {
                inputMode: 'decimal',
                'data-testid': `contrast-${channel}-${f}`,
                'aria-label': `Channel ${channel} contrast ${f}`,
              },
            }}
          />
        ))}
      </Box>
      {error && (
        <Alert severity="error" sx={{ mt: 0.5, py: 0 }} data-testid={`contrast-${channel}-error`}>
          {error.message}
        </Alert>
      )}
      <Typography
        variant="caption"
        color="text.secondary"
        component="div"
        data-testid={`contrast-${channel}-source`}
      >
        {source}
        {stats?.state === 'loading' ? ' · sampling the movie…' : ''}
      </Typography>
      {spec && <SvgChart spec={spec} height={190} testId={`contrast-${channel}-histogram`} />}
    </Box>
  );
}

/** Contrast of every movie channel shown; asks the backend for each channel's whole-movie range once. */
export function ContrastPanel({
  ranges,
  colormaps,
}: {
  ranges: Map<number, { range: ContrastRange | undefined; source: string }>;
  colormaps: Map<number, ImageColormap>;
}) {
  const movie = useViewer((s) => s.movie);
  const channels = [...ranges.keys()].sort((a, b) => a - b);
  const key = channels.join(',');
  useEffect(() => {
    if (!movie) return;
    for (const c of key ? key.split(',').map(Number) : []) void useContrast.getState().loadStats(movie, c);
  }, [movie, key]);
  if (!movie || channels.length === 0) return null;
  return (
    <Box data-testid="viewer-contrast">
      {channels.map((c) => (
        <ChannelContrastControls
          key={`${movie.id}:${c}`}
          channel={c}
          range={ranges.get(c)?.range}
          source={ranges.get(c)?.source ?? ''}
          colormap={colormaps.get(c) ?? 'grey'}
        />
      ))}
    </Box>
  );
}

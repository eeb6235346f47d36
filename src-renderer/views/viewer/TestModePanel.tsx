import {
  Alert,
  Box,
  Button,
  FormControlLabel,
  LinearProgress,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import {
  TEST_MODE_IMAGE_LABELS,
  TEST_MODE_MAX_FRAMES,
  type TestModeImageName,
} from '../../../src-shared/api';
import { objectRow } from '../../../src-shared/viewer';
import { useConfig } from '../../stores/config';
import { useTestMode, type ObjectColouring } from '../../stores/test-mode';
import { useViewer } from '../../stores/viewer';
import { TestModeSettings } from './TestModeSettings';
import { TestModeStages } from './TestModeStages';

const COLOURINGS: { value: ObjectColouring; label: string }[] = [
  { value: 'classes', label: 'Classes' },
  { value: 'pi', label: 'PI status' },
  { value: 'labels', label: 'Labels (one colour each)' },
  { value: 'none', label: 'None' },
];

const mb = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;

const fmt = (v: number | string) =>
  typeof v === 'string' ? v : Number.isInteger(v) ? String(v) : Number.isNaN(v) ? '–' : v.toPrecision(5);

/** Layers of the shown frame: which stage image, how objects are coloured, tracks. */
function LayerChoice() {
  const result = useTestMode((s) => s.result)!;
  const image = useTestMode((s) => s.image);
  const objects = useTestMode((s) => s.objects);
  const tracks = useTestMode((s) => s.tracks);
  const shown = useTestMode((s) => s.shown);
  const t = useTestMode.getState();
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="test-mode-layers">
      <FormControlLabel
        control={<Switch size="small" checked={shown} onChange={(e) => t.setShown(e.target.checked)} />}
        label={<Typography variant="body2">Show test-mode layers</Typography>}
      />
      <TextField
        select
        size="small"
        label="Stage image (right of the compare line)"
        value={image}
        onChange={(e) => t.setImage(e.target.value as TestModeImageName | 'none')}
        slotProps={{ htmlInput: { 'data-testid': 'test-mode-image' } }}
      >
        <MenuItem value="none">None (raw only)</MenuItem>
        {result.images
          .filter((i) => i.kind === 'image')
          .map((i) => (
            <MenuItem key={i.name} value={i.name}>
              {TEST_MODE_IMAGE_LABELS[i.name]}
            </MenuItem>
          ))}
      </TextField>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label="Objects"
          value={objects}
          onChange={(e) => t.setObjects(e.target.value as ObjectColouring)}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'test-mode-objects' } }}
        >
          {COLOURINGS.map((c) => (
            <MenuItem key={c.value} value={c.value}>
              {c.label}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={tracks}
              disabled={!result.tracks}
              onChange={(e) => t.setTracks(e.target.checked)}
            />
          }
          label={<Typography variant="body2">Tracks</Typography>}
        />
      </Box>
    </Box>
  );
}

/** The selected (last hovered) object's row of the table, as `_fl.csv` would hold it. */
function ObjectTable() {
  const result = useTestMode((s) => s.result)!;
  const selected = useTestMode((s) => s.selected);
  const row = selected !== undefined ? objectRow(result.objects, selected) : undefined;
  if (!row)
    return (
      <Typography variant="caption" color="text.secondary">
        Point at an object for its measurements, class, PI status and track.
      </Typography>
    );
  return (
    <Box
      data-testid="test-mode-object"
      sx={{ fontFamily: 'monospace', fontSize: 11, columns: 2, columnGap: 1 }}
    >
      {row.map(({ name, value }) => (
        <Box key={name} sx={{ display: 'flex', justifyContent: 'space-between', gap: 0.5 }}>
          <span>{name}</span>
          <span>{fmt(value)}</span>
        </Box>
      ))}
    </Box>
  );
}

/**
 * Test mode: the whole pipeline of the Config view's config on this frame (or the next few), every
 * stage's output a layer, settings tried with only the stages they reach re-run.
 */
export function TestModePanel() {
  const movie = useViewer((s) => s.movie);
  const frame = useViewer((s) => s.frame);
  const count = useTestMode((s) => s.count);
  const live = useTestMode((s) => s.live);
  const busy = useTestMode((s) => s.busy);
  const result = useTestMode((s) => s.result);
  const lastRun = useTestMode((s) => s.lastRun);
  const notice = useTestMode((s) => s.notice);
  const configPath = useConfig((s) => s.path);
  const dirty = useConfig((s) => s.dirty);
  const t = useTestMode.getState();
  if (!movie) return null;
  const outside = result && !result.frames.includes(frame);
  const range = (f: number[]) => (f.length > 1 ? `frames ${f[0]}–${f[f.length - 1]}` : `frame ${f[0]}`);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="test-mode-panel">
      <Typography variant="subtitle2">Test mode: the whole pipeline here</Typography>
      <Typography variant="caption" color="text.secondary">
        The config of the Config view (
        {configPath ? `${configPath.split(/[\\/]/).pop()}${dirty ? ', edited' : ''}` : 'not saved'}), from
        alignment to tracking, in the worker. Unchanged stages come from its cache.
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <TextField
          size="small"
          type="number"
          label="frames"
          value={count}
          onChange={(e) => t.setCount(Number(e.target.value))}
          sx={{ width: 64, flexShrink: 0 }}
          slotProps={{ htmlInput: { min: 1, max: TEST_MODE_MAX_FRAMES, 'data-testid': 'test-mode-count' } }}
        />
        <Button
          variant="contained"
          size="small"
          onClick={() => void t.run()}
          data-testid="test-mode-run"
          sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
        >
          Run from frame {frame}
        </Button>
        <FormControlLabel
          control={<Switch size="small" checked={live} onChange={(e) => t.setLive(e.target.checked)} />}
          label={<Typography variant="body2">Live</Typography>}
          title="Re-run when a setting below or the config changes"
        />
      </Box>
      {busy && (
        <Box data-testid="test-mode-busy">
          <Typography variant="caption">{busy}</Typography>
          <LinearProgress aria-label="Test mode running" />
        </Box>
      )}
      {notice && (
        <Alert severity="info" sx={{ py: 0 }} onClose={() => useTestMode.setState({ notice: undefined })}>
          {notice}
        </Alert>
      )}
      {result && lastRun && (
        <>
          <Typography variant="caption" data-testid="test-mode-result">
            {result.pipeline} on {range(result.frames)} · frame {result.show} shown ·{' '}
            {result.objects.columns.label.length} objects
            {result.tracks ? ` · ${new Set(result.tracks.trackId).size} tracks` : ''} · {result.roundTripMs}{' '}
            ms ({result.provider})
          </Typography>
          {outside && (
            <Alert severity="warning" sx={{ py: 0 }}>
              Frame {frame} is outside the test-mode {range(result.frames)}; run again from here to see it.
            </Alert>
          )}
          <TestModeStages run={lastRun} />
          <Typography variant="caption" color="text.secondary" data-testid="test-mode-cache">
            Cache in the worker: {mb(result.cache.usedBytes)} of {mb(result.cache.budgetBytes)},{' '}
            {result.cache.entries} outputs
            {result.cache.evictions ? `, ${result.cache.evictions} dropped` : ''}
          </Typography>
          {result.warnings.map((w) => (
            <Alert key={w} severity="warning" sx={{ py: 0 }}>
              {w}
            </Alert>
          ))}
          <LayerChoice />
          <ObjectTable />
        </>
      )}
      <TestModeSettings />
    </Box>
  );
}

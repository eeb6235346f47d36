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
import { useEffect, useRef } from 'react';
import type { PreviewStep } from '../../../src-shared/api';
import { classLegend, cssColour } from '../../../src-shared/viewer';
import { useCollections } from '../../stores/collections';
import { useViewer, type OverrideModel } from '../../stores/viewer';
import { InfererFields } from './InfererFields';

const ACTIONS: { label: string; steps: PreviewStep[]; testId: string }[] = [
  { label: 'Restore', steps: ['bf_focus'], testId: 'preview-restore' },
  { label: 'Segment', steps: ['bf_focus', 'segmentation'], testId: 'preview-segment' },
  { label: 'Classify', steps: ['bf_focus', 'segmentation', 'cell_classifier'], testId: 'preview-classify' },
];

function OverrideFields({ model, title }: { model: OverrideModel; title: string }) {
  const o = useViewer((s) => s.overrides[model]);
  const used = useViewer((s) => s.preview?.settings[model]);
  return (
    <InfererFields
      title={title}
      overrides={o}
      used={used}
      onChange={(next) => useViewer.getState().setOverride(model, next)}
      testIdPrefix={`override-${model}`}
    />
  );
}

/**
 * Collection, Restore/Segment/Classify, inferer overrides that re-run the preview, and the compare
 * line; the preview's restored frame and labels are layers (opacity, colours in the layer list).
 */
export function PreviewPanel() {
  const movie = useViewer((s) => s.movie);
  const collectionId = useViewer((s) => s.collectionId);
  const preview = useViewer((s) => s.preview);
  const busy = useViewer((s) => s.previewBusy);
  // Only whether the preview is of another frame: this panel need not redraw at every frame step.
  const staleFor = useViewer((s) => (s.preview && s.preview.frame !== s.frame ? s.frame : undefined));
  const overrides = useViewer((s) => s.overrides);
  const compare = useViewer((s) => s.compare);
  const library = useCollections((s) => s.library);
  const runPreview = useViewer((s) => s.runPreview);

  useEffect(() => {
    void useViewer.getState().loadCollections();
  }, []);

  // Changing patch size, overlap or scaling re-runs the last preview (debounced while typing).
  const seen = useRef(overrides);
  useEffect(() => {
    if (seen.current === overrides) return;
    seen.current = overrides;
    const last = useViewer.getState().preview;
    if (!last) return;
    const id = window.setTimeout(() => void runPreview(last.steps), 400);
    return () => window.clearTimeout(id);
  }, [overrides]);

  if (!movie) return null;
  const stale = staleFor !== undefined;
  const timing =
    preview &&
    `${preview.roundTripMs} ms (${Object.entries(preview.timingsMs)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; ${preview.provider})`;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="preview-panel">
      <Typography variant="subtitle2">Preview models on this frame</Typography>
      <TextField
        select
        size="small"
        label="Collection"
        value={library.some((c) => c.id === collectionId) ? collectionId : ''}
        onChange={(e) => useViewer.getState().setCollection(e.target.value || undefined)}
        onFocus={() => void useViewer.getState().loadCollections()}
        slotProps={{ htmlInput: { 'data-testid': 'viewer-collection-select' } }}
        helperText={
          library.length === 0 ? 'The library is empty: import a collection ZIP in Collections.' : undefined
        }
      >
        {library.map((c) => (
          <MenuItem key={c.id} value={c.id}>
            {c.name}
            {c.version ? ` ${c.version}` : ''}
          </MenuItem>
        ))}
      </TextField>
      <Box sx={{ display: 'flex', gap: 1 }}>
        {ACTIONS.map((a) => (
          <Button
            key={a.label}
            variant="outlined"
            size="small"
            disabled={!collectionId}
            onClick={() => void runPreview(a.steps)}
            data-testid={a.testId}
          >
            {a.label}
          </Button>
        ))}
      </Box>
      {busy && (
        <Box data-testid="preview-busy">
          <Typography variant="caption">{busy}</Typography>
          <LinearProgress aria-label={busy} />
        </Box>
      )}
      {preview && (
        <Alert severity={stale ? 'warning' : 'success'} sx={{ py: 0 }} data-testid="preview-status">
          {stale
            ? `This preview is of frame ${preview.frame}; run it again for frame ${staleFor}.`
            : `${preview.steps[preview.steps.length - 1]} on frame ${preview.frame}: ${preview.objects.length} objects`}
          <Typography variant="caption" component="div" data-testid="preview-timing">
            took {timing}
          </Typography>
          <Typography variant="caption" component="div" data-testid="preview-settings">
            {Object.entries(preview.settings)
              .map(
                ([k, v]) =>
                  `${k}: patch ${v.patchSize ?? '–'}, overlap ${v.overlapRatio ?? '–'}, ${v.scaleMethod ?? 'default'} scaling`,
              )
              .join(' · ')}
          </Typography>
        </Alert>
      )}
      <FormControlLabel
        control={
          <Switch
            size="small"
            checked={compare}
            onChange={(e) => useViewer.getState().setCompare(e.target.checked)}
          />
        }
        label={<Typography variant="body2">Raw | restored compare line</Typography>}
      />
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} data-testid="class-legend">
        {classLegend().map(({ name, colour }) => (
          <Box key={name} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
            <Box sx={{ width: 10, height: 10, bgcolor: cssColour(colour) }} />
            <Typography variant="caption">{name}</Typography>
          </Box>
        ))}
      </Box>
      <OverrideFields model="bf_focus" title="Restoration (bf_focus) inferer" />
      <OverrideFields model="segmentation" title="Segmentation inferer" />
    </Box>
  );
}

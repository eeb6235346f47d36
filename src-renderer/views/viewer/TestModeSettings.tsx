import { Box, MenuItem, TextField, Typography } from '@mui/material';
import type { InfererOverrides, TestModeOverrideModel } from '../../../src-shared/api';
import { useTestMode } from '../../stores/test-mode';

const SCALINGS = ['', 'range01', 'fixed_range', 'zscore', 'combined', 'none'] as const;

const TITLES: Record<TestModeOverrideModel, string> = {
  bf_focus: 'Restoration, bright field (bf_focus)',
  fl_focus: 'Restoration, PI channel (fl_focus)',
  segmentation: 'Segmentation',
};

const numberOrUndefined = (v: string) =>
  v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);

/** Patch size, overlap and scaling of one model over the collection's; a change re-runs (when live). */
function ModelSettings({ model }: { model: TestModeOverrideModel }) {
  const o = useTestMode((s) => s.overrides[model]);
  const used = useTestMode((s) => s.lastRun?.settings[model]);
  const set = (patch: InfererOverrides) => useTestMode.getState().setOverride(model, { ...o, ...patch });
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {TITLES[model]}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1 }}>
        <TextField
          size="small"
          label="patch"
          type="number"
          value={o.patch_size ?? ''}
          placeholder={used?.patchSize !== undefined ? String(used.patchSize) : '–'}
          onChange={(e) => set({ patch_size: numberOrUndefined(e.target.value) })}
          sx={{ width: 84 }}
          slotProps={{
            inputLabel: { shrink: true },
            htmlInput: { step: 16, min: 16, 'data-testid': `test-mode-${model}-patch` },
          }}
        />
        <TextField
          size="small"
          label="overlap"
          type="number"
          value={o.overlap_ratio ?? ''}
          placeholder={used?.overlapRatio !== undefined ? String(used.overlapRatio) : '–'}
          onChange={(e) => set({ overlap_ratio: numberOrUndefined(e.target.value) })}
          sx={{ width: 84 }}
          slotProps={{
            inputLabel: { shrink: true },
            htmlInput: { step: 0.05, min: 0, max: 0.95, 'data-testid': `test-mode-${model}-overlap` },
          }}
        />
        <TextField
          select
          size="small"
          label="scaling"
          value={o.scale_method ?? ''}
          onChange={(e) =>
            set({ scale_method: (e.target.value || undefined) as InfererOverrides['scale_method'] })
          }
          sx={{ flex: 1, minWidth: 0 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          {SCALINGS.map((m) => (
            <MenuItem key={m} value={m}>
              {m || `collection${used?.scaleMethod ? ` (${used.scaleMethod})` : ''}`}
            </MenuItem>
          ))}
        </TextField>
      </Box>
    </Box>
  );
}

/** The tiled models' settings test mode can try without touching the collection. */
export function TestModeSettings() {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="test-mode-settings">
      <ModelSettings model="bf_focus" />
      <ModelSettings model="fl_focus" />
      <ModelSettings model="segmentation" />
    </Box>
  );
}

import { Box, MenuItem, TextField, Typography } from '@mui/material';
import type { InfererOverrides, PreviewModelSettings } from '../../../src-shared/api';

const SCALINGS = ['', 'range01', 'fixed_range', 'zscore', 'combined', 'none'] as const;

const numberOrUndefined = (v: string) =>
  v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);

export interface InfererFieldsProps {
  title: string;
  /** What the user typed over the collection's settings; an empty field means "the collection's". */
  overrides: InfererOverrides;
  /** What the last preview or test-mode run used, shown as the empty fields' placeholders. */
  used: PreviewModelSettings | undefined;
  onChange(next: InfererOverrides): void;
  /** data-testid prefix of the fields: `${testIdPrefix}-patch`, `${testIdPrefix}-overlap`. */
  testIdPrefix: string;
}

/**
 * Patch size, overlap and scaling of one tiled model over its collection's, as the Viewer's
 * preview and test mode both offer them.
 */
export function InfererFields({ title, overrides: o, used, onChange, testIdPrefix }: InfererFieldsProps) {
  const set = (patch: InfererOverrides) => onChange({ ...o, ...patch });
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {title}
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
            htmlInput: { step: 16, min: 16, 'data-testid': `${testIdPrefix}-patch` },
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
            htmlInput: { step: 0.05, min: 0, max: 0.95, 'data-testid': `${testIdPrefix}-overlap` },
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

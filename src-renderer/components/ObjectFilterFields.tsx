import { MenuItem, TextField } from '@mui/material';
import type { PiStatus } from '../../src-shared/api';

export interface ObjectFilterValues {
  className: string;
  pi: PiStatus;
  frameMin: string;
  frameMax: string;
}

/**
 * The filters QC and Results share: class, PI status and a frame range. `testId` prefixes the
 * inputs' test ids (`<testId>-class`, `<testId>-frame-min`, `<testId>-frame-max`).
 */
export function ObjectFilterFields({
  values,
  classes,
  onChange,
  testId,
}: {
  values: ObjectFilterValues;
  classes: readonly string[];
  onChange(partial: Partial<ObjectFilterValues>): void;
  testId: string;
}) {
  return (
    <>
      <TextField
        select
        size="small"
        label="Class"
        value={values.className}
        onChange={(e) => onChange({ className: e.target.value })}
        sx={{ minWidth: 150 }}
        slotProps={{
          htmlInput: { 'data-testid': `${testId}-class` },
          select: { displayEmpty: true },
          inputLabel: { shrink: true },
        }}
      >
        <MenuItem value="">all classes</MenuItem>
        {classes.map((c) => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="PI"
        value={values.pi}
        onChange={(e) => onChange({ pi: e.target.value as PiStatus })}
        sx={{ minWidth: 130 }}
      >
        <MenuItem value="any">any</MenuItem>
        <MenuItem value="positive">PI-positive</MenuItem>
        <MenuItem value="negative">PI-negative</MenuItem>
      </TextField>
      <TextField
        size="small"
        label="Frame from"
        value={values.frameMin}
        onChange={(e) => onChange({ frameMin: e.target.value })}
        sx={{ width: 105 }}
        slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `${testId}-frame-min` } }}
      />
      <TextField
        size="small"
        label="to"
        value={values.frameMax}
        onChange={(e) => onChange({ frameMax: e.target.value })}
        sx={{ width: 85 }}
        slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `${testId}-frame-max` } }}
      />
    </>
  );
}

import FilterAltIcon from '@mui/icons-material/FilterAlt';
import { ObjectFilterFields } from '../../components/ObjectFilterFields';
import { Box, Button, MenuItem, Slider, TextField, Typography } from '@mui/material';
import { QC_CLASSES } from '../../../src-shared/results';
import { useQc } from '../../stores/qc';

/** Frame range, class, confidence and PI status of the crops to fetch. */
export function QcFilters({
  onApply,
  classes,
  busy,
}: {
  onApply: () => void;
  classes: readonly string[];
  busy: boolean;
}) {
  const { filter, setFilter } = useQc();
  const names = classes.length ? classes : QC_CLASSES;
  return (
    <Box
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        onApply();
      }}
      sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center', mb: 1.5 }}
    >
      <ObjectFilterFields values={filter} classes={names} onChange={setFilter} testId="qc" />
      <Box sx={{ width: 220, px: 1 }}>
        <Typography variant="caption" color="text.secondary">
          Confidence {(filter.confidence[0] * 100).toFixed(0)}–{(filter.confidence[1] * 100).toFixed(0)} %
        </Typography>
        <Slider
          size="small"
          min={0}
          max={1}
          step={0.01}
          value={filter.confidence}
          onChange={(_e, v) => Array.isArray(v) && setFilter({ confidence: [v[0], v[1]] })}
          getAriaLabel={(i) => (i === 0 ? 'lowest confidence' : 'highest confidence')}
        />
      </Box>
      <TextField
        select
        size="small"
        label="Show"
        value={filter.limit}
        onChange={(e) => setFilter({ limit: Number(e.target.value) })}
        sx={{ width: 110 }}
      >
        {[100, 200, 400, 1000].map((n) => (
          <MenuItem key={n} value={n}>
            {n} crops
          </MenuItem>
        ))}
      </TextField>
      <Button
        type="submit"
        variant="outlined"
        startIcon={<FilterAltIcon />}
        disabled={busy}
        data-testid="qc-apply"
      >
        Apply
      </Button>
    </Box>
  );
}

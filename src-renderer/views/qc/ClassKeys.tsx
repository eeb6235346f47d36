import DownloadIcon from '@mui/icons-material/Download';
import { Box, Button, Chip, Paper, Typography } from '@mui/material';
import type { QcCorrection } from '../../../src-shared/api';
import { correctionCounts } from '../../../src-shared/results';
import { classColour, classCss, inkOn } from '../../../src-shared/viewer';

/**
 * The relabel keys (1–5 for the five classes, more if the table has more) as buttons that relabel
 * the selected crop by mouse, with the corrections held per class and the export.
 */
export function ClassKeys(props: {
  classes: readonly string[];
  corrections: QcCorrection[];
  disabled: boolean;
  onRelabel: (cls: string) => void;
  onExport: () => void;
  selectedInfo?: string;
}) {
  const counts = new Map(correctionCounts(props.corrections, props.classes));
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5, mb: 1.5, position: 'sticky', top: 0, zIndex: 2 }}
      data-testid="qc-keys"
    >
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
        <Typography variant="body2" sx={{ mr: 0.5 }}>
          Relabel the selected crop:
        </Typography>
        {props.classes.slice(0, 9).map((c, i) => (
          <Button
            key={c}
            size="small"
            variant="outlined"
            disabled={props.disabled}
            onClick={() => props.onRelabel(c)}
            sx={{ borderColor: classCss(c), color: 'text.primary', textTransform: 'none' }}
            data-testid={`relabel-${c}`}
          >
            <Box
              component="kbd"
              sx={{
                px: 0.6,
                mr: 0.75,
                border: '1px solid',
                borderColor: 'divider',
                borderRadius: 0.5,
                fontFamily: 'monospace',
                bgcolor: 'action.hover',
              }}
            >
              {i + 1}
            </Box>
            {c}
            {(counts.get(c) ?? 0) > 0 && (
              <Chip
                size="small"
                label={counts.get(c)}
                sx={{
                  ml: 0.75,
                  height: 18,
                  bgcolor: classCss(c),
                  color: inkOn(classColour(c)),
                }}
              />
            )}
          </Button>
        ))}
        <Box sx={{ flex: 1 }} />
        <Typography variant="body2" data-testid="qc-correction-count">
          {props.corrections.length} correction{props.corrections.length === 1 ? '' : 's'}
        </Typography>
        <Button
          size="small"
          variant="contained"
          startIcon={<DownloadIcon />}
          onClick={props.onExport}
          disabled={props.disabled}
          data-testid="qc-export"
        >
          Export corrections CSV
        </Button>
      </Box>
      <Typography
        variant="caption"
        color="text.secondary"
        component="div"
        sx={{ mt: 0.5 }}
        data-testid="qc-selected"
      >
        {props.selectedInfo ?? 'Click a crop to select it'} · keys 1–{Math.min(9, props.classes.length)}{' '}
        relabel, ←/→ move, relabel to the original class to undo
      </Typography>
    </Paper>
  );
}

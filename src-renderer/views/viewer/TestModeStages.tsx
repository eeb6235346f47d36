import { Box, Chip, Typography } from '@mui/material';
import { TEST_MODE_STAGE_LABELS, type TestModeStageReport } from '../../../src-shared/api';
import { formatStageMs, stageSummary } from '../../../src-shared/viewer';
import type { TestModeView } from '../../stores/test-mode';

const STATUS_TEXT: Record<TestModeStageReport['status'], string> = {
  ran: 'ran',
  cached: 'cache',
  'partly cached': 'partly cached',
  off: 'off',
};

const STATUS_COLOUR = {
  ran: 'warning',
  cached: 'success',
  'partly cached': 'info',
  off: 'default',
} as const;

/** The last run's stages: what ran (and how long), what came from the cache, what is off and why. */
export function TestModeStages({ run }: { run: TestModeView }) {
  return (
    <Box data-testid="test-mode-stages" sx={{ display: 'flex', flexDirection: 'column', gap: 0.25 }}>
      <Typography variant="caption" data-testid="test-mode-status">
        {stageSummary(run.stages)}
      </Typography>
      {run.stages.map((s) => (
        <Box
          key={s.stage}
          data-testid={`test-mode-stage-${s.stage}`}
          data-status={s.status}
          title={`cache key ${s.key}${s.note ? ` · ${s.note}` : ''}`}
          sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
        >
          <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }} noWrap>
            {TEST_MODE_STAGE_LABELS[s.stage]}
            {s.note ? (
              <Typography component="span" variant="caption" color="text.secondary">
                {' '}
                · {s.note}
              </Typography>
            ) : null}
          </Typography>
          <Typography variant="caption" color="text.secondary" sx={{ minWidth: 46, textAlign: 'right' }}>
            {s.status === 'ran' || s.status === 'partly cached' ? formatStageMs(s.ms) : ''}
          </Typography>
          <Chip
            size="small"
            variant="outlined"
            color={STATUS_COLOUR[s.status]}
            label={s.status === 'partly cached' ? `ran ${s.ran} · cache ${s.cached}` : STATUS_TEXT[s.status]}
            sx={{ minWidth: 64 }}
          />
        </Box>
      ))}
    </Box>
  );
}

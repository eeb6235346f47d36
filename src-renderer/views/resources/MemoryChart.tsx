import { Box, Typography } from '@mui/material';
import { useMemo } from 'react';
import type { MemoryPoint } from '../../../src-shared/api';
import { memoryChartSpec } from '../../../src-shared/charts';
import { SvgChart } from '../../components/SvgChart';

/**
 * Resident memory of the backend and each worker over clock time, from zero, in MB or GB: the
 * shared chart code draws the axes, units and legend, in the app's light or dark theme.
 */
export function MemoryChart({ points }: { points: MemoryPoint[] }) {
  const spec = useMemo(() => (points.length < 2 ? null : memoryChartSpec(points)), [points]);
  if (!spec) return <Typography variant="caption">Collecting memory samples…</Typography>;
  const last = points.at(-1)!.processesMb;
  return (
    <Box data-testid="memory-chart">
      <SvgChart spec={spec} height={240} />
      <Typography variant="caption" color="text.secondary" data-testid="memory-now">
        Now:{' '}
        {Object.entries(last)
          .map(([label, mb]) => `${label} ${mb == null ? 'ended' : `${mb.toFixed(0)} MB`}`)
          .join(' · ')}
      </Typography>
    </Box>
  );
}

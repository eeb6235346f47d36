import { Box, Typography, useTheme } from '@mui/material';
import type { MemoryPoint } from '../../../src-shared/api';

const W = 640;
const H = 160;
const PALETTE = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b'];

/** Resident memory of the backend and each worker over time, in MB (plain SVG polylines). */
export function MemoryChart({ points }: { points: MemoryPoint[] }) {
  const theme = useTheme();
  if (points.length < 2) return <Typography variant="caption">Collecting memory samples…</Typography>;
  const labels = [...new Set(points.flatMap((p) => Object.keys(p.processesMb)))];
  const t0 = points[0].atMs;
  const t1 = points.at(-1)!.atMs;
  const maxMb = Math.max(
    1,
    ...points.flatMap((p) => Object.values(p.processesMb).filter((v): v is number => v !== null)),
  );
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * W;
  const y = (mb: number) => H - (mb / maxMb) * (H - 10);
  return (
    <Box data-testid="memory-chart">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label="memory over time">
        <line x1={0} y1={H} x2={W} y2={H} stroke={theme.palette.divider} />
        {labels.map((label, i) => {
          const pts = points
            .filter((p) => p.processesMb[label] != null)
            .map((p) => `${x(p.atMs).toFixed(1)},${y(p.processesMb[label]!).toFixed(1)}`)
            .join(' ');
          return (
            <polyline
              key={label}
              points={pts}
              fill="none"
              stroke={PALETTE[i % PALETTE.length]}
              strokeWidth={2}
            />
          );
        })}
      </svg>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {labels.map((label, i) => {
          const last = points.at(-1)!.processesMb[label];
          return (
            // The swatch carries the colour; the words stay in the text colour (contrast ≥ 4.5:1).
            <Typography key={label} variant="caption">
              <span style={{ color: PALETTE[i % PALETTE.length] }} aria-hidden>
                ■
              </span>{' '}
              {label}: {last == null ? 'ended' : `${last.toFixed(0)} MB`}
            </Typography>
          );
        })}
        <Typography variant="caption" color="text.secondary">
          last {Math.round((t1 - t0) / 1000)} s · max {maxMb.toFixed(0)} MB
        </Typography>
      </Box>
    </Box>
  );
}

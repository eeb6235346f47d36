import { Box, Typography, useTheme } from '@mui/material';
import type { MemoryPoint } from '../../../src-shared/api';

const W = 640;
const H = 140;
const LEFT = 44;
const BOTTOM = 20;
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

/**
 * GB booked on each device's booking file over the last minutes (everyone's bookings: this app's,
 * other users', HiTMicTools'), against what this app may book. Plain SVG, one line per device.
 */
export function BookedChart({
  points,
  capacityGb,
}: {
  points: MemoryPoint[];
  capacityGb: Record<string, number | null>;
}) {
  const theme = useTheme();
  const withBooked = points.filter((p) => p.bookedGb);
  if (withBooked.length < 2) return <Typography variant="caption">Collecting booking samples…</Typography>;
  const devices = [...new Set(withBooked.flatMap((p) => Object.keys(p.bookedGb ?? {})))];
  const t0 = withBooked[0].atMs;
  const t1 = withBooked.at(-1)!.atMs;
  const top = Math.max(
    0.5,
    ...withBooked.flatMap((p) => Object.values(p.bookedGb ?? {})),
    ...devices.map((d) => capacityGb[d] ?? 0),
  );
  const x = (t: number) => LEFT + ((t - t0) / Math.max(1, t1 - t0)) * (W - LEFT - 4);
  const y = (gb: number) => H - BOTTOM - (gb / top) * (H - BOTTOM - 8);
  const ink = theme.palette.text.secondary;
  return (
    <Box data-testid="booked-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        height={H}
        role="img"
        aria-label="memory booked over time, GB"
      >
        <g fontSize={10} fill={ink}>
          <text x={LEFT - 4} y={y(top) + 4} textAnchor="end">
            {top.toFixed(1)}
          </text>
          <text x={LEFT - 4} y={y(0) + 4} textAnchor="end">
            0 GB
          </text>
          <text x={LEFT} y={H - 4}>
            −{Math.round((t1 - t0) / 1000)} s
          </text>
          <text x={W - 4} y={H - 4} textAnchor="end">
            now
          </text>
        </g>
        <line x1={LEFT} y1={y(0)} x2={W - 4} y2={y(0)} stroke={theme.palette.divider} />
        <line x1={LEFT} y1={y(0)} x2={LEFT} y2={y(top)} stroke={theme.palette.divider} />
        {devices.map((d, i) => {
          const cap = capacityGb[d];
          const colour = PALETTE[i % PALETTE.length];
          const pts = withBooked
            .filter((p) => p.bookedGb?.[d] !== undefined)
            .map((p) => `${x(p.atMs).toFixed(1)},${y(p.bookedGb![d]).toFixed(1)}`)
            .join(' ');
          return (
            <g key={d}>
              {cap ? (
                <line x1={LEFT} y1={y(cap)} x2={W - 4} y2={y(cap)} stroke={colour} strokeDasharray="4 3" />
              ) : null}
              <polyline points={pts} fill="none" stroke={colour} strokeWidth={2} />
            </g>
          );
        })}
      </svg>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {devices.map((d, i) => (
          <Typography key={d} variant="caption">
            <span style={{ color: PALETTE[i % PALETTE.length] }} aria-hidden>
              ■
            </span>{' '}
            {d}: {(withBooked.at(-1)!.bookedGb?.[d] ?? 0).toFixed(2)} GB booked now
            {capacityGb[d] ? ` (dashed: the ${capacityGb[d]!.toFixed(1)} GB this app may book)` : ''}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

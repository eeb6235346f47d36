import { Box, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import type { DeviceInfo } from '../../../src-shared/api';
import { percentOf } from '../../stores/resources';

function Bar({
  label,
  value,
  of,
  color,
}: {
  label: string;
  value: number;
  of: number | null;
  color: 'primary' | 'secondary';
}) {
  return (
    <Box sx={{ mb: 1 }}>
      <Typography variant="caption">
        {label}: {value.toFixed(1)} / {of?.toFixed(1) ?? '?'} GB
      </Typography>
      <LinearProgress
        variant="determinate"
        color={color}
        value={percentOf(value, of)}
        sx={{ height: 8, borderRadius: 1 }}
        aria-label={`${label}: ${value.toFixed(1)} of ${of?.toFixed(1) ?? 'unknown'} GB`}
      />
    </Box>
  );
}

/** One device: what the OS says is used, and what is booked against this app's capacity. */
export function DeviceCard({ device }: { device: DeviceInfo }) {
  return (
    <Card variant="outlined" sx={{ minWidth: 260, flex: 1 }} data-testid={`device-${device.id}`}>
      <CardContent>
        <Typography variant="subtitle1">
          {device.name}{' '}
          <Typography component="span" variant="caption" color="text.secondary">
            ({device.id})
          </Typography>
        </Typography>
        <Bar label="Used (system)" value={device.usedGb} of={device.totalGb} color="primary" />
        <Bar label="Booked" value={device.bookedGb} of={device.capacityGb} color="secondary" />
      </CardContent>
    </Card>
  );
}

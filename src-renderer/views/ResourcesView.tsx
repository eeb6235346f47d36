import { Alert, Box, Button, Typography } from '@mui/material';
import { useEffect } from 'react';
import { useResources } from '../stores/resources';
import { useRuns } from '../stores/runs';
import { BookedChart } from './resources/BookedChart';
import { BookingTables } from './resources/BookingTables';
import { DeviceCard } from './resources/DeviceCard';
import { MemoryChart } from './resources/MemoryChart';

/** Devices, who holds and who waits for memory (ours and HiTMicTools'), and memory over time. */
export function ResourcesView() {
  const { devices, bookings, memory, jobs, error } = useResources();
  useEffect(() => useResources.getState().watch(), []);
  const capacities = Object.fromEntries(bookings.map((b) => [b.device, b.capacityGb]));

  return (
    <Box sx={{ p: 3, maxWidth: 1100 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Resources
      </Typography>
      <Typography sx={{ mb: 2 }} color="text.secondary">
        Before a model runs, its memory is booked in a file shared by every program on this computer (
        <code>memory_bookings_&lt;device&gt;.json</code> in the temporary folder), so HiTMic Studio and
        HiTMicTools see each other&apos;s bookings. A program that does not fit waits its turn, first come
        first served; each waiter says why it waits. The free memory the system shows does not count: each
        program books against its own limit.
      </Typography>
      {error && <Alert severity="error">Could not read resources: {error}</Alert>}
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {devices.map((d) => (
          <DeviceCard key={d.id} device={d} />
        ))}
      </Box>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Runs going on
      </Typography>
      {jobs.length === 0 && <Typography variant="body2">No run is going on.</Typography>}
      {jobs.map((j) => (
        <Box key={j.id} sx={{ display: 'flex', alignItems: 'center', gap: 1 }} data-testid={`job-${j.id}`}>
          <Typography variant="body2" sx={{ flex: 1 }}>
            Run {j.id}: {j.movies.map((m) => `${m.file} (${m.stage ?? m.state})`).join(', ') || 'starting'}
          </Typography>
          <Button color="error" onClick={() => void useRuns.getState().cancel(j.id)}>
            Cancel
          </Button>
        </Box>
      ))}
      {bookings.map((s) => (
        <BookingTables key={s.device} snapshot={s} />
      ))}
      <Typography variant="subtitle2" sx={{ mt: 3 }}>
        Memory booked over time
      </Typography>
      <BookedChart points={memory} capacityGb={capacities} />
      <Typography variant="subtitle2" sx={{ mt: 3 }}>
        Memory used by HiTMic Studio and its workers over time
      </Typography>
      <MemoryChart points={memory} />
    </Box>
  );
}

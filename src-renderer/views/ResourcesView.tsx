import { Alert, Box, Button, Typography } from '@mui/material';
import { useEffect } from 'react';
import { useResources } from '../stores/resources';
import { useRuns } from '../stores/runs';
import { BookingTables } from './resources/BookingTables';
import { DeviceCard } from './resources/DeviceCard';
import { MemoryChart } from './resources/MemoryChart';

/** Devices, who holds and who waits for memory (ours and HiTMicTools'), and memory over time. */
export function ResourcesView() {
  const { devices, bookings, memory, jobs, error } = useResources();
  useEffect(() => useResources.getState().watch(), []);

  return (
    <Box sx={{ p: 3, maxWidth: 1100 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Resources
      </Typography>
      <Typography sx={{ mb: 2 }} color="text.secondary">
        Memory is booked in the shared files <code>memory_bookings_&lt;device&gt;.json</code> in the temp
        folder, so HiTMic Studio and HiTMicTools see each other&apos;s reservations. Waiters are served first
        come, first served.
      </Typography>
      {error && <Alert severity="error">Could not read resources: {error}</Alert>}
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {devices.map((d) => (
          <DeviceCard key={d.id} device={d} />
        ))}
      </Box>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Running jobs
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
        Memory over time
      </Typography>
      <MemoryChart points={memory} />
    </Box>
  );
}

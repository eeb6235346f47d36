import { Typography } from '@mui/material';
import { useConnection } from '../stores/connection';
import { PlannedView } from '../components/PlannedView';

export function ResourcesView() {
  const info = useConnection((s) => s.info);
  return (
    <PlannedView
      title="Resources"
      purpose="See which device computes, how much memory is booked and who waits — shared with HiTMicTools through its booking file."
      issue="issue #6 (resource control)"
      planned={[
        'devices with capacity and live used/booked bars',
        'holders (pid, app, GB, since, stage) and waiters in queue order; cancel a job',
        'memory over time as a chart',
      ]}
    >
      <Typography data-testid="resources-device">Backend device: {info?.device ?? '…'}</Typography>
    </PlannedView>
  );
}

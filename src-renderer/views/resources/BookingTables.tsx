import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { BookingsSnapshot } from '../../../src-shared/api';

const since = (ms: number) => new Date(ms).toLocaleTimeString();

/** Holders, then waiters in queue order, of one device's booking file. */
export function BookingTables({ snapshot }: { snapshot: BookingsSnapshot }) {
  return (
    <>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        {snapshot.device}: {snapshot.bookedGb.toFixed(2)} GB booked of{' '}
        {snapshot.capacityGb?.toFixed(1) ?? '?'} GB
      </Typography>
      <Table
        size="small"
        aria-label={`holders on ${snapshot.device}`}
        data-testid={`holders-${snapshot.device}`}
      >
        <TableHead>
          <TableRow>
            <TableCell>Holder</TableCell>
            <TableCell>App</TableCell>
            <TableCell align="right">GB</TableCell>
            <TableCell>Since</TableCell>
            <TableCell>Stage / doing</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {snapshot.holders.length === 0 && (
            <TableRow>
              <TableCell colSpan={5}>Nobody holds memory on this device.</TableCell>
            </TableRow>
          )}
          {snapshot.holders.map((h) => (
            <TableRow key={h.key}>
              <TableCell>
                pid {h.pid}
                {h.host ? ` @ ${h.host}` : ''}{' '}
                {h.gone && <Chip size="small" label="process gone" color="warning" />}
              </TableCell>
              <TableCell>{h.app}</TableCell>
              <TableCell align="right">{h.memoryGb.toFixed(2)}</TableCell>
              <TableCell>{since(h.sinceMs)}</TableCell>
              <TableCell>{[h.stage, h.description].filter(Boolean).join(' · ')}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {snapshot.waiters.length > 0 && (
        <Table
          size="small"
          aria-label={`waiters on ${snapshot.device}`}
          data-testid={`waiters-${snapshot.device}`}
        >
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              <TableCell>Waiter</TableCell>
              <TableCell align="right">GB</TableCell>
              <TableCell>Since</TableCell>
              <TableCell>Stage / doing</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {snapshot.waiters.map((w) => (
              <TableRow key={`${w.pid}-${w.position}`}>
                <TableCell>{w.position}</TableCell>
                <TableCell>pid {w.pid}</TableCell>
                <TableCell align="right">{w.memoryGb.toFixed(2)}</TableCell>
                <TableCell>{since(w.sinceMs)}</TableCell>
                <TableCell>{[w.stage, w.description].filter(Boolean).join(' · ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {snapshot.problems.map((p) => (
        <Typography key={p} variant="caption" color="warning.main" sx={{ display: 'block' }}>
          {p}
        </Typography>
      ))}
    </>
  );
}

import { Button, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { BookingHolder, BookingWaiter, BookingsSnapshot } from '../../../src-shared/api';
import { useResources } from '../../stores/resources';

const since = (ms: number) => new Date(ms).toLocaleTimeString();

/** `pid 1234 (hitmic run, user ana)`, `pid 99 @node7`: who a process is, as far as the backend can tell. */
export function whoIs(p: BookingHolder | BookingWaiter): string {
  const facts = [p.command, p.user && `user ${p.user}`].filter(Boolean).join(', ');
  return `pid ${p.pid}${p.host ? ` @ ${p.host}` : ''}${facts ? ` (${facts})` : ''}`;
}

function StopButton({ p }: { p: BookingHolder | BookingWaiter }) {
  if (!p.own) return null;
  return (
    <Button
      size="small"
      color="error"
      onClick={() => void useResources.getState().cancelHolder(p.pid, p.description || p.command || 'a job')}
      data-testid={`stop-${p.pid}`}
    >
      Stop
    </Button>
  );
}

/**
 * Who holds memory on one device, then who waits for it in queue order, each waiter with the
 * reason it waits (which capacity, who holds it). This app's own jobs can be stopped here.
 */
export function BookingTables({ snapshot }: { snapshot: BookingsSnapshot }) {
  return (
    <>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        {snapshot.device}: {snapshot.bookedGb.toFixed(2)} GB booked of the{' '}
        {snapshot.capacityGb?.toFixed(1) ?? '?'} GB this app may book
      </Typography>
      <Table
        size="small"
        aria-label={`programs holding memory on ${snapshot.device}`}
        data-testid={`holders-${snapshot.device}`}
      >
        <TableHead>
          <TableRow>
            <TableCell>Holding memory</TableCell>
            <TableCell>App</TableCell>
            <TableCell align="right">GB</TableCell>
            <TableCell>Since</TableCell>
            <TableCell>Doing</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {snapshot.holders.length === 0 && (
            <TableRow>
              <TableCell colSpan={6}>Nobody holds memory on this device.</TableCell>
            </TableRow>
          )}
          {snapshot.holders.map((h) => (
            <TableRow key={h.key}>
              <TableCell>
                {whoIs(h)} {h.gone && <Chip size="small" label="process gone" color="warning" />}
              </TableCell>
              <TableCell>{h.app}</TableCell>
              <TableCell align="right">{h.memoryGb.toFixed(2)}</TableCell>
              <TableCell>{since(h.sinceMs)}</TableCell>
              <TableCell>{[h.stage, h.description].filter(Boolean).join(' · ')}</TableCell>
              <TableCell>
                <StopButton p={h} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {snapshot.waiters.length > 0 && (
        <Table
          size="small"
          aria-label={`programs waiting for memory on ${snapshot.device}`}
          data-testid={`waiters-${snapshot.device}`}
        >
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              <TableCell>Waiting for memory</TableCell>
              <TableCell align="right">GB</TableCell>
              <TableCell>Since</TableCell>
              <TableCell>Why it waits</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {snapshot.waiters.map((w) => (
              <TableRow key={`${w.pid}-${w.position}`} data-testid={`waiter-${w.pid}`}>
                <TableCell>{w.position}</TableCell>
                <TableCell>
                  {whoIs(w)}
                  {w.description || w.stage ? (
                    <Typography variant="caption" component="div" color="text.secondary">
                      {[w.stage, w.description].filter(Boolean).join(' · ')}
                    </Typography>
                  ) : null}
                </TableCell>
                <TableCell align="right">{w.memoryGb.toFixed(2)}</TableCell>
                <TableCell>{since(w.sinceMs)}</TableCell>
                <TableCell data-testid="waiter-reason">{w.reason ?? ''}</TableCell>
                <TableCell>
                  <StopButton p={w} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {snapshot.problems.map((p) => (
        <Typography key={p} variant="caption" sx={{ display: 'block' }}>
          ⚠ {p}
        </Typography>
      ))}
    </>
  );
}

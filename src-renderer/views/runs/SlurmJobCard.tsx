import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ClusterJobStatus, ClusterMovieState } from '../../../src-shared/api';
import { useErrors } from '../../stores/errors';
import { useNavigation } from '../../stores/navigation';
import { useResults } from '../../stores/results';
import { useRuns } from '../../stores/runs';

const COLOURS: Record<ClusterMovieState, 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  pending: 'default',
  running: 'info',
  complete: 'success',
  failed: 'error',
  missing: 'warning',
  unknown: 'default',
};

/** One Slurm job: per-movie state from Slurm and the disk, retry of the failed, the batch summary. */
export function SlurmJobCard({
  job,
  onRetry,
  onCollect,
}: {
  job: ClusterJobStatus;
  onRetry(): void;
  onCollect(): void;
}) {
  const c = job.counts;
  // The job's output folder joins the runs on disk, so Results (and QC) can pick it from their lists.
  const openResults = (movie: string) =>
    useRuns
      .getState()
      .addFolder(job.outputDir)
      .then(() => {
        useResults.getState().setLocation(job.outputDir, movie);
        useNavigation.getState().setView('results');
      })
      .catch((e: unknown) => useErrors.getState().show('Could not open the results of that job', e));
  return (
    <Card variant="outlined" sx={{ mb: 1.5 }} data-testid={`slurm-job-${job.jobId}`}>
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
          <Typography variant="subtitle1">
            Slurm job {job.jobId}
            {job.retryOf ? ` (retry of ${job.retryOf})` : ''}
          </Typography>
          <Chip
            size="small"
            color={job.finished ? (c.failed + c.missing ? 'error' : 'success') : 'info'}
            label={job.finished ? 'finished' : 'in the queue'}
            data-testid="slurm-job-state"
          />
          <Typography
            variant="caption"
            color="text.secondary"
            sx={{ flex: 1 }}
            data-testid="slurm-job-counts"
          >
            {(['complete', 'running', 'pending', 'failed', 'missing', 'unknown'] as const)
              .filter((k) => c[k] > 0)
              .map((k) => `${c[k]} ${k}`)
              .join(' · ')}
          </Typography>
          {c.failed + c.missing > 0 && (
            <Button size="small" color="warning" onClick={onRetry} data-testid="slurm-retry">
              Retry failed
            </Button>
          )}
          {job.finished && (
            <Button size="small" onClick={onCollect} data-testid="slurm-collect">
              Batch summary
            </Button>
          )}
        </Box>
        {job.slurmNote && (
          <Typography variant="caption" color="warning.main" sx={{ display: 'block', mb: 1 }}>
            {job.slurmNote}
          </Typography>
        )}
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Task</TableCell>
              <TableCell>Movie</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Slurm</TableCell>
              <TableCell>Detail</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {job.movies.map((m) => (
              <TableRow key={m.task} data-testid={`slurm-movie-${m.movie}`}>
                <TableCell>{m.task}</TableCell>
                <TableCell>{m.movie}</TableCell>
                <TableCell>
                  <Chip size="small" color={COLOURS[m.state]} label={m.state} />
                </TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  {m.slurm ? `${m.slurm.state}${m.slurm.node ? ` · ${m.slurm.node}` : ''}` : '—'}
                </TableCell>
                <TableCell>
                  {m.state === 'complete' ? (
                    <>
                      {m.objects ?? '?'} objects{m.frames !== undefined ? `, ${m.frames} frames` : ''}{' '}
                      <Button
                        size="small"
                        onClick={() => openResults(m.movie)}
                        data-testid={`slurm-results-${m.movie}`}
                      >
                        Results
                      </Button>
                    </>
                  ) : (
                    <Typography variant="caption" color={m.error ? 'error' : 'text.secondary'}>
                      {m.error ?? m.slurm?.reason ?? ''}
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Typography variant="caption" sx={{ fontFamily: 'monospace', display: 'block', mt: 1 }}>
          Outputs: {job.outputDir} · script and logs: {job.folder}
        </Typography>
      </CardContent>
    </Card>
  );
}

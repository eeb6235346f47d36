import { Alert, Box, Button, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useCluster, type ResourceFields } from '../../stores/slurm-jobs';
import { useErrors } from '../../stores/errors';
import { SlurmJobCard } from './SlurmJobCard';

const FIELDS: { key: keyof ResourceFields; label: string; width: number; hint: string }[] = [
  { key: 'partition', label: 'Partition', width: 130, hint: 'sbatch --partition' },
  { key: 'time', label: 'Time', width: 110, hint: 'per movie: minutes, HH:MM:SS or D-HH:MM' },
  { key: 'mem', label: 'Memory', width: 100, hint: 'per movie: MB, or 16G' },
  { key: 'gpus', label: 'GPUs', width: 80, hint: 'per movie; its models then run on the GPU' },
  { key: 'arrayMax', label: 'At once', width: 90, hint: 'at most this many movies at once' },
];

/**
 * "Submit to Slurm": the config and frames of the Runs view as one array job, one movie per task,
 * shown only when the backend finds sbatch; then each job followed by polling its status.
 */
export function SlurmPanel({ configPath, frames }: { configPath: string; frames: string }) {
  const { availability, jobIds, jobs, summaries } = useCluster();
  const [fields, setFields] = useState<ResourceFields>({});
  const [jobToTrack, setJobToTrack] = useState('');
  const show = useErrors((s) => s.show);

  useEffect(() => {
    const st = useCluster.getState();
    st.checkAvailable().catch((e: unknown) => show('Could not ask whether Slurm is here', e));
    return st.follow();
  }, [show]);

  if (!availability?.sbatch) return null;
  const act = (what: string, p: Promise<unknown>) => void p.catch((e: unknown) => show(what, e));
  return (
    <Box sx={{ mb: 2 }} data-testid="slurm-panel">
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        Slurm cluster
      </Typography>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 1 }}>
        The same movies as Run, one per array task of {availability.sbatch}; each task books its memory on its
        node. Empty fields take the config&apos;s cluster: section, then the site&apos;s defaults.
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, mb: 1, flexWrap: 'wrap' }}>
        {FIELDS.map((f) => (
          <TextField
            key={f.key}
            size="small"
            label={f.label}
            title={f.hint}
            value={fields[f.key] ?? ''}
            onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })}
            sx={{ width: f.width }}
            slotProps={{ htmlInput: { 'data-testid': `slurm-${f.key}` } }}
          />
        ))}
        <Button
          variant="outlined"
          disabled={!configPath.trim()}
          onClick={() =>
            act('Could not submit to Slurm', useCluster.getState().submit(configPath, frames, fields))
          }
          data-testid="slurm-submit"
        >
          Submit to Slurm
        </Button>
        <TextField
          size="small"
          label="Follow job id"
          value={jobToTrack}
          onChange={(e) => setJobToTrack(e.target.value)}
          sx={{ width: 130, ml: 'auto' }}
          slotProps={{ htmlInput: { 'data-testid': 'slurm-track-id' } }}
        />
        <Button
          disabled={!/^\s*\d+\s*$/.test(jobToTrack)}
          onClick={() => act('Could not follow that job', useCluster.getState().track(jobToTrack))}
        >
          Follow
        </Button>
      </Box>
      {jobIds.map((id) => {
        const job = jobs[id];
        const summary = summaries[job.outputDir];
        return (
          <Box key={id}>
            <SlurmJobCard
              job={job}
              onRetry={() => act('Could not retry', useCluster.getState().retry(id))}
              onCollect={() =>
                act('Could not write the batch summary', useCluster.getState().collect(job.outputDir))
              }
            />
            {summary && (
              <Alert
                severity={summary.failures.length ? 'warning' : 'success'}
                sx={{ mb: 1.5 }}
                data-testid="slurm-summary"
              >
                {summary.counts.movies} movies: {summary.counts.complete} complete ({summary.objects}{' '}
                objects), {summary.counts.failed} failed, {summary.counts.missing} missing —{' '}
                {summary.files.json}
              </Alert>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

import { Box, Button, Card, CardContent, Chip, LinearProgress, Typography } from '@mui/material';
import type { RunSummary } from '../../../src-shared/api';
import { hasOpenFolder, openFolder } from '../../app/shell';
import { useRuns } from '../../stores/runs';
import { openIn, STATE_COLOURS } from './open-in';

/** One run: state, per-movie stage and frame progress with ETA, the output folder, cancel. */
export function RunCard({
  run,
  onCancel,
  onRedo,
}: {
  run: RunSummary;
  onCancel(): void;
  /** Runs the same config again with force (shown when movies were skipped as already analysed). */
  onRedo?(): void;
}) {
  const live = useRuns((s) => s.progress[run.id]) ?? {};
  const movies = new Set([...run.movies.map((m) => m.file.replace(/\.[^.]+$/, '')), ...Object.keys(live)]);
  return (
    <Card variant="outlined" sx={{ mb: 1.5 }} data-testid={`run-${run.id}`}>
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
          <Typography variant="subtitle1">Run {run.id}</Typography>
          <Chip size="small" color={STATE_COLOURS[run.state]} label={run.state} data-testid="run-state" />
          <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
            {run.startedAt ? `started ${new Date(run.startedAt).toLocaleTimeString()}` : ''}
          </Typography>
          {run.state === 'running' && (
            <Button color="error" onClick={onCancel} data-testid="run-cancel">
              Cancel
            </Button>
          )}
        </Box>
        {[...movies].map((name) => {
          const p = live[name];
          const final = run.movies.find((m) => m.file.replace(/\.[^.]+$/, '') === name);
          const done = p?.done ?? final?.done ?? 0;
          const total = p?.total ?? final?.total ?? 0;
          const state = final && run.state !== 'running' ? final.state : (p?.stage ?? 'queued');
          return (
            <Box key={name} sx={{ mb: 1 }} data-testid={`run-movie-${name}`}>
              <Typography variant="body2">
                {name} — {state} {total ? `· frame ${done}/${total}` : ''}
                {p?.etaS !== undefined && run.state === 'running' ? ` · about ${p.etaS} s left` : ''}
                {p?.memory && run.state === 'running'
                  ? ` · worker ${p.memory.rssMb} MB${p.memory.vramMb !== undefined ? `, GPU ${p.memory.vramMb} MB` : ''}`
                  : ''}
              </Typography>
              {p?.waiting && run.state === 'running' && (
                <Typography variant="caption" color="warning.main" data-testid={`run-waiting-${name}`}>
                  {p.stage} waits for {p.waiting.gb} GB on {p.waiting.device} ({p.waiting.freeGb} GB free)
                  {p.waiting.holders.length ? ` — held by ${p.waiting.holders.join('; ')}` : ''}
                  {p.waiting.position > 1 ? `; ${p.waiting.position - 1} ahead in the queue` : ''}
                </Typography>
              )}
              <LinearProgress
                variant="determinate"
                value={total ? (100 * done) / total : 0}
                sx={{ height: 8, borderRadius: 1 }}
                aria-label={`${name}: frame ${done} of ${total}`}
              />
              {final?.state === 'done' && run.outputDir && (
                <Box sx={{ display: 'flex', gap: 1 }}>
                  {final.path && (
                    <Button
                      size="small"
                      onClick={() => openIn('viewer', run.outputDir!, name, final.path)}
                      data-testid={`open-viewer-${name}`}
                    >
                      Viewer
                    </Button>
                  )}
                  <Button
                    size="small"
                    onClick={() => openIn('qc', run.outputDir!, name)}
                    data-testid={`open-qc-${name}`}
                  >
                    QC
                  </Button>
                  <Button
                    size="small"
                    onClick={() => openIn('results', run.outputDir!, name)}
                    data-testid={`open-results-${name}`}
                  >
                    Results
                  </Button>
                </Box>
              )}
              {final?.state === 'failed' && final.stage && (
                <Typography variant="caption" color="error">
                  {final.stage}
                </Typography>
              )}
            </Box>
          );
        })}
        {run.skipped && run.skipped.length > 0 && run.state !== 'running' && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }} data-testid="run-skipped">
            <Typography variant="body2" sx={{ flex: 1 }}>
              {run.skipped.length} movie{run.skipped.length === 1 ? ' was' : 's were'} already analysed and
              skipped: {run.skipped.join(', ')}.
            </Typography>
            {onRedo && (
              <Button size="small" variant="outlined" onClick={onRedo} data-testid="run-redo">
                Analyse again
              </Button>
            )}
          </Box>
        )}
        {run.outputDir && (
          <Typography variant="caption" sx={{ fontFamily: 'monospace', display: 'block' }}>
            Outputs: {run.outputDir}{' '}
            {hasOpenFolder() && (
              <Button size="small" onClick={() => void openFolder(run.outputDir!)}>
                Open folder
              </Button>
            )}
          </Typography>
        )}
        {run.error && (
          <Typography
            variant="caption"
            color="error"
            component="pre"
            sx={{ whiteSpace: 'pre-wrap', m: 0 }}
            data-testid="run-error"
          >
            {run.error}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

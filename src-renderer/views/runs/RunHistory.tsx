import WarningIcon from '@mui/icons-material/WarningAmber';
import { Box, Button, Card, CardContent, Chip, Typography } from '@mui/material';
import type { ConfigUsage, RunRecord } from '../../../src-shared/api';
import { hasOpenFolder, openFolder } from '../../app/shell';
import { configFlag } from '../../components/RecentPaths';
import { openIn, STATE_COLOURS } from './open-in';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;
const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '');

/** Why Re-run cannot be offered for a remembered run, or undefined when it can. */
export function rerunBlocked(r: RunRecord, usage: ConfigUsage | undefined): string | undefined {
  if (r.state === 'running') return 'it is running';
  if (!r.configPath) return 'the run did not record its config';
  if (!r.configExists) return `its config ${r.configPath} is gone`;
  return configFlag(usage) ? `its config ${configFlag(usage)}` : undefined;
}

/** One run found on disk: where, how it ended, its movies with links to look at them, re-run and forget. */
function RunRecordCard({
  record: r,
  usage,
  onRerun,
  onForget,
  onCancel,
}: {
  record: RunRecord;
  usage: ConfigUsage | undefined;
  onRerun(): void;
  onForget(): void;
  onCancel(): void;
}) {
  const blocked = rerunBlocked(r, usage);
  const id = baseName(r.outputDir);
  return (
    <Card variant="outlined" sx={{ mb: 1 }} data-testid={`history-${id}`}>
      <CardContent sx={{ pb: '12px !important' }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="subtitle1" title={r.outputDir} sx={{ wordBreak: 'break-all' }}>
            {id}
          </Typography>
          <Chip size="small" color={STATE_COLOURS[r.state]} label={r.state} data-testid="history-state" />
          <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
            {r.state === 'running' ? `started ${when(r.startedAt)}` : when(r.endedAt ?? r.startedAt)}
          </Typography>
          {r.liveRunId && r.state === 'running' && (
            <Button size="small" color="error" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button
            size="small"
            variant="outlined"
            disabled={!!blocked}
            title={
              blocked ? `Cannot re-run: ${blocked}` : 'Run its config again, redoing movies already analysed'
            }
            onClick={onRerun}
            data-testid="history-rerun"
          >
            Re-run
          </Button>
          <Button size="small" onClick={onForget} title="Stop listing this folder; its files stay">
            Forget
          </Button>
        </Box>
        <Typography
          variant="caption"
          component="div"
          sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          color="text.secondary"
        >
          {r.outputDir}
          {hasOpenFolder() && r.folderExists && (
            <Button size="small" onClick={() => void openFolder(r.outputDir)}>
              Open folder
            </Button>
          )}
        </Typography>
        {r.configPath && (
          <Typography variant="caption" component="div" sx={{ wordBreak: 'break-all' }}>
            config {r.configPath}
            {blocked && r.state !== 'running' && (
              <Box component="span" sx={{ color: 'warning.dark', ml: 1 }} data-testid="history-flag">
                <WarningIcon sx={{ fontSize: 14, verticalAlign: 'text-bottom' }} /> {blocked}
              </Box>
            )}
          </Typography>
        )}
        {r.error && (
          <Typography variant="caption" color="error" component="div" sx={{ whiteSpace: 'pre-wrap' }}>
            {r.error}
          </Typography>
        )}
        {!r.folderExists && (
          <Typography variant="caption" color="warning.dark" component="div">
            The folder is gone.
          </Typography>
        )}
        {r.movies.map((m) => (
          <Box
            key={m.name}
            sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mt: 0.5 }}
            data-testid={`history-movie-${m.name}`}
          >
            <Typography variant="body2" sx={{ minWidth: 160 }}>
              {m.name}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
              {m.analysed
                ? [
                    m.frames !== undefined && `${m.frames} frames`,
                    m.objects !== undefined && `${m.objects} objects`,
                    m.tracks !== undefined && `${m.tracks} tracks`,
                  ]
                    .filter(Boolean)
                    .join(' · ')
                : 'incomplete: its tables were not written'}
            </Typography>
            {m.moviePath && m.analysed && (
              <Button size="small" onClick={() => openIn('viewer', r.outputDir, m.name, m.moviePath)}>
                Viewer
              </Button>
            )}
            {m.analysed && (
              <>
                <Button
                  size="small"
                  onClick={() => openIn('qc', r.outputDir, m.name)}
                  data-testid={`history-qc-${m.name}`}
                >
                  QC
                </Button>
                <Button
                  size="small"
                  onClick={() => openIn('results', r.outputDir, m.name)}
                  data-testid={`history-results-${m.name}`}
                >
                  Results
                </Button>
              </>
            )}
          </Box>
        ))}
      </CardContent>
    </Card>
  );
}

/** The runs found on disk in the remembered output folders, newest first. */
export function RunHistory(props: {
  records: RunRecord[];
  usage: Record<string, ConfigUsage>;
  onRerun(r: RunRecord): void;
  onForget(r: RunRecord): void;
  onCancel(r: RunRecord): void;
}) {
  return (
    <Box data-testid="run-history">
      {props.records.map((r) => (
        <RunRecordCard
          key={r.outputDir}
          record={r}
          usage={r.configPath ? props.usage[r.configPath] : undefined}
          onRerun={() => props.onRerun(r)}
          onForget={() => props.onForget(r)}
          onCancel={() => props.onCancel(r)}
        />
      ))}
    </Box>
  );
}
